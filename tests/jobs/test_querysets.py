"""The postings' query vocabulary (jobs.querysets): each word selects what its name says."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jobs.models import JobPosting, Status
from jobs.querysets import any_word_query, search_query
from locales.models import Region
from tests.factories import (
    ExpiredPostingFactory,
    PendingPostingFactory,
    PostingFactory,
    PublishedPostingFactory,
)

pytestmark = pytest.mark.django_db


def test_open_excludes_drafts_expired_and_hidden_postings():
    live = PublishedPostingFactory()
    PostingFactory()
    ExpiredPostingFactory()
    PublishedPostingFactory(hidden_at=timezone.now())

    assert list(JobPosting.objects.open()) == [live]
    assert JobPosting.objects.published().count() == 3


def test_in_country_finds_postings_of_a_region():
    latin_america = Region.objects.get(code="latin-america")
    remote = PublishedPostingFactory(region=latin_america, countries=latin_america.countries)
    PublishedPostingFactory(countries=["DE"])

    assert list(JobPosting.objects.open().in_country("BR")) == [remote]
    assert list(JobPosting.objects.open().in_country("MX")) == [remote]


def titles(queryset) -> list[str]:
    return sorted(queryset.values_list("title", flat=True))


def test_a_search_matches_the_last_word_as_a_prefix_and_the_rest_as_typed():
    PublishedPostingFactory(title="Senior Python developer")
    PublishedPostingFactory(title="Python trainee")
    PublishedPostingFactory(title="Senior Java developer")
    postings = JobPosting.objects.open()

    assert titles(postings.search(search_query("senior pyth", "en"))) == [
        "Senior Python developer"
    ]
    assert titles(postings.search(search_query("java or pyth", "en"))) == [
        "Python trainee", "Senior Java developer", "Senior Python developer"
    ]  # fmt: skip
    assert titles(postings.search(search_query('"senior java"', "en"))) == [
        "Senior Java developer"
    ]


def test_similar_postings_look_for_any_word_of_a_title_but_its_numbers():
    PublishedPostingFactory(title="Data engineer")
    PublishedPostingFactory(title="Engineer 2")
    PublishedPostingFactory(title="Gardener")

    query = any_word_query("Data 2", "en")

    assert titles(JobPosting.objects.open().search_row_by_row(query)) == ["Data engineer"]
    assert any_word_query("2 572", "en") is None


def test_a_salary_is_compared_per_year_in_euros():
    # The reference rates: 1 EUR buys about 1.08 USD (locales.migrations.0005).
    PublishedPostingFactory(title="monthly", salary_min=4000, salary_currency="EUR",
                            salary_period="month")  # fmt: skip
    PublishedPostingFactory(title="hourly", salary_max=20, salary_currency="USD",
                            salary_period="hour")  # fmt: skip
    PublishedPostingFactory(title="none")

    assert titles(JobPosting.objects.paying_at_least(Decimal(45_000))) == ["monthly"]
    assert titles(JobPosting.objects.paying_at_least(Decimal(30_000))) == ["hourly", "monthly"]


def test_posted_within_counts_days_back_from_now():
    PublishedPostingFactory(title="new", published_at=timezone.now() - timedelta(hours=2))
    PublishedPostingFactory(title="old", published_at=timezone.now() - timedelta(days=10))

    assert titles(JobPosting.objects.posted_within(1)) == ["new"]
    assert titles(JobPosting.objects.posted_within(30)) == ["new", "old"]


def test_a_country_listing_reads_only_open_postings_of_its_language():
    PublishedPostingFactory(title="here", countries=["IE"], workplace="remote")
    PublishedPostingFactory(title="onsite", countries=["IE"], workplace="onsite")
    PublishedPostingFactory(title="french", language="fr", countries=["IE"])
    ExpiredPostingFactory(title="gone", countries=["IE"])

    listed = JobPosting.objects.listed_in_country("IE", language="en", workplace="remote")

    assert titles(listed.filter(pk__in=JobPosting.objects.open())) == ["here"]


def test_the_review_queue_holds_submissions_and_pending_edits_longest_waiting_first():
    from jobs.models import PostingRevision, RevisionState

    now = timezone.now()
    recent = PendingPostingFactory(submitted_at=now - timedelta(hours=1))
    waiting = PendingPostingFactory(submitted_at=now - timedelta(days=2))
    edited = PublishedPostingFactory(submitted_at=now - timedelta(days=1))
    PostingRevision.objects.create(posting=edited, data={}, state=RevisionState.PENDING)
    PublishedPostingFactory()

    queue = list(JobPosting.objects.awaiting_review())

    assert queue == [waiting, edited, recent]
    assert [posting.has_pending_edit for posting in queue] == [False, True, False]
    assert {posting.status for posting in queue} == {Status.PENDING, Status.PUBLISHED}
