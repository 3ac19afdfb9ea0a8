"""Complaints raced by two real clients against the live server: one wins, the other is
refused with a clear message, and nothing is filed or decided twice."""

import pytest
from django.urls import reverse

from jobs.models import Complaint, ComplaintState, EventAction, PostingEvent
from jobs.services.complaints import complaint_file
from jobs.services.moderation import posting_take_down
from tests.factories import (
    CompanyFactory,
    ModeratorFactory,
    PublishedPostingFactory,
    RecruiterFactory,
)
from tests.racing import AdminSession, plain_http_cookies, race  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("plain_http_cookies"),
]


@pytest.fixture
def statement():
    company = CompanyFactory(name="Acme", slug="acme")
    RecruiterFactory(company=company, language="en", username="ana")
    RecruiterFactory(company=company, language="en", username="bea")
    posting = PublishedPostingFactory(company=company)
    posting_take_down(posting=posting, actor=ModeratorFactory(language="en"), reason="other")
    return posting.statements.get()


def test_two_recruiters_filing_at_once_file_one_complaint(live_server, statement):
    company = statement.posting.company
    first, second = (
        AdminSession(live_server.url, membership.user)
        for membership in company.memberships.select_related("user").order_by("user__username")
    )
    add = reverse("admin:jobs_complaint_add")
    url = f"{add}?statement={statement.pk}"
    first_values = first.form_values(first.open(url), "complaint_form")
    second_values = second.form_values(second.open(url), "complaint_form")

    results = race(
        lambda: first.submit(add, first_values, text="Ours is a real job.", _save="Save"),
        lambda: second.submit(add, second_values, text="Please look again.", _save="Save"),
    )

    assert sorted(r.status_code for r in results) == [200, 302]
    loser = next(r for r in results if r.status_code == 200)
    assert "already awaiting a decision" in loser.text
    assert Complaint.objects.count() == 1


def test_two_moderators_deciding_at_once_decide_once(live_server, statement):
    recruiter = statement.posting.company.memberships.first().user
    complaint = complaint_file(statement=statement, actor=recruiter, text="Real job.")
    first = AdminSession(live_server.url, ModeratorFactory(language="en"))
    second = AdminSession(live_server.url, ModeratorFactory(language="en"))
    change = reverse("admin:jobs_complaint_change", args=[complaint.pk])
    first_values = first.form_values(first.open(change), "complaint_form")
    second_values = second.form_values(second.open(change), "complaint_form")

    results = race(
        lambda: first.submit(change, first_values, outcome="upheld", reply="Contract seen."),
        lambda: second.submit(change, second_values, outcome="rejected", reply="Still other."),
    )

    # The loser is refused on the form (it read the complaint open) or, arriving once the
    # winner committed, sent back to the decided complaint: either way with the reason.
    pages = [first.follow(results[0]), second.follow(results[1])]
    assert sum("This complaint was decided already" in page for page in pages) == 1
    complaint.refresh_from_db()
    assert complaint.state in (ComplaintState.UPHELD, ComplaintState.REJECTED)
    reinstated = PostingEvent.objects.filter(action=EventAction.REINSTATED).count()
    assert reinstated == (1 if complaint.state == ComplaintState.UPHELD else 0)
