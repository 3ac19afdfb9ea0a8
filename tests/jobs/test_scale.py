"""What keeps the list fast at a million postings (bench/): facet counts kept by PostgreSQL,
totals from them or counted up to a cap, pages up to a cap, ranking of the newest matches."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.db.models import Count, Func
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobs import facets, filters, pagination, selectors
from jobs.models import FacetCount, JobPosting, Status
from tests.factories import ExpiredPostingFactory, PublishedPostingFactory

pytestmark = pytest.mark.django_db


def counted(language: str) -> dict:
    """The facets as a full count of the open postings would give them."""
    postings = JobPosting.objects.open().in_language(language)
    countries = dict(
        postings.annotate(country=Func("countries", function="unnest"))
        .order_by()
        .values_list("country")
        .annotate(n=Count("id"))
    )
    return {"total": postings.count(), "countries": countries}


def facets_now(language: str) -> dict:
    facets.facets_invalidate()
    counts = facets.facets(language=language)
    return {"total": counts.total, "countries": counts.countries}


def test_facet_counts_follow_every_kind_of_write():
    postings = PublishedPostingFactory.create_batch(4, language="en", countries=["IE", "FR"])
    PublishedPostingFactory(language="de", countries=["DE"], workplace="remote")
    ExpiredPostingFactory(language="en", countries=["NL"])
    assert facets_now("en") == counted("en") == {"total": 4, "countries": {"IE": 4, "FR": 4}}

    # Bulk updates and deletes, hidden and moved postings, all through the triggers.
    JobPosting.objects.filter(pk=postings[0].pk).update(hidden_at=timezone.now())
    JobPosting.objects.filter(pk=postings[1].pk).update(countries=["ES"])
    JobPosting.objects.filter(pk=postings[2].pk).update(language="de")
    JobPosting.objects.filter(pk=postings[3].pk).delete()
    for language in ("en", "de"):
        assert facets_now(language) == counted(language)
    assert facets_now("en") == {"total": 1, "countries": {"ES": 1}}


def test_published_postings_past_expiry_leave_the_counts_before_the_task_runs():
    posting = PublishedPostingFactory(language="fr", countries=["BE"])
    JobPosting.objects.filter(pk=posting.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert FacetCount.objects.get(language="fr", facet="total").count == 1
    assert facets_now("fr") == {"total": 0, "countries": {}}
    assert JobPosting.objects.get(pk=posting.pk).status == Status.PUBLISHED


def test_facets_read_a_fixed_number_of_queries(django_assert_num_queries):
    PublishedPostingFactory.create_batch(5, language="en")
    facets.facets_invalidate()
    # the counts, the published postings past expiry, the next expiry, the currencies, where
    # similar postings are looked for
    with django_assert_num_queries(5):
        facets.facets(language="en")


def test_a_total_beyond_the_cap_is_shown_as_at_least(client, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 3)
    PublishedPostingFactory.create_batch(5, language="en", workplace="remote", countries=["IE"])

    # A single filter: the facets know the total.
    response = client.get("/en/?country=IE")
    assert response.context["paginator"].display_count == "5"
    assert response.context["paginator"].num_pages == 1
    # Two filters: the counts that follow them know it too (jobs.facet_search).
    response = client.get("/en/?country=IE&workplace=remote")
    assert response.context["paginator"].display_count == "5"
    # A search newest first: its counts know its total too.
    response = client.get("/en/?q=engineer&sort=newest")
    assert response.context["paginator"].display_count == "5"


def test_pages_stop_at_the_cap(client, monkeypatch):
    monkeypatch.setattr(pagination, "PAGE_LIMIT", 20)
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 10)
    PublishedPostingFactory.create_batch(25, language="en", workplace="remote", countries=["IE"])

    # A total the facets know pages up to PAGE_LIMIT...
    assert client.get("/en/?page=1").status_code == HTTPStatus.OK
    assert client.get("/en/?page=2").status_code == HTTPStatus.NOT_FOUND
    # ...and so does one the followed counts know.
    response = client.get("/en/?country=IE&workplace=remote")
    assert len(response.context["postings"]) == 20
    assert response.context["paginator"].display_count == "25"


def test_deep_pages_read_their_ids_from_the_index_first(
    client, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(pagination, "DEFERRED_FROM", 20)
    postings = PublishedPostingFactory.create_batch(45, language="en")
    newest_first = sorted(postings, key=lambda p: (p.published_at, p.pk), reverse=True)
    client.get("/en/")  # the facets, cached

    with django_assert_num_queries(1):
        page_one = client.get("/en/")
    with django_assert_num_queries(2) as queries:  # the ids of the page, then its rows
        page_two = client.get("/en/?page=2")
    # The ids from the postings alone: a join to their companies read one per skipped row.
    assert "JOIN" not in queries.captured_queries[0]["sql"]

    assert [p.pk for p in page_one.context["postings"]] == [p.pk for p in newest_first[:20]]
    assert [p.pk for p in page_two.context["postings"]] == [p.pk for p in newest_first[20:40]]


def test_relevance_ranks_the_newest_matches(client, monkeypatch):
    monkeypatch.setattr(filters, "RANK_WINDOW", 2)
    now = timezone.now()
    old_title_match = PublishedPostingFactory(
        language="en", title="Python developer", published_at=now - timedelta(days=3)
    )
    newer = [
        PublishedPostingFactory(
            language="en",
            title="Python backend developer",
            published_at=now - timedelta(days=days),
        )
        for days in (1, 2)
    ]

    response = client.get("/en/?q=python")

    assert sorted(p.pk for p in response.context["postings"]) == sorted(p.pk for p in newer)
    assert old_title_match.pk not in [p.pk for p in response.context["postings"]]
    # The window is what a relevance search shows and counts: "2+".
    assert response.context["paginator"].display_count == "2+"


def test_similar_postings_test_the_newest_rows_not_the_search_index():
    """A word in every tenth posting had PostgreSQL read all its matches from the search
    index before keeping the newest (bench/RESULTS.md, item 22): no plan may use it."""
    PublishedPostingFactory.create_batch(8, language="de", title="Elektriker")
    viewed = PublishedPostingFactory(language="de", title="Elektriker")
    facets.facets(language="de")

    with CaptureQueriesContext(connection) as queries:
        similar = selectors.similar_postings(posting=viewed)
    assert len(similar) == 4

    with connection.cursor() as cursor:
        # Every other index of the postings dropped (the test's transaction rolls the drops
        # back), and scans that read rows one by one made dear: a plan that could find the
        # matches in a search index would.
        cursor.execute(
            "SELECT string_agg(quote_ident(indexname), ', ') FROM pg_indexes"
            " WHERE tablename = 'jobs_jobposting' AND indexname NOT LIKE 'posting_search_%%'"
            " AND indexname::regclass NOT IN (SELECT conindid FROM pg_constraint)"
        )
        cursor.execute(f"DROP INDEX {cursor.fetchone()[0]}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + queries.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # (A language's search index may still list its postings, as any partial index could.)
    assert "Index Cond: (search_vector @@" not in plan
