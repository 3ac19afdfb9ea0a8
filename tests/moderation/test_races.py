"""Races between real clients (own sessions, own CSRF tokens) against the live server: each
must end with one winner, the other refused with a clear message, and nothing lost."""

import html
import re
from datetime import timedelta

import lxml.html
import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from jobs.models import (
    EventAction,
    JobPosting,
    PostingEvent,
    PostingRevision,
    RevisionState,
    Status,
)
from jobs.services.postings import posting_edit_submit
from tests.factories import (
    CompanyFactory,
    ModeratorFactory,
    PendingPostingFactory,
    PostingFactory,
    PublishedPostingFactory,
    RecruiterFactory,
    SuperuserFactory,
)
from tests.racing import AdminSession, plain_http_cookies, race  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("plain_http_cookies"),
]

DECISIONS = [
    EventAction.APPROVED,
    EventAction.REJECTED,
    EventAction.CHANGES_REQUESTED,
]


def review_url(posting) -> str:
    return reverse("admin:jobs_pendingposting_change", args=[posting.pk])


def change_url(posting) -> str:
    return reverse("admin:jobs_jobposting_change", args=[posting.pk])


@pytest.fixture
def people():
    company = CompanyFactory(name="Acme", slug="acme")
    return {
        "company": company,
        "recruiter": RecruiterFactory(company=company, language="en"),
        "colleague": RecruiterFactory(company=company, language="en"),
        "moderator": ModeratorFactory(language="en"),
        "moderator_2": ModeratorFactory(language="en"),
    }


def text_of(page: str) -> str:
    """The page's text: a diff's marks run within words, other tags part them."""
    text = re.sub(r"<[^>]+>", " ", re.sub(r"</?(?:del|ins)>", "", page))
    return html.unescape(re.sub(r"\s+", " ", text))


def test_a_stale_approve_is_refused_and_shows_what_changed(live_server, people):
    posting = PublishedPostingFactory(
        company=people["company"], title="Data Engineer", apply_url="https://acme.example/apply"
    )
    posting.title = "Senior Data Engineer"
    posting_edit_submit(posting=posting, actor=people["recruiter"])
    moderator = AdminSession(live_server.url, people["moderator"])
    recruiter = AdminSession(live_server.url, people["recruiter"])

    review = moderator.open(review_url(posting))
    seen = moderator.form_values(review, "review-decision-form")
    # While the page is open, the recruiter swaps the apply URL for a phishing one.
    edit = recruiter.open(change_url(posting))
    saved = recruiter.submit(
        change_url(posting),
        recruiter.form_values(edit, "jobposting_form"),
        apply_url="https://phish.example/login",
        _save="Save",
    )
    assert saved.status_code == 302, text_of(saved.text)[:3000]

    refused = moderator.submit(review_url(posting), seen, decision="approve")

    assert refused.status_code == 200
    page = text_of(refused.text)
    assert "This posting changed after you opened it" in page
    assert "What changed after you opened this page" in page
    assert "https://phish.example/login" in page
    posting.refresh_from_db()
    assert (posting.title, posting.apply_url) == ("Data Engineer", "https://acme.example/apply")
    revision = PostingRevision.objects.get(posting=posting, state=RevisionState.PENDING)
    assert revision.data["apply_url"] == "https://phish.example/login"
    assert not posting.events.filter(action=EventAction.APPROVED).exists()

    # The refusal page carries the new version: approving from it approves what it showed.
    approved = moderator.submit(
        review_url(posting),
        moderator.form_values(lxml.html.fromstring(refused.text), "review-decision-form"),
        decision="approve",
    )
    assert approved.status_code == 302
    posting.refresh_from_db()
    assert posting.apply_url == "https://phish.example/login"


