"""The list's filter set (jobs.filters): what each parameter does to the list, what a job
alert keeps of a search, and a stored search in words."""

import pytest
from django.utils import translation

from jobs.facets import facets
from jobs.filters import JobFilter, SearchField, alert_search, describe_search
from jobs.models import JobPosting
from tests.factories import CompanyFactory, PublishedPostingFactory

pytestmark = pytest.mark.django_db


def job_filter(parameters: dict, language: str = "en") -> JobFilter:
    return JobFilter(
        parameters,
        queryset=JobPosting.objects.open().in_language(language),
        language=language,
        facets=facets(language=language),
    )


def test_control_characters_in_a_search_become_spaces():
    assert SearchField().clean("senior\tpython\x1b  dev ") == "senior python dev"


def test_each_filter_narrows_the_list():
    remote = PublishedPostingFactory(title="Python developer", workplace="remote")
    PublishedPostingFactory(title="Python developer", workplace="onsite")
    PublishedPostingFactory(title="Gardener", workplace="remote")

    found = job_filter({"q": "python", "workplace": "remote"}).qs

    assert list(found) == [remote]


def test_a_refused_value_is_left_out_and_the_rest_applies():
    python = PublishedPostingFactory(title="Python developer")
    PublishedPostingFactory(title="Gardener")

    filterset = job_filter({"q": "python", "seniority": "wizard"})

    assert list(filterset.qs) == [python]
    assert list(filterset.errors) == ["seniority"]


def test_the_count_is_known_from_the_facets_or_the_counts_that_follow_the_filters():
    PublishedPostingFactory.create_batch(2, countries=["IE"], workplace="remote")
    PublishedPostingFactory(countries=["FR"], workplace="onsite")

    assert job_filter({}).known_count() == 3
    assert job_filter({"country": "IE"}).known_count() == 2
    assert job_filter({"workplace": "onsite", "sort": "newest"}).known_count() == 1
    # Counted with the facets that follow the filters (jobs.facet_search).
    assert job_filter({"country": "IE", "workplace": "remote"}).known_count() == 2
    # A search sorted by relevance counts its ranked window.
    assert job_filter({"q": "python"}).known_count() is None


def test_a_country_list_reads_its_listed_rows_only_when_they_carry_every_filter():
    PublishedPostingFactory(countries=["IE"])

    assert job_filter({"country": "IE", "workplace": "remote"}).listed_rows() is not None
    assert job_filter({"country": "IE", "q": "python"}).listed_rows() is None
    assert job_filter({"workplace": "remote"}).listed_rows() is None


def test_a_search_is_sorted_by_relevance_unless_asked_for_the_newest():
    assert job_filter({"q": "python"}).relevance
    assert not job_filter({"q": "python", "sort": "newest"}).relevance
    assert not job_filter({}).relevance


def test_an_alert_keeps_the_search_as_it_took_effect():
    PublishedPostingFactory(countries=["IE"])
    filterset = job_filter(
        {"q": "  python   dev ", "country": "IE", "sort": "newest", "posted": "7",
         "currency": "USD", "seniority": "wizard"}
    )  # fmt: skip

    # No order, no date window, no currency without an amount, nothing refused.
    assert alert_search(filterset) == {"q": "python dev", "country": "IE"}
    with_amount = job_filter({"salary_min": "50000", "currency": "USD"})
    assert alert_search(with_amount) == {"salary_min": "50000", "currency": "USD"}


def test_a_stored_search_reads_in_words_in_the_active_language():
    CompanyFactory(slug="acme", name="Acme")
    parameters = {"q": "python", "country": "BR", "workplace": "remote", "company": "acme"}

    with translation.override("fr"):
        words = describe_search(parameters, "fr")

    assert words == "“python” · Brésil · Télétravail · Acme"
    assert describe_search({}, "en") == "All jobs"
    assert describe_search({"company": "gone"}, "en") == "gone"
