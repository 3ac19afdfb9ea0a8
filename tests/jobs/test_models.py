"""The database itself refuses a posting that makes no sense, whatever door it came through."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import PostingFactory, PublishedPostingFactory

pytestmark = pytest.mark.django_db


def refused(**fields) -> bool:
    try:
        with transaction.atomic():
            PostingFactory(**fields)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    "fields",
    [
        {"language": "xx"},
        {"workplace": "moon"},
        {"employment_type": "forever"},
        {"seniority": "wizard"},
        {"status": "limbo"},
        {"description_format": "rtf"},
        {
            "salary_min": Decimal(90),
            "salary_max": Decimal(10),
            "salary_currency": "EUR",
            "salary_period": "year",
        },
        {"salary_min": Decimal(-1), "salary_currency": "EUR", "salary_period": "year"},
        {"salary_min": Decimal(50000), "salary_currency": "", "salary_period": "year"},
        {"salary_min": Decimal(50000), "salary_currency": "eur", "salary_period": "year"},
        {"salary_min": Decimal(50000), "salary_currency": "EUR", "salary_period": ""},
        {"salary_min": Decimal(50000), "salary_currency": "EUR", "salary_period": "eon"},
        {"status": "published", "published_at": None},
    ],
    ids=lambda fields: ",".join(f"{key}={value}" for key, value in fields.items()),
)
def test_database_refuses_inconsistent_postings(fields):
    assert refused(**fields)


def test_database_refuses_expiry_before_publication():
    now = timezone.now()
    assert refused(status="published", published_at=now, expires_at=now - timedelta(days=1))


def test_external_id_is_unique_per_source():
    PostingFactory(source_name="LinkedIn", external_id="123")
    PostingFactory(source_name="Indeed", external_id="123")
    PostingFactory(source_name="LinkedIn", external_id="")
    PostingFactory(source_name="LinkedIn", external_id="")

    assert refused(source_name="LinkedIn", external_id="123")


def test_a_consistent_posting_with_a_salary_is_accepted():
    posting = PublishedPostingFactory(
        salary_min=Decimal(8000),
        salary_max=Decimal(8000),
        salary_currency="USD",
        salary_period="month",
    )
    assert posting.pk
    assert posting.has_salary


def test_open_excludes_drafts_and_expired_postings():
    from jobs.models import JobPosting
    from tests.factories import ExpiredPostingFactory

    live = PublishedPostingFactory()
    PostingFactory()
    ExpiredPostingFactory()

    assert list(JobPosting.objects.open()) == [live]


def test_the_list_query_built_once_judges_expiry_each_time_it_runs():
    from jobs.models import JobPosting
    from jobs.selectors import job_cards, job_list

    posting = PublishedPostingFactory(language="en", expires_at=timezone.now() + timedelta(days=1))
    assert list(job_list(language="en")) == [posting]
    assert list(job_list(language="en").filter(pk=0)) == []  # a copy: the next starts afresh
    assert [row.pk for row in job_cards(language="en")] == [posting.pk]

    JobPosting.objects.filter(pk=posting.pk).update(
        published_at=timezone.now() - timedelta(days=2),
        expires_at=timezone.now() - timedelta(seconds=1),
    )

    assert list(job_list(language="en")) == []
    assert list(job_cards(language="en")) == []


def test_in_country_finds_postings_of_a_region():
    from jobs.models import JobPosting
    from locales.models import Region

    latin_america = Region.objects.get(code="latin-america")
    remote = PublishedPostingFactory(region=latin_america, countries=latin_america.countries)
    PublishedPostingFactory(countries=["DE"])

    assert list(JobPosting.objects.open().in_country("BR")) == [remote]
    assert list(JobPosting.objects.open().in_country("MX")) == [remote]