def test_two_moderators_deciding_at_once_one_wins_the_other_sees_who(live_server, people):
    posting = PendingPostingFactory(company=people["company"], title="Backend Engineer")
    first = AdminSession(live_server.url, people["moderator"])
    second = AdminSession(live_server.url, people["moderator_2"])
    first_values = first.form_values(first.open(review_url(posting)), "review-decision-form")
    second_values = second.form_values(second.open(review_url(posting)), "review-decision-form")
    typed = "Please add the salary range and the city."

    approve, send_back = race(
        lambda: first.submit(review_url(posting), first_values, decision="approve"),
        lambda: second.submit(
            review_url(posting),
            second_values,
            decision="request_changes",
            reason="incomplete",
            message=typed,
        ),
    )

    statuses = sorted([approve.status_code, send_back.status_code])
    assert statuses == [200, 302], statuses
    decisions = PostingEvent.objects.filter(posting=posting, action__in=DECISIONS)
    assert decisions.count() == 1
    decision = decisions.get()
    posting.refresh_from_db()
    if approve.status_code == 302:
        assert (decision.action, decision.actor) == (EventAction.APPROVED, people["moderator"])
        assert posting.status == Status.PUBLISHED
        page = text_of(send_back.text)
        assert "This review is over." in page
        assert f"Approved by {people['moderator'].username}" in page
        # What the late moderator typed is still there for them.
        assert typed in page
    else:
        assert decision.action == EventAction.CHANGES_REQUESTED
        assert posting.status == Status.DRAFT
        page = text_of(approve.text)
        assert f"Changes requested by {people['moderator_2'].username}" in page
        assert typed in page  # the winner's words, told to the late moderator


def test_a_decided_posting_s_review_page_says_who_decided(live_server, people):
    posting = PendingPostingFactory(company=people["company"])
    moderator = AdminSession(live_server.url, people["moderator"])
    values = moderator.form_values(moderator.open(review_url(posting)), "review-decision-form")
    assert moderator.submit(review_url(posting), values, decision="approve").status_code == 302

    again = moderator.client.get(review_url(posting))

    assert again.status_code == 200
    assert "Approved by" in text_of(again.text)
    assert JobPosting.objects.get(pk=posting.pk).status == Status.PUBLISHED


def saved(response) -> bool:
    return response.status_code == 302


STALE = "Someone else saved this after you opened it"


def test_two_recruiters_saving_one_draft_one_is_refused_with_the_other_s_change(
    live_server, people
):
    posting = PostingFactory(company=people["company"], title="Data Engineer")
    first = AdminSession(live_server.url, people["recruiter"])
    second = AdminSession(live_server.url, people["colleague"])
    first_values = first.form_values(first.open(change_url(posting)), "jobposting_form")
    second_values = second.form_values(second.open(change_url(posting)), "jobposting_form")

    results = race(
        lambda: first.submit(
            change_url(posting), first_values, title="Data Engineer (Python)", _save="Save"
        ),
        lambda: second.submit(
            change_url(posting), second_values, location="Lisbon, Portugal", _save="Save"
        ),
    )

    assert sorted(map(saved, results)) == [False, True], [r.status_code for r in results]
    winner, loser = (0, 1) if saved(results[0]) else (1, 0)
    posting.refresh_from_db()
    page = text_of(results[loser].text)
    assert STALE in page
    assert "What the other person changed" in page
    if winner == 0:
        assert (posting.title, posting.location) == ("Data Engineer (Python)", "")
        assert "Data Engineer (Python)" in page  # their change, shown
        assert 'value="Lisbon, Portugal"' in results[1].text  # mine, still in the form
        assert 'value="Data Engineer (Python)"' in results[1].text  # theirs, merged in
    else:
        assert (posting.title, posting.location) == ("Data Engineer", "Lisbon, Portugal")
        assert "Lisbon, Portugal" in page
        assert 'value="Data Engineer (Python)"' in results[0].text
        assert 'value="Lisbon, Portugal"' in results[0].text
    # Saving again from the refusal page, having seen their change, goes through: both kept.
    session = (first, second)[loser]
    again = session.submit(
        change_url(posting),
        session.form_values(lxml.html.fromstring(results[loser].text), "jobposting_form"),
        _save="Save",
    )
    assert saved(again), text_of(again.text)[:2000]
    posting.refresh_from_db()
    assert (posting.title, posting.location) == ("Data Engineer (Python)", "Lisbon, Portugal")
    # Django's history credits each person with their own save only.
    entries = LogEntry.objects.filter(object_id=str(posting.pk)).order_by("pk")
    assert [entry.user_id for entry in entries] == [
        (people["recruiter"], people["colleague"])[winner].pk,
        (people["recruiter"], people["colleague"])[loser].pk,
    ]


