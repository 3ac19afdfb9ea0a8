"""Why an import held a posting, shown on the review page in the moderator's language: the
reasons are stored as codes and dates, not as the worker's text."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from jobs.models import JobPosting
from tests.factories import ModeratorFactory
from tests.jobs.imports.helpers import fixture
from tests.jobs.imports.test_command import import_jobs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "date"),
    [
        ("de", "Warum der Import sie zurückgehalten hat", "2. April 2013"),
        ("fr", "Pourquoi l’import l’a retenue", "2 avril 2013"),
        ("es", "Por qué la importación la retuvo", "2 de abril de 2013"),
        ("pt-br", "Por que a importação a reteve", "2 de abril de 2013"),
    ],
)
def test_the_review_page_says_why_an_import_held_it_in_the_reader_s_language(
    client, language, heading, date
):
    import_jobs(fixture("jsonld/held.json"), publish=True)
    stale = JobPosting.objects.get(external_id="OLD-2013")
    assert stale.review_reasons and stale.review_reasons[0][1]["date"] == "2013-04-02"
    client.force_login(ModeratorFactory(language=language))

    page = client.get(reverse("admin:jobs_pendingposting_change", args=[stale.pk]))

    html = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert heading in html
    assert date in html
    assert "April 2, 2013" not in html  # not the worker's English text


def test_a_posting_held_before_the_codes_shows_its_stored_text(client):
    import_jobs(fixture("jsonld/held.json"), publish=True)
    stale = JobPosting.objects.get(external_id="OLD-2013")
    JobPosting.objects.filter(pk=stale.pk).update(review_reasons=[], review_reason="Old words.")
    client.force_login(ModeratorFactory(language="en"))

    page = client.get(reverse("admin:jobs_pendingposting_change", args=[stale.pk]))

    assert "Old words." in page.content.decode()
