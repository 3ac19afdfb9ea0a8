"""The add form's Preview: the candidate page, Apply button included, from what the form
holds, before anything is saved."""

from http import HTTPStatus

import pytest

from jobs.models import JobPosting, PostingEvent
from tests.factories import CompanyFactory, RecruiterFactory
from tests.jobs.test_admin_workflows import ADD_URL, posting_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter_client(client):
    recruiter = RecruiterFactory(language="en")
    client.force_login(recruiter)
    client.company = recruiter.memberships.get().company
    return client


def test_the_add_form_offers_a_preview(recruiter_client):
    page = recruiter_client.get(ADD_URL).content.decode()

    assert 'name="_preview"' in page


def test_preview_shows_the_candidate_page_and_saves_nothing_even_sent_twice(recruiter_client):
    data = posting_form(recruiter_client.company, title="Platform Engineer", _preview="Preview")

    first = recruiter_client.post(ADD_URL, data)
    second = recruiter_client.post(ADD_URL, data)

    for response in (first, second):
        page = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert "jobs/job_detail.html" in [t.name for t in response.templates]
        assert "<h1>Platform Engineer</h1>" in page
        assert "https://acme.example/jobs/1" in page  # the Apply button's target
        assert "preview-banner" in page
        assert "no-store" in response["Cache-Control"]
    assert not JobPosting.objects.exists()
    assert not PostingEvent.objects.exists()


def test_a_preview_of_invalid_input_is_the_form_with_its_errors(recruiter_client):
    data = posting_form(
        recruiter_client.company, salary_min="9", salary_max="1", _preview="Preview"
    )

    response = recruiter_client.post(ADD_URL, data)

    assert response.status_code == HTTPStatus.OK
    assert "salary_max" in response.context["adminform"].form.errors
    assert not JobPosting.objects.exists()


def test_no_preview_for_another_company(recruiter_client):
    other = CompanyFactory(name="Other Corp")

    response = recruiter_client.post(ADD_URL, posting_form(other, _preview="Preview"))

    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FORBIDDEN)
    assert "jobs/job_detail.html" not in [t.name for t in response.templates]
    assert not JobPosting.objects.exists()
