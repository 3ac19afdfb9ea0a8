"""Queries compiled once and run with other values (jobs.prepared)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import BigIntegerField, CharField, DateTimeField
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobs.models import JobPosting
from jobs.prepared import Parameter, PreparedQuery
from jobs.querysets import CARD_VALUES, LIST_ORDER, any_word_query
from jobs.selectors import _similar_query, job_cards
from locales.models import Region
from tests.factories import PublishedPostingFactory

pytestmark = pytest.mark.django_db


def by_title() -> PreparedQuery:
    return PreparedQuery(
        JobPosting,
        lambda: (
            JobPosting.objects.filter(title=Parameter("title", CharField()))
            .exclude(pk=Parameter("pk", BigIntegerField()))
            .order_by("pk")
            .values_list("pk", "title", named=True)
        ),
    )


def test_each_run_takes_its_own_values_and_compiles_once():
    first = PublishedPostingFactory(title="O'Brien & Sons'; DROP TABLE jobs_jobposting; --")
    second = PublishedPostingFactory(title="Gardener")
    query = by_title()

    assert query.rows(title=first.title, pk=0) == [(first.pk, first.title)]
    with CaptureQueriesContext(connection) as captured:
        rows = query.rows(title="Gardener", pk=0)
        assert query.rows(title="Gardener", pk=second.pk) == []
    assert rows[0].pk == second.pk and rows[0].title == "Gardener"
    # the same statement, its values as parameters: a quote in a value is only a quote
    assert captured[0]["sql"].replace("Gardener", "") == captured[1]["sql"].replace(
        "Gardener", ""
    ).replace(str(second.pk), "0")
    assert JobPosting.objects.count() == 2


def test_a_value_used_twice_is_given_once():
    PublishedPostingFactory(title="Data engineer")
    since = Parameter("since", DateTimeField())
    query = PreparedQuery(
        JobPosting,
        lambda: JobPosting.objects.filter(
            published_at__gte=since, created_at__gte=since
        ).values_list("title", named=True),
    )

    assert [row.title for row in query.rows(since=timezone.now() - timedelta(days=7))] == [
        "Data engineer"
    ]
    assert query.rows(since=timezone.now() + timedelta(days=1)) == []


def test_the_similar_postings_query_gives_the_rows_the_orm_gives():
    """Arrays, JSON and dates come out converted as the queryset's own rows are."""
    region = Region.objects.get(code="latin-america")
    viewed = PublishedPostingFactory(title="Data engineer")
    for days in range(1, 4):
        PublishedPostingFactory(
            title=f"Data analyst {days}",
            region=region,
            countries=["BR", "AR"],
            published_at=timezone.now() - timedelta(days=days),
        )
    PublishedPostingFactory(title="Gardener")
    since = timezone.now() - timedelta(days=30)

    prepared = _similar_query("en").rows(pk=viewed.pk, words="Data | engineer", since=since)

    orm = list(
        job_cards(language="en")
        .exclude(pk=viewed.pk)
        .search_row_by_row(any_word_query("Data engineer", "en"))
        .filter(published_at__gte=since)
        .values_list(*CARD_VALUES, "rank", "seniority", named=True)
        .order_by(*LIST_ORDER)[:20]
    )
    assert len(prepared) == 3
    assert prepared == orm
    assert prepared[0]._fields == orm[0]._fields
    assert prepared[0].region_names["en"] == region.names["en"]
    assert prepared[0].countries == ["BR", "AR"]


def test_each_thread_compiles_its_own(django_db_blocker):
    posting = PublishedPostingFactory(title="Nurse")
    query = by_title()
    found = []

    def run():
        # A thread of its own has a connection of its own, outside the test's transaction:
        # it sees no posting, but runs its own compiled statement without error.
        with django_db_blocker.unblock():
            try:
                found.append(query.rows(title="Nurse", pk=0))
            finally:
                connection.close()

    query.rows(title="Nurse", pk=0)
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()

    assert found == [[]]
    assert query.rows(title="Nurse", pk=0) == [(posting.pk, "Nurse")]
