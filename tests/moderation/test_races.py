"""Races between real clients (own sessions, own CSRF tokens) against the live server: each
must end with one winner, the other refused with a clear message, and nothing lost."""

import html
import re

import pytest
from django.urls import reverse

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
    PublishedPostingFactory,
    RecruiterFactory,
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
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


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
        moderator.form_values(
            __import__("lxml.html").html.fromstring(refused.text), "review-decision-form"
        ),
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
