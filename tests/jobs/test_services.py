"""The posting life cycle: every transition, every refusal, and the audit trail."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jobs.models import EventAction, PostingRevision, RevisionState, Status
from jobs.services.moderation import (
    posting_approve,
    posting_reject,
    posting_request_changes,
    posting_take_down,
)
from jobs.services.postings import (
    TRANSITIONS,
    IllegalTransition,
    posting_create,
    posting_edit_submit,
    posting_publish,
    posting_renew,
    posting_submit,
    postings_archive_stale,
    postings_expire_due,
    postings_remind_expiring,
)
from tests.factories import (
    CompanyFactory,
    ExpiredStatusPostingFactory,
    PendingPostingFactory,
    PostingFactory,
    PublishedPostingFactory,
    RejectedPostingFactory,
)

pytestmark = pytest.mark.django_db


def last_event(posting):
    return posting.events.order_by("-created_at", "-id").first()


def test_every_status_has_its_moves_listed():
    assert set(TRANSITIONS) == set(Status.values)
    assert TRANSITIONS[Status.ARCHIVED] == set()


def test_creating_a_draft_is_recorded(recruiter, company):
    posting = posting_create(
        actor=recruiter,
        title="Data Engineer",
        company=company,
        description="Pipelines.",
        language="en",
        workplace="remote",
    )

    assert posting.status == Status.DRAFT
    event = last_event(posting)
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        EventAction.CREATED,
        recruiter,
        "",
        Status.DRAFT,
    )


def test_a_recruiter_cannot_create_for_another_company(recruiter):
    with pytest.raises(PermissionDenied):
        posting_create(
            actor=recruiter,
            title="Data Engineer",
            company=CompanyFactory(),
            description="Pipelines.",
            language="en",
            workplace="remote",
        )


@pytest.mark.parametrize("factory", [PostingFactory, RejectedPostingFactory])
def test_submit_sends_a_draft_or_rejected_posting_to_review(factory, recruiter, company):
    posting = factory(company=company)
    source = posting.status

    posting_submit(posting=posting, actor=recruiter)

    posting.refresh_from_db()
    assert posting.status == Status.PENDING
    assert posting.submitted_at is not None
    event = last_event(posting)
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        EventAction.SUBMITTED,
        recruiter,
        source,
        Status.PENDING,
    )


@pytest.mark.parametrize(
    "factory", [PendingPostingFactory, PublishedPostingFactory, ExpiredStatusPostingFactory]
)
def test_submit_refuses_postings_that_are_not_drafts(factory, recruiter, company):
    posting = factory(company=company)
    status = posting.status

    with pytest.raises(IllegalTransition):
        posting_submit(posting=posting, actor=recruiter)

    posting.refresh_from_db()
    assert posting.status == status
    assert not posting.events.exists()


def test_a_recruiter_cannot_submit_another_company_s_posting(recruiter):
    posting = PostingFactory()

    with pytest.raises(PermissionDenied):
        posting_submit(posting=posting, actor=recruiter)


def test_approve_publishes_with_the_default_validity(moderator, settings):
    posting = PendingPostingFactory()

    posting_approve(posting=posting, actor=moderator)

    posting.refresh_from_db()
    assert posting.status == Status.PUBLISHED
    assert posting.expires_at - posting.published_at == timedelta(
        days=settings.JOBS_DEFAULT_VALIDITY_DAYS
    )
    event = last_event(posting)
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        EventAction.APPROVED,
        moderator,
        Status.PENDING,
        Status.PUBLISHED,
    )
    # The approved version is kept: the next review diffs against it.
    assert posting.revisions.get().state == RevisionState.APPROVED


def test_recruiters_cannot_approve(recruiter, company):
    posting = PendingPostingFactory(company=company)

    with pytest.raises(PermissionDenied):
        posting_approve(posting=posting, actor=recruiter)
    with pytest.raises(PermissionDenied):
        posting_publish(posting=posting, actor=recruiter)

    posting.refresh_from_db()
    assert posting.status == Status.PENDING


@pytest.mark.parametrize(
    "factory", [PostingFactory, PublishedPostingFactory, RejectedPostingFactory]
)
def test_approve_refuses_what_is_not_waiting(factory, moderator):
    posting = factory()

    with pytest.raises(IllegalTransition):
        posting_approve(posting=posting, actor=moderator)


def test_reject_needs_a_reason_and_records_it(moderator):
    posting = PendingPostingFactory()

    with pytest.raises(ValidationError):
        posting_reject(posting=posting, actor=moderator, reason="")
    posting_reject(posting=posting, actor=moderator, reason="scam", message="Fee up front.")

    posting.refresh_from_db()
    assert posting.status == Status.REJECTED
    event = last_event(posting)
    assert (event.action, event.reason, event.message, event.to_status) == (
        EventAction.REJECTED,
        "scam",
        "Fee up front.",
        Status.REJECTED,
    )


def test_request_changes_sends_back_to_draft_with_a_message(moderator):
    posting = PendingPostingFactory()

    with pytest.raises(ValidationError):
        posting_request_changes(posting=posting, actor=moderator, message="  ")
    posting_request_changes(posting=posting, actor=moderator, message="Add a salary.")

    posting.refresh_from_db()
    assert posting.status == Status.DRAFT
    assert last_event(posting).message == "Add a salary."


@pytest.mark.parametrize("service", [posting_reject, posting_request_changes])
def test_decisions_refuse_postings_not_under_review(service, moderator):
    posting = PostingFactory()

    with pytest.raises(IllegalTransition):
        service(posting=posting, actor=moderator, reason="other", message="x")


def published_with_edit(company, recruiter, **changes):
    posting = PublishedPostingFactory(company=company, title="Backend Engineer")
    for name, value in changes.items():
        setattr(posting, name, value)
    revision = posting_edit_submit(posting=posting, actor=recruiter)
    posting.refresh_from_db()
    return posting, revision


def test_an_edit_of_a_live_posting_waits_while_the_live_version_stays(recruiter, company):
    posting, revision = published_with_edit(company, recruiter, title="Senior Backend Engineer")

    assert posting.title == "Backend Engineer"
    assert posting.status == Status.PUBLISHED
    assert revision.state == RevisionState.PENDING
    assert revision.data["title"] == "Senior Backend Engineer"
    assert last_event(posting).action == EventAction.EDIT_SUBMITTED


def test_a_second_edit_replaces_the_first(recruiter, company):
    posting, first = published_with_edit(company, recruiter, title="Senior Backend Engineer")
    posting.title = "Lead Backend Engineer"

    second = posting_edit_submit(posting=posting, actor=recruiter)

    assert second.pk == first.pk
    assert PostingRevision.objects.get(pk=first.pk).data["title"] == "Lead Backend Engineer"


def test_approving_an_edit_applies_it(recruiter, company, moderator):
    posting, revision = published_with_edit(company, recruiter, title="Senior Backend Engineer")
    published_at = posting.published_at

    posting_approve(posting=posting, actor=moderator)

    posting.refresh_from_db()
    revision.refresh_from_db()
    assert posting.title == "Senior Backend Engineer"
    assert posting.slug == "senior-backend-engineer"
    assert posting.published_at == published_at
    assert revision.state == RevisionState.APPROVED


def test_rejecting_an_edit_leaves_the_live_version(recruiter, company, moderator):
    posting, revision = published_with_edit(company, recruiter, title="Senior Backend Engineer")

    posting_reject(posting=posting, actor=moderator, reason="misleading")

    posting.refresh_from_db()
    revision.refresh_from_db()
    assert (posting.status, posting.title) == (Status.PUBLISHED, "Backend Engineer")
    assert revision.state == RevisionState.REJECTED
    event = last_event(posting)
    assert (event.from_status, event.to_status) == (Status.PUBLISHED, Status.PUBLISHED)


def test_changes_requested_on_an_edit_keep_it_open(recruiter, company, moderator):
    posting, revision = published_with_edit(company, recruiter, title="Senior Backend Engineer")

    posting_request_changes(posting=posting, actor=moderator, message="Keep the level.")

    revision.refresh_from_db()
    assert revision.state == RevisionState.CHANGES_REQUESTED
    posting.title = "Backend Engineer (Python)"
    assert posting_edit_submit(posting=posting, actor=recruiter).pk == revision.pk


def test_an_edit_that_changes_nothing_is_not_submitted(recruiter, company):
    posting = PublishedPostingFactory(company=company)

    assert posting_edit_submit(posting=posting, actor=recruiter) is None
    assert not posting.revisions.exists()


def test_take_down_removes_a_live_posting_and_resolves_reports(moderator):
    from tests.factories import ReportFactory

    report = ReportFactory()
    posting = report.posting

    posting_take_down(posting=posting, actor=moderator, reason="scam", message="Confirmed.")

    posting.refresh_from_db()
    report.refresh_from_db()
    assert posting.status == Status.REJECTED
    assert report.resolution == "taken_down"
    assert report.resolved_by == moderator
    assert last_event(posting).action == EventAction.TAKEN_DOWN


def test_take_down_refuses_drafts(moderator):
    with pytest.raises(IllegalTransition):
        posting_take_down(posting=PostingFactory(), actor=moderator, reason="scam")


def test_renew_keeps_a_posting_online_for_the_validity_period_from_today(
    recruiter, company, settings
):
    posting = PublishedPostingFactory(company=company, expires_at=timezone.now() + timedelta(2))

    posting_renew(posting=posting, actor=recruiter)

    posting.refresh_from_db()
    validity = timedelta(days=settings.JOBS_DEFAULT_VALIDITY_DAYS)
    assert timezone.now() + validity - timedelta(minutes=1) < posting.expires_at
    assert posting.expires_at <= timezone.now() + validity
    assert last_event(posting).action == EventAction.RENEWED


def test_renew_is_refused_before_the_reminder_window(recruiter, company, settings):
    far = timezone.now() + timedelta(days=settings.JOBS_EXPIRY_REMINDER_DAYS + 1)
    posting = PublishedPostingFactory(company=company, expires_at=far)

    with pytest.raises(IllegalTransition) as refused:
        posting_renew(posting=posting, actor=recruiter)
    assert refused.value.code == "not_due"

    posting.refresh_from_db()
    assert posting.expires_at == far
    assert not posting.events.filter(action=EventAction.RENEWED).exists()


def test_renew_twice_renews_once(recruiter, company):
    posting = PublishedPostingFactory(company=company, expires_at=timezone.now() + timedelta(1))
    shown = posting.expires_at
    posting_renew(posting=posting, actor=recruiter, expected_expiry=shown)
    renewed = posting.expires_at

    with pytest.raises(IllegalTransition) as refused:
        posting_renew(posting=posting, actor=recruiter, expected_expiry=shown)
    assert refused.value.code == "already_renewed"

    posting.refresh_from_db()
    assert posting.expires_at == renewed
    assert posting.events.filter(action=EventAction.RENEWED).count() == 1


def test_renew_brings_an_expired_posting_back_online(recruiter, company):
    posting = ExpiredStatusPostingFactory(company=company)

    posting_renew(posting=posting, actor=recruiter)

    posting.refresh_from_db()
    assert posting.status == Status.PUBLISHED
    assert posting.expires_at > timezone.now() + timedelta(days=59)


def test_renew_refuses_drafts_and_other_companies(recruiter, company):
    with pytest.raises(IllegalTransition):
        posting_renew(posting=PostingFactory(company=company), actor=recruiter)
    with pytest.raises(PermissionDenied):
        posting_renew(posting=PublishedPostingFactory(), actor=recruiter)


def test_expiry_and_archiving_are_recorded(settings):
    from tests.factories import ExpiredPostingFactory

    due = ExpiredPostingFactory()
    long_gone = ExpiredStatusPostingFactory(
        published_at=timezone.now() - timedelta(days=200),
        expires_at=timezone.now() - timedelta(days=settings.JOBS_ARCHIVE_AFTER_DAYS + 1),
    )
    recent = ExpiredStatusPostingFactory()

    assert postings_expire_due() == 1
    assert postings_archive_stale() == 1

    for posting in (due, long_gone, recent):
        posting.refresh_from_db()
    assert (due.status, long_gone.status, recent.status) == (
        Status.EXPIRED,
        Status.ARCHIVED,
        Status.EXPIRED,
    )
    assert last_event(due).action == EventAction.EXPIRED
    assert last_event(long_gone).action == EventAction.ARCHIVED


def test_expiry_reminders_go_once_per_expiry_date(recruiter, company):
    soon = PublishedPostingFactory(company=company, expires_at=timezone.now() + timedelta(days=3))
    PublishedPostingFactory(company=company, expires_at=timezone.now() + timedelta(days=120))

    assert postings_remind_expiring() == 1
    assert postings_remind_expiring() == 0

    posting_renew(posting=soon, actor=recruiter)
    assert postings_remind_expiring(now=soon.expires_at - timedelta(days=2)) == 1
