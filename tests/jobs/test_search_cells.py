"""A search's facet counts from its cells (jobs.facet_search): counted once per search and
summed for each filter of it, equal to a direct count after every kind of write; recounted
by a real worker after a write while the previous cells answer the reader; the commonest
words counted before anyone searches them."""

import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobs import spelling
from jobs.facet_search import (
    _cells_answer,
    _count,
    cells_summed,
    expired_since,
    search_cells,
)
from jobs.facets import ANYWHERE
from jobs.filters import search_cells_warm_all
from jobs.models import JobPosting
from jobs.services.postings import posting_create, posting_publish
from jobs.spelling import search_words_refresh
from tests.conftest import celery_routes
from tests.factories import CompanyFactory
from tests.jobs.test_list import ids
from tests.jobs.test_search import option_count
from tests.jobs.test_search_counts import (
    SEARCHES,
    WRITES,
    listing,
    postings,
)

# A search alone and with each counted filter (as the kept cells' tests take them), other
# searches, and the filters alone (the cells of "").
LISTS = [
    *SEARCHES,
    {"q": "backend engineer"},
    {"q": '"site engineering"'},
    {"q": "enginee"},
    {"country": "IE"},
    {"country": ANYWHERE, "seniority": "senior"},
    {"workplace": "remote", "type": "full_time"},
]
# What the list's counting statements look like (jobs.facet_search, _STATEMENT and _CELLS).
COUNTING = "AS matches"


@pytest.fixture(autouse=True)
def _no_kept_cells(settings):
    settings.JOBS_COUNTED_SEARCHES = 0


def assert_cells_equal_direct_counts():
    for data in LISTS:
        filterset = listing(data)
        cleaned = filterset.cleaned_data
        assert _cells_answer(data, cleaned), data
        query_text = cleaned.get("q") or ""
        cells, counted_at = search_cells(
            lambda subset: listing(subset).qs, query_text, language="en"
        )
        expired = expired_since(counted_at, query_text, "en")
        direct = _count(
            lambda subset: listing(subset).qs, data, cleaned, language="en", cells=False
        )
        assert cells_summed(cells, cleaned, expired) == direct, data
        assert direct.total == filterset.qs.count(), data


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES)
def test_counts_from_a_search_s_cells_equal_a_direct_count_after_every_write(write):
    made = postings()
    assert_cells_equal_direct_counts()

    write(made)

    assert_cells_equal_direct_counts()


@pytest.mark.django_db
def test_filters_the_cells_do_not_answer_are_counted_directly():
    postings()
    for data in [
        {"q": "engineer", "visa": "yes"},
        {"q": "engineer", "posted": "7"},
        {"q": "engineer", "salary_min": "50000"},
        {"q": "engineer", "country": "ZZ"},  # refused: counted as the list filters it
    ]:
        assert not _cells_answer(data, listing(data).cleaned_data), data


@pytest.mark.django_db
def test_one_count_of_a_search_answers_every_filter_of_it(client, django_assert_max_num_queries):
    postings()
    search_words_refresh(language="en")  # "engineer" is a word: no completions looked for
    first = client.get("/en/?q=engineer")
    assert option_count(first, "country", "IE") == 2  # its own and the worldwide one

    # The first list with a filter also looks up the word's stems in the other languages.
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/?q=engineer&workplace=remote")
    assert not any(COUNTING in query["sql"] for query in queries.captured_queries)
    assert option_count(response, "workplace", "remote") == len(ids(response)) == 2

    for url, country in [
        ("/en/?q=engineer&country=DE", "DE"),
        ("/en/?q=engineer&country=IE&seniority=senior", "IE"),
    ]:
        # the query's text (the cells' name), the matches past their closing date since the
        # cells were counted, the window of newest matches and its page, and at most the
        # word's stems in the four other languages and its matches there; the facets and the
        # cells from the cache
        with django_assert_max_num_queries(9) as queries:
            response = client.get(url)
        assert not any(COUNTING in query["sql"] for query in queries.captured_queries), url
        assert option_count(response, "country", country) == len(ids(response)), url

    # Another spelling of the same stem reads the same cells.
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/?q=Engineers&type=full_time")
    assert not any(COUNTING in query["sql"] for query in queries.captured_queries)
    assert option_count(response, "type", "full_time") == len(ids(response))


