"""Reports: the reported company sees why and when, never the reporter's words; moderators
hear when reports hide a posting and find the hidden ones first."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Report
from jobs.services.reports import report_create
from tests.factories import (
    CompanyFactory,
    ModeratorFactory,
    PublishedPostingFactory,
    RecruiterFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db

PRIVATE = "call me on +49 170 5550199"


@pytest.fixture
def reported():
    company = CompanyFactory(name="Acme", slug="acme")
    posting = PublishedPostingFactory(company=company, title="Warehouse Lead")
    report = ReportFactory(posting=posting, reason="scam", message=f"Fee asked, {PRIVATE}")
    return company, posting, report


@pytest.mark.parametrize(
    "url",
    [
        lambda posting, report: reverse("admin:jobs_report_changelist"),
        lambda posting, report: reverse("admin:jobs_report_change", args=[report.pk]),
        lambda posting, report: reverse("admin:jobs_jobposting_change", args=[posting.pk]),
    ],
)
def test_recruiters_see_the_reason_and_date_never_the_reporter_s_words(client, reported, url):
    company, posting, report = reported
    client.force_login(RecruiterFactory(company=company, language="en"))

    page = client.get(url(posting, report)).content.decode()

    assert PRIVATE not in page
    assert "5550199" not in page
    assert "Scam or fraud" in page


def test_recruiters_cannot_search_the_reporter_s_words(client, reported):
    company, _posting, _report = reported
    client.force_login(RecruiterFactory(company=company, language="en"))

    response = client.get(reverse("admin:jobs_report_changelist"), {"q": "5550199"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == 0


def test_moderators_read_the_reporter_s_words(client, reported):
    _company, _posting, report = reported
    client.force_login(ModeratorFactory(language="en"))

    page = client.get(reverse("admin:jobs_report_change", args=[report.pk])).content.decode()

    assert PRIVATE in page


def test_moderators_are_told_once_when_reports_call_for_a_decision(
    client, mailoutbox, settings, django_capture_on_commit_callbacks
):
    moderator = ModeratorFactory(language="en")
    posting = PublishedPostingFactory(title="Too Good To Be True")
    with django_capture_on_commit_callbacks(execute=True):
        for client_address in ("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"):
            report_create(posting=posting, reason="scam", message="", client=client_address)

    posting.refresh_from_db()
    assert posting.hidden_at is None  # reports never take a posting offline by themselves
    hidden = [m for m in mailoutbox if m.subject == "Reports to decide: Too Good To Be True"]
    assert [m.to for m in hidden] == [[moderator.email]]
    link = next(line for line in hidden[0].body.splitlines() if "/admin/jobs/report/" in line)
    client.force_login(moderator)
    response = client.get(link.removeprefix(settings.SITE_URL.rstrip("/")))
    assert response.status_code == HTTPStatus.OK
    assert {report.posting_id for report in response.context["cl"].result_list} == {posting.pk}


def test_the_report_list_shows_hidden_postings_first_grouped(client):
    visible = PublishedPostingFactory(title="Visible")
    hidden = PublishedPostingFactory(title="Hidden", hidden_at=timezone.now())
    for posting in (visible, hidden, visible, hidden):
        ReportFactory(posting=posting)
    client.force_login(ModeratorFactory(language="en"))

    response = client.get(reverse("admin:jobs_report_changelist"))

    order = [report.posting_id for report in response.context["cl"].result_list]
    assert order == [hidden.pk, hidden.pk, visible.pk, visible.pk]
    assert Report.objects.count() == 4
