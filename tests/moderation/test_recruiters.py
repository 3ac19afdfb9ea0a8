"""Recruiters finishing their work: expiry by policy, filled jobs, duplicates, withdrawals,
and the moderators' request for changes at the top of the form."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone, translation

from jobs.models import EventAction, JobPosting, Status
from jobs.services.edits import posting_close_filled, posting_duplicate
from jobs.services.moderation import posting_approve, posting_request_changes
from jobs.services.postings import IllegalTransition, posting_renew
from tests.factories import (
    CompanyFactory,
    ModeratorFactory,
    PendingPostingFactory,
    PostingFactory,
    PublishedPostingFactory,
    RecruiterFactory,
)
from tests.moderation.test_versions import form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:jobs_jobposting_changelist")


@pytest.fixture
def company():
    return CompanyFactory(name="Acme", slug="acme")


@pytest.fixture
def recruiter(company):
    return RecruiterFactory(company=company, language="en")


@pytest.fixture
def moderator():
    return ModeratorFactory(language="en")


def change_url(posting):
    return reverse("admin:jobs_jobposting_change", args=[posting.pk])


# --- Expiry by policy ------------------------------------------------------------------------


def test_a_recruiter_cannot_choose_the_expiry(client, recruiter, company, moderator, settings):
    posting = PostingFactory(company=company)
    client.force_login(recruiter)
    page = client.get(change_url(posting)).content
    assert b'name="expires_at_0"' not in page

    data = {**form_data(page, "jobposting_form"), "expires_at_0": "2099-01-01", "_submit": "1"}
    assert client.post(change_url(posting), data).status_code == HTTPStatus.FOUND
    posting.refresh_from_db()
    assert posting.expires_at is None
    posting_approve(posting=posting, actor=moderator)

    posting.refresh_from_db()
    validity = timedelta(days=settings.JOBS_DEFAULT_VALIDITY_DAYS)
    assert posting.expires_at == posting.published_at + validity


def test_approval_never_sets_an_expiry_beyond_the_policy(moderator, settings):
    posting = PendingPostingFactory(expires_at=timezone.now() + timedelta(days=20_000))
    posting_approve(posting=posting, actor=moderator)
    posting.refresh_from_db()
    validity = timedelta(days=settings.JOBS_DEFAULT_VALIDITY_DAYS)
    assert posting.expires_at == posting.published_at + validity


def test_a_moderator_s_earlier_expiry_is_kept(moderator):
    earlier = timezone.now() + timedelta(days=10)
    posting = PendingPostingFactory()
    posting_approve(posting=posting, actor=moderator, expires_at=earlier)
    posting.refresh_from_db()
    assert posting.expires_at == earlier


def test_a_moderator_s_form_refuses_an_expiry_beyond_the_policy(client, moderator):
    posting = PublishedPostingFactory()
    client.force_login(moderator)
    data = {
        **form_data(client.get(change_url(posting)).content, "jobposting_form"),
        "expires_at_0": "2099-01-01",
        "expires_at_1": "12:00:00",
    }

    with translation.override("en"):
        response = client.post(change_url(posting), data)

    assert response.status_code == HTTPStatus.OK
    errors = " ".join(response.context["adminform"].form.errors["expires_at"])
    assert "at most 60 days after publication" in errors


def test_the_review_page_shows_the_expiry_the_policy_sets(client, moderator, settings):
    posting = PendingPostingFactory()
    client.force_login(moderator)

    response = client.get(reverse("admin:jobs_pendingposting_change", args=[posting.pk]))

    expected = timezone.now() + timedelta(days=settings.JOBS_DEFAULT_VALIDITY_DAYS)
    assert abs(response.context["expires_on"] - expected) < timedelta(minutes=1)
    assert "60 days from approval" in response.content.decode()


# --- Closing as filled ----------------------------------------------------------------------


def test_a_filled_job_leaves_the_site_and_its_page_says_so(client, recruiter, company):
    posting = PublishedPostingFactory(company=company, title="Filled Role")
    client.force_login(recruiter)

    response = client.post(
        CHANGELIST, {"action": "close_filled_selected", ACTION_CHECKBOX_NAME: [posting.pk]}
    )

    assert response.status_code == HTTPStatus.FOUND
    posting.refresh_from_db()
    assert (posting.status, posting.filled_at is not None) == (Status.EXPIRED, True)
    assert posting.events.get(action=EventAction.FILLED).actor == recruiter
    assert not JobPosting.objects.open().filter(pk=posting.pk).exists()
    client.logout()
    page = client.get(posting.get_absolute_url())
    assert page.status_code == HTTPStatus.GONE
    assert "This position has been filled" in page.content.decode()
    assert "Filled Role" not in client.get("/en/").content.decode()
    assert posting.get_absolute_url() not in client.get("/sitemap-en.xml").content.decode()
    with pytest.raises(IllegalTransition):
        posting_renew(posting=posting, actor=recruiter)


def test_only_a_live_posting_closes_as_filled(recruiter, company):
    with pytest.raises(IllegalTransition):
        posting_close_filled(posting=PostingFactory(company=company), actor=recruiter)


# --- Duplicates and withdrawals -------------------------------------------------------------


def test_a_posting_is_duplicated_into_a_new_draft(client, recruiter, company):
    posting = PublishedPostingFactory(company=company, title="Data Engineer", location="Berlin")
    client.force_login(recruiter)

    client.post(CHANGELIST, {"action": "duplicate_selected", ACTION_CHECKBOX_NAME: [posting.pk]})

    copy = JobPosting.objects.exclude(pk=posting.pk).get()
    assert (copy.status, copy.title, copy.location, copy.company) == (
        Status.DRAFT,
        "Data Engineer",
        "Berlin",
        company,
    )
    assert copy.published_at is None and copy.expires_at is None
    assert f"#{posting.pk}" in copy.events.get(action=EventAction.CREATED).message


def test_another_company_s_posting_is_not_duplicated(recruiter):
    with pytest.raises(Exception, match="own companies"):
        posting_duplicate(posting=PublishedPostingFactory(), actor=recruiter)


def test_a_submission_is_withdrawn(client, recruiter, company):
    posting = PendingPostingFactory(company=company)
    client.force_login(recruiter)

    client.post(CHANGELIST, {"action": "withdraw_selected", ACTION_CHECKBOX_NAME: [posting.pk]})

    posting.refresh_from_db()
    assert posting.status == Status.DRAFT
    assert posting.events.get(action=EventAction.WITHDRAWN).actor == recruiter


def test_the_bulk_submit_and_renew_move_what_they_may_and_name_each_refusal(
    client, recruiter, company
):
    draft = PostingFactory(company=company, title="Draft Role")
    pending = PendingPostingFactory(company=company, title="Pending Role")
    due = PublishedPostingFactory(company=company, expires_at=timezone.now() + timedelta(days=2))
    client.force_login(recruiter)

    def act(action, postings):
        response = client.post(
            CHANGELIST,
            {"action": action, ACTION_CHECKBOX_NAME: [posting.pk for posting in postings]},
            follow=True,
        )
        assert response.status_code == HTTPStatus.OK
        return [str(message) for message in response.context["messages"]]

    said = act("submit_selected", [draft, pending])
    draft.refresh_from_db()
    assert draft.status == Status.PENDING
    assert "1 posting was submitted for review." in said
    assert any(message.startswith("Pending Role: ") for message in said)
    # The same request again finds both pending: two refusals, nothing submitted twice.
    said = act("submit_selected", [draft, pending])
    assert len(said) == 2 and not any("submitted for review" in message for message in said)
    assert draft.events.filter(action=EventAction.SUBMITTED).count() == 1

    said = act("renew_selected", [due])
    due.refresh_from_db()
    assert "1 posting was renewed." in said
    assert due.expires_at > timezone.now() + timedelta(days=30)
    assert due.events.filter(action=EventAction.RENEWED).count() == 1
    # Renewed, it is no longer due: the same request again is refused and changes nothing.
    renewed_until = due.expires_at
    said = act("renew_selected", [due])
    due.refresh_from_db()
    assert (len(said), due.expires_at) == (1, renewed_until)
    assert "renewed." not in said[0]


# --- Changes requested ----------------------------------------------------------------------


def test_the_moderator_s_message_is_at_the_top_of_the_form(client, recruiter, company, moderator):
    posting = PendingPostingFactory(company=company)
    posting_request_changes(
        posting=posting, actor=moderator, message="Please add the salary range."
    )
    client.force_login(recruiter)

    page = client.get(change_url(posting)).content.decode()

    assert 'class="errornote changes-requested"' in page
    notice = page.index("Please add the salary range.")
    assert "Changes requested" in page[:notice]
    assert notice < page.index('name="title"')
    assert f"Changes requested by {moderator.username}" in page


def test_no_notice_once_the_posting_is_submitted_again(client, recruiter, company, moderator):
    posting = PendingPostingFactory(company=company)
    posting_request_changes(posting=posting, actor=moderator, message="Add the salary.")
    from jobs.services.postings import posting_submit

    posting_submit(posting=posting, actor=recruiter)
    client.force_login(recruiter)

    page = client.get(change_url(posting)).content.decode()
    assert "changes-requested" not in page  # the notice; the history still has the message


# --- The form ------------------------------------------------------------------------------


def test_a_browser_s_crlf_is_no_change(client, recruiter, company):
    posting = PublishedPostingFactory(company=company, description="Line one.\nLine two.")
    client.force_login(recruiter)
    data = form_data(client.get(change_url(posting)).content, "jobposting_form")
    data["description"] = ["Line one.\r\nLine two."]

    response = client.post(change_url(posting), {**data, "_save": "Save"})

    assert response.status_code == HTTPStatus.FOUND
    assert not posting.revisions.exists()  # nothing to review: the text is the same


def test_a_draft_s_crlf_is_stored_as_lf(recruiter, company):
    from jobs.services.postings import posting_save

    posting = PostingFactory(company=company)
    posting.description = "One.\r\nTwo.\rThree."
    posting_save(posting=posting)
    posting.refresh_from_db()
    assert posting.description == "One.\nTwo.\nThree."


def test_no_way_to_apply_no_submission(client, recruiter, company):
    posting = PostingFactory(company=company, apply_url="", apply_email="")
    client.force_login(recruiter)
    data = form_data(client.get(change_url(posting)).content, "jobposting_form")

    with translation.override("en"):
        response = client.post(change_url(posting), {**data, "_submit": "1"}, follow=True)

    posting.refresh_from_db()
    assert posting.status == Status.DRAFT
    assert "candidates need a way to apply" in response.content.decode()


def test_a_one_company_recruiter_finds_the_company_chosen(client, recruiter, company):
    client.force_login(recruiter)
    form = client.get(reverse("admin:jobs_jobposting_add")).context["adminform"].form
    assert form.initial["company"] == company.pk


def test_submit_for_review_is_the_primary_button(client, recruiter):
    client.force_login(recruiter)
    page = client.get(reverse("admin:jobs_jobposting_add")).content.decode()
    assert page.index('name="_submit"') < page.index('name="_save"')
    button = page[page.rindex("<input", 0, page.index('name="_submit"')) :]
    button = button[: button.index(">")]
    assert 'class="default"' in button
    assert 'value="Submit for review"' in button


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("UK, de", ["GB", "DE"]), ("Deutschland, Österreich", ["DE", "AT"]), ("Germany", ["DE"])],
)
def test_countries_are_typed_as_people_write_them(typed, stored):
    from jobs.form_fields import CountriesField

    with translation.override("de"):
        assert CountriesField().clean(typed) == stored


def test_an_unknown_country_is_named_in_the_error():
    from django.core.exceptions import ValidationError

    from jobs.form_fields import CountriesField

    with pytest.raises(ValidationError, match="Atlantis"):
        CountriesField().clean("DE, Atlantis")
