"""Per-language feeds: the same job in German and English is two postings, linked."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.utils import timezone

from jobs.imports.models import PostingSource
from jobs.models import JobPosting
from tests.jobs.imports.helpers import fixture
from tests.jobs.imports.test_command import import_jobs, summary

pytestmark = pytest.mark.django_db

GERMAN = fixture("versions/personio_de.xml")
ENGLISH = fixture("versions/personio_en.xml")


def test_one_position_id_in_two_language_feeds_is_two_linked_postings(client):
    german_run = import_jobs(GERMAN, "--source-name", "Kranich", "--publish")
    english_run = import_jobs(ENGLISH, "--source-name", "Kranich", "--publish")

    assert summary(german_run)["created"] == 1
    assert summary(english_run)["created"] == 1
    german = JobPosting.objects.get(language="de")
    english = JobPosting.objects.get(language="en")
    assert german.external_id == english.external_id == "2207001"
    assert german.translation_group == english.translation_group is not None
    assert set(PostingSource.objects.values_list("language", flat=True)) == {"de", "en"}
    # Personio's structured salary, in both
    for posting in (german, english):
        assert (posting.salary_min, posting.salary_max) == (Decimal(42000), Decimal(48000))
        assert (posting.salary_currency, posting.salary_period) == ("EUR", "year")

    # Personio's XML has no apply link: both wait for a moderator, who publishes them
    assert {german.status, english.status} == {"pending"}
    JobPosting.objects.update(status="published", published_at=timezone.now())
    page = client.get(english.get_absolute_url())
    assert page.status_code == HTTPStatus.OK
    assert f'href="{german.get_absolute_url()}" hreflang="de"' in page.content.decode()

    # each feed again: nothing changes, neither version overwrites the other
    assert summary(import_jobs(GERMAN, "--source-name", "Kranich", "--publish"))["unchanged"] == 1
    assert summary(import_jobs(ENGLISH, "--source-name", "Kranich", "--publish"))["unchanged"] == 1
    assert JobPosting.objects.count() == 2
    german.refresh_from_db()
    assert german.title.startswith("Disponent")


def test_versions_from_two_sources_of_one_company_meet(client):
    import_jobs(GERMAN, "--source-name", "Kranich DE", "--publish")
    import_jobs(ENGLISH, "--source-name", "Kranich EN", "--publish")

    groups = set(JobPosting.objects.values_list("translation_group", flat=True))
    assert len(groups) == 1 and None not in groups
