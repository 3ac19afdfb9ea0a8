"""The facet counts of common searches that PostgreSQL keeps (jobs.search_counts): equal to a
direct count after every kind of write, with writers racing each other and the choice of
keys, and read in a fixed number of queries."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from jobs import search_counts
from jobs.facet_search import _count, _from_cells
from jobs.facets import ANYWHERE, facets, facets_invalidate
from jobs.filters import JobFilter
from jobs.models import JobPosting, SearchCount, SearchKey, Status
from jobs.selectors import job_list
from jobs.services.postings import postings_expire_due
from jobs.spelling import search_words_refresh
from locales.models import Region
from tests.factories import CompanyFactory, PostingFactory, PublishedPostingFactory
from tests.jobs.test_list import ids
from tests.jobs.test_search import option_count

# The searches compared: a common word alone and with each counted filter, as the list
# takes them ("engineers" is the same key as "engineer").
SEARCHES = [
    {"q": "engineer"},
    {"q": "Engineers"},
    {"q": "engineer", "country": "IE"},
    {"q": "engineer", "country": "DE"},
    {"q": "engineer", "country": ANYWHERE},
    {"q": "engineer", "workplace": "remote"},
    {"q": "engineer", "country": "FR", "type": "full_time", "seniority": "senior"},
    {"q": "nurse", "workplace": "onsite", "seniority": "junior"},
]


@pytest.fixture(autouse=True)
def _every_word_common(monkeypatch, settings):
    monkeypatch.setattr(search_counts, "COMMON_POSTINGS", 1)
    settings.JOBS_COUNTED_SEARCHES = 150


def listing(data: dict, language: str = "en") -> JobFilter:
    facets_invalidate()
    return JobFilter(
        data, queryset=job_list(language=language), language=language,
        facets=facets(language=language),
    )  # fmt: skip


def assert_cells_equal_direct_counts():
    for data in SEARCHES:
        filterset = listing(data)
        cleaned = filterset.cleaned_data
        from_cells = _from_cells(cleaned, "en")
        assert from_cells is not None, data
        direct = _count(
            lambda subset: listing(subset).qs, data, cleaned, language="en", cells=False
        )
        assert from_cells == direct, data
        assert from_cells.total == filterset.qs.count(), data


def postings():
    """Engineers and nurses of every cell: a country, a region, the whole world."""
    worldwide = Region.objects.get(code="worldwide")
    return [
        PublishedPostingFactory(title="Backend Engineer", countries=["IE"], workplace="remote"),
        PublishedPostingFactory(
            title="Site engineering lead",
            countries=["DE", "FR", "DE"],
            workplace="hybrid",
            seniority="senior",
        ),
        PublishedPostingFactory(
            title="Support Engineer", region=worldwide, countries=worldwide.countries
        ),
        PublishedPostingFactory(
            title="Night nurse", countries=["IE"], workplace="onsite", seniority="junior"
        ),
        PublishedPostingFactory(title="Engineer", language="fr", countries=["FR"]),
    ]


def insert(made):
    PublishedPostingFactory(title="Data Engineer", countries=["FR"], seniority="senior")


def publish(made):
    draft = PostingFactory(title="QA Engineer", countries=["IE"])
    JobPosting.objects.filter(pk=draft.pk).update(
        status=Status.PUBLISHED, published_at=timezone.now()
    )


def expire(made):
    JobPosting.objects.filter(pk=made[0].pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    postings_expire_due()


def closing_date_passes(made):
    # No write marks it: the lists leave it out by the database's clock.
    JobPosting.objects.filter(pk=made[2].pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )


def edit_words(made):
    made[0].title = "Backend accountant"
    made[0].save()
    made[3].title = "Nurse and engineer"
    made[3].save()


def move(made):
    JobPosting.objects.filter(pk=made[1].pk).update(countries=["IE"], workplace="remote")


def hide(made):
    JobPosting.objects.filter(pk=made[0].pk).update(hidden_at=timezone.now())


def bulk_import(made):
    company = CompanyFactory()
    JobPosting.objects.bulk_create(
        PostingFactory.build(
            company=company,
            title=f"Engineer {n}",
            countries=[["IE"], ["DE"]][n % 2],
            status=Status.PUBLISHED,
            published_at=timezone.now(),
            seniority="senior",
        )
        for n in range(30)
    )


def delete(made):
    JobPosting.objects.filter(pk__in=[made[0].pk, made[2].pk]).delete()


def nothing_counted_changes(made):
    JobPosting.objects.filter(pk=made[1].pk).update(needs_review=True)


# Every kind of write a posting's counts must follow.
WRITES = [insert, publish, expire, closing_date_passes, edit_words, move, hide, bulk_import,
          delete, nothing_counted_changes]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES)
def test_counts_from_the_cells_equal_a_direct_count_after_every_write(write):
    made = postings()
    search_words_refresh(language="en")
    assert SearchKey.objects.filter(language="en", key="'engin':*", ready=True).exists()
    assert_cells_equal_direct_counts()

    write(made)

    assert_cells_equal_direct_counts()


@pytest.mark.django_db
def test_keys_follow_the_words_and_drop_their_cells():
    made = postings()
    search_words_refresh(language="en")
    assert SearchCount.objects.filter(language="en", key="'nurs':*").exists()

    JobPosting.objects.filter(pk=made[3].pk).delete()
    search_words_refresh(language="en")

    assert not SearchKey.objects.filter(language="en", key="'nurs':*").exists()
    assert not SearchCount.objects.filter(language="en", key="'nurs':*").exists()
    # a key no longer kept is counted directly
    assert _from_cells({"q": "nurse"}, "en") is None


@pytest.mark.django_db
def test_with_no_counted_searches_set_a_refresh_keeps_none(settings):
    postings()
    search_words_refresh(language="en")
    assert SearchKey.objects.filter(language="en").exists()

    settings.JOBS_COUNTED_SEARCHES = 0
    search_words_refresh(language="en")

    assert not SearchKey.objects.exists()
    assert not SearchCount.objects.exists()
    assert _from_cells({"q": "engineer"}, "en") is None


@pytest.mark.django_db
def test_searches_the_cells_do_not_answer_are_counted():
    postings()
    search_words_refresh(language="en")

    assert _from_cells({"q": "engineer", "visa": "yes"}, "en") is None
    assert _from_cells({"q": "backend engineer"}, "en") is None
    assert _from_cells({"q": '"engineer"'}, "en") is None
    assert _from_cells({"q": "engineer", "sort": "newest"}, "en") is not None


@pytest.mark.django_db
def test_the_list_page_counts_a_common_word_from_its_cells(client, django_assert_num_queries):
    postings()
    search_words_refresh(language="en")
    url = "/en/?q=engineer&country=IE"
    client.get(url)
    facets_invalidate()  # the language's counts and the search's, computed again
    client.get("/en/")  # the language's alone

    # the key's cells summed, its matches past due; the window of newest matches and its page
    with django_assert_num_queries(4) as queries:
        response = client.get(url)

    # no count of the matches themselves (jobs.facet_search._STATEMENT)
    assert not any("AS matches" in query["sql"] for query in queries.captured_queries)
    assert option_count(response, "country", "IE") == len(ids(response)) == 2
    assert option_count(response, "country", "DE") == 1 + 1  # the worldwide one too
    assert option_count(response, "workplace", "remote") == 2  # the worldwide one is remote


def _racing(*writers):
    """Run each writer on its own connection at once; re-raise the first failure."""
    errors = []

    def run(writer):
        try:
            writer()
        except Exception as error:  # noqa: BLE001 (re-raised below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(writer,)) for writer in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


@pytest.mark.django_db(transaction=True)
def test_racing_writers_and_changes_of_keys_leave_exact_counts(monkeypatch):
    made = postings()
    monkeypatch.setattr(search_counts, "COMMON_POSTINGS", 10**6)
    search_words_refresh(language="en")  # the words, and no key yet
    monkeypatch.setattr(search_counts, "COMMON_POSTINGS", 1)
    company = CompanyFactory()
    barrier = threading.Barrier(4)

    def importer(offset):
        def write():
            barrier.wait()
            for n in range(10):
                PublishedPostingFactory(
                    company=company, title=f"Engineer {offset + n}", countries=["IE"],
                    seniority=["senior", "junior"][n % 2],
                )  # fmt: skip
                JobPosting.objects.filter(pk=made[n % 3].pk).update(
                    workplace=["remote", "onsite", "hybrid"][(n + offset) % 3]
                )

        return write

    def keys():
        barrier.wait()
        search_counts.search_keys_refresh(language="en")

    _racing(importer(0), importer(100), keys, keys)  # two refreshes at once too
    connection.close()

    assert_cells_equal_direct_counts()


@pytest.mark.django_db(transaction=True)
def test_a_change_of_keys_waits_for_a_write_in_flight(monkeypatch):
    """A posting whose trigger ran before its key existed is counted all the same: the key
    waits for its transaction to end before it is added, and its fill then sees it."""
    postings()
    monkeypatch.setattr(search_counts, "COMMON_POSTINGS", 10**6)
    search_words_refresh(language="en")
    monkeypatch.setattr(search_counts, "COMMON_POSTINGS", 1)
    inserted, release = threading.Event(), threading.Event()

    def writer():
        with transaction.atomic():
            PublishedPostingFactory(title="Engineer in flight", countries=["IE"])
            inserted.set()
            release.wait(timeout=30)

    def keys():
        inserted.wait(timeout=30)
        search_counts.search_keys_refresh(language="en")

    racing = threading.Thread(target=_racing, args=(writer, keys))
    racing.start()
    inserted.wait(timeout=30)
    waited = False
    for _attempt in range(300):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE NOT granted "
                "AND relation = 'jobs_jobposting'::regclass"
            )
            if cursor.fetchone()[0]:
                waited = True
                break
        time.sleep(0.05)
    release.set()
    racing.join()

    assert waited  # the refresh waited for the writer
    assert_cells_equal_direct_counts()