@pytest.mark.django_db
def test_the_commonest_words_are_counted_before_anyone_searches_them(
    client, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(spelling, "COMMON_POSTINGS", 2)
    postings()
    search_words_refresh(language="en")
    client.get("/en/")  # the language's own counts

    counted = search_cells_warm_all()
    # every posting once, and the words of two postings or more ("engineer", "support"...)
    assert counted["en"] >= 3
    assert counted["de"] == 1  # no German postings: their every posting, none
    assert search_cells_warm_all()["en"] == 0  # held already: counted once

    with django_assert_num_queries(4) as queries:
        response = client.get("/en/?q=engineer&workplace=remote")
    assert not any(COUNTING in query["sql"] for query in queries.captured_queries)
    assert option_count(response, "workplace", "remote") == 2


def publish_engineer(company, workplace: str):
    posting = posting_create(
        company=company, title="Platform engineer", description="Build and run the platform.",
        language="en", countries=["IE"], workplace=workplace,
    )  # fmt: skip
    return posting_publish(posting=posting)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_after_a_write_the_previous_cells_answer_while_a_real_worker_counts_them_again(
    client, celery_workers, django_assert_num_queries, settings
):
    # The reader below asks every 0.2 s until the worker is done, which on a loaded machine
    # can outlast a minute's searches (the limiter answered 429, with no filters to read).
    settings.JOBS_SEARCH_RATE_LIMIT = 1_000_000  # the limiter is tested elsewhere
    worker = celery_workers(
        env={
            # The cache and the broker this test process uses.
            "REDIS_URL": django_settings.CACHES["default"]["LOCATION"],
            "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
        }
    )
    company = CompanyFactory()
    publish_engineer(company, "remote")
    url = "/en/?q=engineer&country=IE"
    assert option_count(client.get(url), "workplace", "remote") == 1  # counted here, first

    with celery_routes({"*": {"queue": worker.queue}}):
        # A first write and recount, which also waits out the worker's start: a task queued
        # before it is up expires with the entry's lock, and a later reader queues another.
        publish_engineer(company, "remote")
        assert worker.wait_for(
            lambda: option_count(client.get(url), "workplace", "remote") == 2, timeout=180
        ), worker.stop()

        publish_engineer(company, "remote")  # a write: every count is out of date
        # The reader is answered at once from the previous cells, not counted for: the
        # language's own counts (five queries), the query's text, the matches past their
        # closing date since, the window and its page.
        with django_assert_num_queries(9) as queries:
            response = client.get(url)
        assert not any(COUNTING in query["sql"] for query in queries.captured_queries)
        assert len(ids(response)) == 3  # the list itself is read afresh
        assert option_count(response, "workplace", "remote") == 2

        # The worker, now up, counts them again; the next reader gets the new counts.
        assert worker.wait_for(
            lambda: option_count(client.get(url), "workplace", "remote") == 3, timeout=60
        ), worker.stop()


@pytest.mark.django_db
def test_a_closing_date_that_passes_is_subtracted_from_the_same_cells():
    """No write marks it: the cells stay, the matches past their date since are taken off."""
    made = postings()
    data = {"q": "engineer", "workplace": "remote"}
    cleaned = listing(data).cleaned_data
    cells, counted_at = search_cells(lambda subset: listing(subset).qs, "engineer", language="en")
    before = cells_summed(cells, cleaned, expired_since(counted_at, "engineer", "en"))

    JobPosting.objects.filter(pk=made[0].pk).update(expires_at=timezone.now())

    expired = expired_since(counted_at, "engineer", "en")
    assert len(expired) == 1
    after = cells_summed(cells, cleaned, expired)
    direct = _count(lambda subset: listing(subset).qs, data, cleaned, language="en", cells=False)
    assert after == direct
    assert after.total == before.total - 1 == listing(data).qs.count()
    # A posting past its date before the count was never in the cells: nothing to take off.
    assert expired_since(time.time(), "engineer", "en") == []
