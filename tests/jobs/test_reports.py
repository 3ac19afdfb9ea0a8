"""Candidates report postings; enough distinct reporters queue one for a moderator; staff
resolve reports."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jobs.models import JobPosting, Report, Status
from jobs.services.reports import awaiting_review, report_create
from tests.factories import ModeratorFactory, PublishedPostingFactory, ReportFactory

pytestmark = pytest.mark.django_db


# A notice as the form sends it (DSA Art. 16).
NOTICE = {
    "reason": "scam",
    "message": "Asks for money.",
    "notifier_name": "Ana Example",
    "notifier_email": "ana@example.org",
    "good_faith": "on",
    "website": "",
}


def report_url(posting):
    with translation.override(posting.language):
        return reverse("jobs:job_report", kwargs={"pk": posting.pk, "slug": posting.slug})


def report(client, posting, ip="203.0.113.7", **data):
    return client.post(
        report_url(posting),
        {**NOTICE, "url": f"http://testserver{posting.get_absolute_url()}", **data},
        REMOTE_ADDR=ip,
    )


def test_the_posting_page_offers_an_accessible_report_form(client):
    posting = PublishedPostingFactory()

    html = client.get(posting.get_absolute_url()).content.decode()

    assert f'action="{report_url(posting)}#report"' in html
    assert "<legend>What is wrong with this posting?</legend>" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'type="radio" name="reason" value="wrong_information"' in html


def test_a_candidate_reports_a_posting(client):
    posting = PublishedPostingFactory()

    response = report(client, posting)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{posting.get_absolute_url()}#report"
    stored = Report.objects.get()
    assert (stored.posting, stored.reason, stored.message) == (posting, "scam", "Asks for money.")
    assert "203.0.113.7" not in stored.client_hash
    assert len(stored.client_hash) == 64
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you. Our moderators will look at this posting." in thanks


def test_bad_input_re_renders_the_page_with_errors(client):
    posting = PublishedPostingFactory(title="Data Engineer")

    response = report(client, posting, reason="nonsense")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "Data Engineer" in html
    assert 'role="alert"' in html
    assert "Select a valid choice" in html
    assert not Report.objects.exists()


def test_the_form_is_translated(client):
    posting = PublishedPostingFactory(language="fr")

    response = report(client, posting, reason="")

    assert "Indiquez ce qui ne va pas dans cette offre." in response.content.decode()


def test_the_honeypot_stores_nothing(client):
    posting = PublishedPostingFactory()

    response = report(client, posting, website="http://spam.example")

    assert response.status_code == HTTPStatus.FOUND
    assert not Report.objects.exists()


def test_csrf_is_required():
    posting = PublishedPostingFactory()
    client = Client(enforce_csrf_checks=True)

    response = report(client, posting)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Report.objects.exists()


def test_one_client_is_rate_limited(client, settings):
    settings.JOBS_REPORTS_PER_CLIENT_PER_HOUR = 2
    postings = PublishedPostingFactory.create_batch(3)

    statuses = [report(client, posting).status_code for posting in postings]

    assert statuses == [HTTPStatus.FOUND, HTTPStatus.FOUND, HTTPStatus.TOO_MANY_REQUESTS]
    assert Report.objects.count() == 2
    # Another client is not affected.
    assert report(client, postings[2], ip="198.51.100.1").status_code == HTTPStatus.FOUND


def test_reports_from_three_clients_queue_the_posting_for_review_not_hide_it(client):
    """Three addresses are easily one person (an IPv6 /64, a phone, a VPN): reports put the
    posting before a moderator and leave it online until one decides."""
    posting = PublishedPostingFactory(title="Reported")
    other = PublishedPostingFactory(title="Reported once")
    report(client, other, ip="198.51.100.1")
    report(client, posting, ip="198.51.100.1")
    report(client, posting, ip="198.51.100.1")  # the same person twice counts once
    report(client, posting, ip="198.51.100.2")
    assert list(awaiting_review(JobPosting.objects.all())) == []

    report(client, posting, ip="198.51.100.3")

    posting.refresh_from_db()
    assert posting.hidden_at is None
    assert client.get(posting.get_absolute_url()).status_code == HTTPStatus.OK
    assert posting in JobPosting.objects.open()
    assert list(awaiting_review(JobPosting.objects.all())) == [posting]
    client.force_login(ModeratorFactory())
    queue = client.get(reverse("admin:jobs_report_changelist") + "?state=review")
    rows = {row.posting.title for row in queue.context["cl"].result_list}
    assert rows == {"Reported"}


def test_reports_from_one_ipv6_64_count_as_one_reporter(client):
    posting = PublishedPostingFactory()
    for address in ("2001:db8:5:6::1", "2001:db8:5:6::2", "2001:db8:5:6:abcd::3"):
        report(client, posting, ip=address)

    assert list(awaiting_review(JobPosting.objects.all())) == []


def test_a_draft_cannot_be_reported(client):
    from tests.factories import PostingFactory

    posting = PostingFactory()

    assert report(client, posting).status_code == HTTPStatus.NOT_FOUND


def test_staff_see_reports_grouped_by_posting(client):
    first = ReportFactory(posting__title="First")
    ReportFactory(posting=first.posting)
    ReportFactory(posting__title="Second")
    client.force_login(ModeratorFactory())

    response = client.get(reverse("admin:jobs_report_changelist"))

    rows = [report.posting.title for report in response.context["cl"].result_list]
    first_row = rows.index("First")
    assert rows[first_row : first_row + 2] == ["First", "First"]
    assert sorted(rows) == ["First", "First", "Second"]


def test_dismissing_brings_a_hidden_posting_back(client):
    from django.utils import timezone

    posting = PublishedPostingFactory(hidden_at=timezone.now())  # hidden before reports queued
    for ip in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        report_create(posting=posting, reason="scam", message="", client=ip)
    moderator = ModeratorFactory()
    client.force_login(moderator)

    client.post(
        reverse("admin:jobs_report_changelist"),
        {"action": "dismiss_selected", "_selected_action": [Report.objects.first().pk]},
    )

    posting.refresh_from_db()
    assert posting.hidden_at is None
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert set(Report.objects.values_list("resolution", flat=True)) == {"dismissed"}
    assert posting in JobPosting.objects.open()


def test_taking_down_from_the_reports_needs_a_reason(client):
    reported = ReportFactory()
    client.force_login(ModeratorFactory())
    url = reverse("admin:jobs_report_changelist")
    data = {"action": "take_down_selected", "_selected_action": [reported.pk]}

    asked = client.post(url, data)
    assert asked.status_code == HTTPStatus.OK
    client.post(url, {**data, "decision": "1", "reason": "scam", "message": "Confirmed."})

    reported.refresh_from_db()
    reported.posting.refresh_from_db()
    assert reported.posting.status == Status.REJECTED
    assert reported.resolution == "taken_down"


def test_recruiters_cannot_resolve_reports(client):
    from tests.factories import RecruiterFactory

    reported = ReportFactory()
    client.force_login(RecruiterFactory(company=reported.posting.company))

    response = client.get(reverse("admin:jobs_report_changelist"))
    forced = client.post(
        reverse("admin:jobs_report_changelist"),
        {"action": "dismiss_selected", "_selected_action": [reported.pk]},
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["action_form"] is None
    assert forced.status_code in (HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    reported.refresh_from_db()
    assert reported.resolved_at is None
