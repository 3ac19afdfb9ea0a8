"""Every email the life cycle sends: to whom, in which language, only after commit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.services.moderation import (
    posting_approve,
    posting_reject,
    posting_request_changes,
    posting_take_down,
)
from jobs.services.postings import posting_edit_submit, posting_submit, postings_remind_expiring
from tests.factories import (
    ModeratorFactory,
    PendingPostingFactory,
    PostingFactory,
    PublishedPostingFactory,
    RecruiterFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_recruiter(company):
    return RecruiterFactory(company=company, language="fr", first_name="Camille")


@pytest.fixture
def german_moderator():
    return ModeratorFactory(language="de")


def test_submission_tells_the_moderators_in_their_language(
    company, french_recruiter, german_moderator, mailoutbox, django_capture_on_commit_callbacks
):
    posting = PostingFactory(company=company, title="Ingénieure données")

    with django_capture_on_commit_callbacks(execute=True):
        posting_submit(posting=posting, actor=french_recruiter)

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [german_moderator.email]
    assert email.subject == "Zu prüfen: Ingénieure données"
    assert f"/admin/jobs/pendingposting/{posting.pk}/change/" in email.body
    assert email.extra_headers["Content-Language"] == "de"


def test_no_email_leaves_before_the_transaction_commits(
    company, french_recruiter, german_moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        posting_submit(posting=PostingFactory(company=company), actor=french_recruiter)

    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_an_edit_of_a_live_posting_tells_the_moderators(
    company, french_recruiter, german_moderator, mailoutbox, django_capture_on_commit_callbacks
):
    posting = PublishedPostingFactory(company=company)
    posting.title = "Senior Backend Engineer"

    with django_capture_on_commit_callbacks(execute=True):
        posting_edit_submit(posting=posting, actor=french_recruiter)

    assert [email.to for email in mailoutbox] == [[german_moderator.email]]
    assert "Die Live-Version bleibt online" in mailoutbox[0].body


def test_approval_tells_every_recruiter_of_the_company_in_their_own_language(
    company, french_recruiter, german_moderator, mailoutbox, django_capture_on_commit_callbacks
):
    english = RecruiterFactory(company=company)
    RecruiterFactory()  # another company's recruiter hears nothing
    posting = PendingPostingFactory(company=company, title="Data Engineer")

    with django_capture_on_commit_callbacks(execute=True):
        posting_approve(posting=posting, actor=german_moderator)

    by_recipient = {email.to[0]: email for email in mailoutbox}
    assert set(by_recipient) == {french_recruiter.email, english.email}
    assert by_recipient[french_recruiter.email].subject == "Approuvée : Data Engineer"
    assert "Bonjour Camille" in by_recipient[french_recruiter.email].body
    assert by_recipient[english.email].subject == "Approved: Data Engineer"
    assert posting.get_absolute_url() in by_recipient[english.email].body


def test_rejection_gives_the_reason_and_the_message(
    company, french_recruiter, german_moderator, mailoutbox, django_capture_on_commit_callbacks
):
    posting = PendingPostingFactory(company=company, title="Data Engineer")

    with django_capture_on_commit_callbacks(execute=True):
        posting_reject(
            posting=posting, actor=german_moderator, reason="scam", message="Frais exigés."
        )

    # The statement of reasons (DSA Art. 17) replaces the old rejection email.
    (email,) = mailoutbox
    assert email.subject == "Exposé des motifs : Data Engineer"
    assert "Arnaque présumée" in email.body
    assert "Frais exigés." in email.body
    assert "Nous considérons ce contenu comme illicite" in email.body
    assert f"/admin/jobs/complaint/add/?statement={posting.statements.get().pk}" in email.body


def test_changes_requested_say_what_to_change(
    company, french_recruiter, german_moderator, mailoutbox, django_capture_on_commit_callbacks
):
    posting = PendingPostingFactory(company=company, title="Data Engineer")

    with django_capture_on_commit_callbacks(execute=True):
        posting_request_changes(
            posting=posting, actor=german_moderator, message="Indiquez le salaire."
        )

    (email,) = mailoutbox
    assert email.subject == "Modifications demandées : Data Engineer"
    assert "Indiquez le salaire." in email.body
    assert f"/admin/jobs/jobposting/{posting.pk}/change/" in email.body


def test_take_down_tells_the_recruiters_why(
    company, french_recruiter, german_moderator, mailoutbox, django_capture_on_commit_callbacks
):
    posting = PublishedPostingFactory(company=company, title="Data Engineer")

    with django_capture_on_commit_callbacks(execute=True):
        posting_take_down(posting=posting, actor=german_moderator, reason="discriminatory")

    (email,) = mailoutbox
    assert email.subject == "Exposé des motifs : Data Engineer"
    assert "Contenu discriminatoire" in email.body
    assert "a retiré « Data Engineer »" in email.body


def test_expiring_soon_offers_a_renewal(
    company, french_recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    posting = PublishedPostingFactory(
        company=company, title="Data Engineer", expires_at=timezone.now() + timedelta(days=2)
    )

    with django_capture_on_commit_callbacks(execute=True):
        postings_remind_expiring()

    (email,) = mailoutbox
    assert email.to == [french_recruiter.email]
    assert email.subject == "Expire bientôt : Data Engineer"
    assert f"/admin/jobs/jobposting/{posting.pk}/renew/" in email.body