def test_two_recruiters_editing_one_live_posting_lose_nothing(live_server, people):
    posting = PublishedPostingFactory(company=people["company"], title="Data Engineer")
    first = AdminSession(live_server.url, people["recruiter"])
    second = AdminSession(live_server.url, people["colleague"])
    first_values = first.form_values(first.open(change_url(posting)), "jobposting_form")
    second_values = second.form_values(second.open(change_url(posting)), "jobposting_form")

    results = race(
        lambda: first.submit(change_url(posting), first_values, title="Lead Data Engineer"),
        lambda: second.submit(change_url(posting), second_values, location="Porto"),
    )

    assert sorted(map(saved, results)) == [False, True], [r.status_code for r in results]
    loser = 0 if not saved(results[0]) else 1
    assert STALE in text_of(results[loser].text)
    posting.refresh_from_db()
    assert posting.title == "Data Engineer"  # live until approved
    revision = PostingRevision.objects.get(posting=posting, state=RevisionState.PENDING)
    expected = {0: ("Lead Data Engineer", ""), 1: ("Data Engineer", "Porto")}[1 - loser]
    assert (revision.data["title"], revision.data["location"]) == expected


def test_a_moderator_s_edit_of_a_live_posting_survives_the_pending_edit(live_server, people):
    posting = PublishedPostingFactory(
        company=people["company"], title="Data Engineer", apply_url="https://acme.example/a"
    )
    recruiter = AdminSession(live_server.url, people["recruiter"])
    moderator = AdminSession(live_server.url, people["moderator"])
    page = recruiter.open(change_url(posting))
    assert saved(
        recruiter.submit(
            change_url(posting),
            recruiter.form_values(page, "jobposting_form"),
            title="Senior Data Engineer",
        )
    )
    recruiter_values = recruiter.form_values(
        recruiter.open(change_url(posting)), "jobposting_form"
    )
    moderator_values = moderator.form_values(
        moderator.open(change_url(posting)), "jobposting_form"
    )

    by_recruiter, by_moderator = race(
        lambda: recruiter.submit(change_url(posting), recruiter_values, location="Berlin"),
        lambda: moderator.submit(
            change_url(posting),
            moderator_values,
            apply_url="https://acme.example/careers/42",
            _save="Save",
        ),
    )

    assert saved(by_moderator), text_of(by_moderator.text)[:2000]
    if not saved(by_recruiter):
        # The moderator's rebase changed the edit under the recruiter's form: shown, kept.
        assert STALE in text_of(by_recruiter.text)
        assert "https://acme.example/careers/42" in text_of(by_recruiter.text)
        retry = recruiter.submit(
            change_url(posting),
            recruiter.form_values(lxml.html.fromstring(by_recruiter.text), "jobposting_form"),
            apply_url="https://acme.example/careers/42",
        )
        assert saved(retry), text_of(retry.text)[:2000]
    edited = posting.events.get(action=EventAction.EDITED)
    assert edited.actor == people["moderator"]
    revision = PostingRevision.objects.get(posting=posting, state=RevisionState.PENDING)
    assert (revision.data["title"], revision.data["location"], revision.data["apply_url"]) == (
        "Senior Data Engineer",
        "Berlin",
        "https://acme.example/careers/42",
    )
    # Approving the recruiter's edit keeps the moderator's change.
    review = moderator.open(review_url(posting))
    approved = moderator.submit(
        review_url(posting),
        moderator.form_values(review, "review-decision-form"),
        decision="approve",
    )
    assert saved(approved)
    posting.refresh_from_db()
    assert (posting.title, posting.location, posting.apply_url) == (
        "Senior Data Engineer",
        "Berlin",
        "https://acme.example/careers/42",
    )


def test_two_people_saving_one_company_one_is_refused(live_server, people):
    company = people["company"]
    first = AdminSession(live_server.url, SuperuserFactory(language="en"))
    second = AdminSession(live_server.url, SuperuserFactory(language="en"))
    url = reverse("admin:companies_company_change", args=[company.pk])
    first_values = first.form_values(first.open(url), "company_form")
    second_values = second.form_values(second.open(url), "company_form")

    results = race(
        lambda: first.submit(url, first_values, website="https://acme.example", _save="Save"),
        lambda: second.submit(url, second_values, description="We make anvils.", _save="Save"),
    )

    assert sorted(map(saved, results)) == [False, True], [r.status_code for r in results]
    loser = 0 if not saved(results[0]) else 1
    page = text_of(results[loser].text)
    assert STALE in page
    assert ("We make anvils." if loser == 0 else "https://acme.example") in page
    company.refresh_from_db()
    assert (company.website, company.description) == (
        ("", "We make anvils.") if loser == 0 else ("https://acme.example", "")
    )


ADD_URL = reverse("admin:jobs_jobposting_add")


def add_form_values(session, company) -> list[tuple[str, str]]:
    values = session.form_values(session.open(ADD_URL), "jobposting_form")
    filled = {
        "title": "Site Reliability Engineer",
        "company": str(company.pk),
        "language": "en",
        "description": "Keep the lights on.\n\n- Linux\n- PostgreSQL",
        "countries": "DE",
        "workplace": "remote",
        "apply_url": "https://acme.example/jobs/sre",
    }
    return [(name, value) for name, value in values if name not in filled] + list(filled.items())


def test_the_add_form_sent_twice_at_once_creates_one_posting_and_one_review_email(
    live_server, people, mailoutbox
):
    recruiter = AdminSession(live_server.url, people["recruiter"])
    values = add_form_values(recruiter, people["company"])
    token = dict(values)["form_token"]
    assert token

    results = race(
        lambda: recruiter.submit(ADD_URL, values, _submit="Submit"),
        lambda: recruiter.submit(ADD_URL, values, _submit="Submit"),
    )

    assert [response.status_code for response in results] == [302, 302]
    posting = JobPosting.objects.get()
    assert str(posting.creation_token) == token
    assert posting.status == Status.PENDING
    assert posting.events.filter(action=EventAction.CREATED).count() == 1
    assert posting.events.filter(action=EventAction.SUBMITTED).count() == 1
    review_emails = [m.to for m in mailoutbox if m.subject.startswith("To review")]
    # One each for the two moderators.
    assert sorted(review_emails) == sorted(
        [[people["moderator"].email], [people["moderator_2"].email]]
    )
    # The later answer leads to the one posting (what it says: the test below).
    assert change_url(posting) in [response.headers["Location"] for response in results]


def test_a_replayed_add_form_leads_to_the_posting_it_created(live_server, people):
    recruiter = AdminSession(live_server.url, people["recruiter"])
    values = add_form_values(recruiter, people["company"])
    first = recruiter.submit(ADD_URL, values, _save="Save")
    replay = recruiter.submit(ADD_URL, values, _save="Save")

    posting = JobPosting.objects.get()
    assert first.status_code == replay.status_code == 302
    assert replay.headers["Location"] == change_url(posting)
    assert "was sent twice" in text_of(recruiter.follow(replay))


def test_renew_sent_twice_at_once_renews_once(live_server, people, settings):
    posting = PublishedPostingFactory(
        company=people["company"], expires_at=timezone.now() + timedelta(days=2)
    )
    url = reverse("admin:jobs_jobposting_renew", args=[posting.pk])
    recruiter = AdminSession(live_server.url, people["recruiter"])
    colleague = AdminSession(live_server.url, people["colleague"])
    mine = recruiter.form_values(recruiter.open(url), None)
    theirs = colleague.form_values(colleague.open(url), None)

    results = race(lambda: recruiter.submit(url, mine), lambda: colleague.submit(url, theirs))

    assert [response.status_code for response in results] == [302, 302]
    assert posting.events.filter(action=EventAction.RENEWED).count() == 1
    posting.refresh_from_db()
    validity = timedelta(days=settings.JOBS_DEFAULT_VALIDITY_DAYS)
    assert posting.expires_at <= timezone.now() + validity
    assert posting.expires_at > timezone.now() + validity - timedelta(minutes=5)
    pages = [
        text_of(session.follow(response))
        for session, response in zip((recruiter, colleague), results, strict=True)
    ]
    assert sum("now stays online until" in page for page in pages) == 1
    assert sum("was already renewed" in page for page in pages) == 1


def test_a_double_clicked_approval_approves_once(live_server, people, mailoutbox):
    posting = PendingPostingFactory(company=people["company"])
    moderator = AdminSession(live_server.url, people["moderator"])
    values = moderator.form_values(moderator.open(review_url(posting)), "review-decision-form")

    results = race(
        lambda: moderator.submit(review_url(posting), values, decision="approve"),
        lambda: moderator.submit(review_url(posting), values, decision="approve"),
    )

    assert [response.status_code for response in results] == [302, 302]
    assert posting.events.filter(action=EventAction.APPROVED).count() == 1
    approved = [m.to for m in mailoutbox if m.subject.startswith("Approved")]
    # One each for the company's two recruiters.
    assert sorted(approved) == sorted([[people["recruiter"].email], [people["colleague"].email]])
