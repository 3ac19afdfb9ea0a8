"""Which database each kind of request reads (config/routers.py).

`replica_1` is a second connection to the test database (TEST MIRROR, tests/conftest.py), as a
streaming replica would be: the tests count the queries each alias runs.
"""

import threading
from contextlib import ExitStack
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from config import routers
from jobs import fragments
from jobs.models import JobPosting
from jobs.spelling import completions_forget
from tests.conftest import REPLICA
from tests.factories import ModeratorFactory, PendingPostingFactory, PublishedPostingFactory
from tests.jobs.test_admin_workflows import change_url, review_url

# A mirror is another connection: it sees committed rows only, hence transactional tests.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture
def replica(settings):
    settings.DATABASE_REPLICAS = [REPLICA]


@pytest.fixture
def posting():
    return PublishedPostingFactory(language="en", countries=["IE"])


def queries(client, method: str, url: str, **kwargs):
    """The response and the number of queries each alias ran for it."""
    with ExitStack() as stack:
        captured = {
            alias: stack.enter_context(CaptureQueriesContext(connections[alias]))
            for alias in ("default", REPLICA)
        }
        response = getattr(client, method)(url, **kwargs)
    return response, {alias: len(capture) for alias, capture in captured.items()}


def candidate_pages(posting) -> list[str]:
    with translation.override("en"):
        return [
            reverse("jobs:job_list") + "?country=IE&q=engineer",
            posting.get_absolute_url(),
            reverse("jobs:company_detail", kwargs={"slug": posting.company.slug}),
            reverse("jobs:job_feed_rss"),
            reverse("jobs:company_feed_atom", kwargs={"slug": posting.company.slug}),
            "/sitemap.xml",
            "/sitemap-postings-en.xml",
        ]


def test_without_replicas_there_is_no_router_and_everything_reads_the_primary(
    client, posting, settings
):
    # What settings make of an environment without DATABASE_REPLICA_URLS
    # (tests/test_database_settings.py).
    settings.DATABASE_ROUTERS = []
    settings.DATABASE_REPLICAS = []

    for url in candidate_pages(posting):
        response, counts = queries(client, "get", url)
        assert response.status_code == HTTPStatus.OK, url
        assert counts["default"] > 0, url
        assert counts[REPLICA] == 0, url


def test_candidate_pages_read_the_replica_only(client, posting, replica, settings):
    for url in candidate_pages(posting):
        response, counts = queries(client, "get", url)
        assert response.status_code == HTTPStatus.OK, url
        assert counts[REPLICA] > 0, url
        assert counts["default"] == 0, url
        assert routers.pin_cookie_name() not in response.cookies


def test_a_replica_runs_exactly_the_queries_the_primary_would(client, posting, settings):
    url = candidate_pages(posting)[0]
    _response, alone = queries(client, "get", url)
    settings.DATABASE_REPLICAS = [REPLICA]
    cache.clear()  # the same cold start: facets and rates are read again
    completions_forget()  # and the words the search's last word begins

    _response, routed = queries(client, "get", url)

    assert routed == {"default": 0, REPLICA: alone["default"]}


def test_a_prepared_statement_reads_the_database_of_each_request(client, posting, settings):
    PublishedPostingFactory(language="en", title=posting.title)  # a similar posting
    url = posting.get_absolute_url()
    _response, alone = queries(client, "get", url)  # compiled for the primary first
    settings.DATABASE_REPLICAS = [REPLICA]
    cache.clear()

    response, routed = queries(client, "get", url)

    assert alone[REPLICA] == 0
    assert routed == {"default": 0, REPLICA: alone["default"]}
    assert len(response.context["similar"]) == 1


def test_admin_pages_read_the_primary(client, posting, replica):
    client.force_login(ModeratorFactory())

    for url in (
        reverse("admin:index"),
        reverse("admin:jobs_jobposting_changelist"),
        change_url(posting),
    ):
        response, counts = queries(client, "get", url)
        assert response.status_code == HTTPStatus.OK, url
        assert counts["default"] > 0, url
        assert counts[REPLICA] == 0, url


def test_a_post_and_the_requests_right_after_it_use_the_primary(client, posting, replica):
    with translation.override("en"):
        report_url = reverse("jobs:job_report", kwargs={"pk": posting.pk, "slug": posting.slug})

    response, counts = queries(
        client,
        "post",
        report_url,
        data={
            "reason": "child_abuse",
            "message": "Money asked up front.",
            "url": "https://example.org/",
            "good_faith": "on",
            "website": "",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert JobPosting.objects.get(pk=posting.pk).reports.count() == 1
    assert counts[REPLICA] == 0
    pin = response.cookies[routers.pin_cookie_name()]
    assert pin["max-age"] == 15
    assert pin["httponly"]
    # The reporter's next pages read what they just wrote.
    for url in candidate_pages(posting):
        response, counts = queries(client, "get", url)
        assert counts[REPLICA] == 0, url
        assert counts["default"] > 0, url

    # Once the pin has expired, the replica serves them again.
    del client.cookies[routers.pin_cookie_name()]
    _response, counts = queries(client, "get", posting.get_absolute_url())
    assert counts["default"] == 0
    assert counts[REPLICA] > 0


def test_a_moderator_who_approves_sees_the_posting_on_the_candidate_site(client, replica):
    pending = PendingPostingFactory(language="en")
    client.force_login(ModeratorFactory())

    response = client.post(review_url(pending), {"decision": "approve"})
    assert response.status_code == HTTPStatus.FOUND

    # A lagging replica would still answer 404 here; the primary has the approval.
    response, counts = queries(client, "get", pending.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert counts[REPLICA] == 0


def test_reads_inside_a_transaction_or_after_a_write_go_to_the_primary(posting):
    router = routers.PrimaryReplicaRouter()
    token = routers._read_alias.set(REPLICA)
    try:
        assert router.db_for_read(JobPosting) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(JobPosting) == "default"
        assert router.db_for_read(JobPosting) == REPLICA

        assert router.db_for_write(JobPosting) == "default"
        assert router.db_for_read(JobPosting) == "default"
    finally:
        routers._read_alias.reset(token)


def test_a_card_rendered_for_the_first_time_keeps_the_request_on_its_replica(posting, replica):
    """A new card is rendered from objects made of its row (jobs.fragments): relating them
    must not count as a write, which would send the rest of the request to the primary (the
    shared page's freshness, read after the template)."""
    row = JobPosting.objects.filter(pk=posting.pk).cards().get()
    fragments.cards.clear()
    token = routers._read_alias.set(REPLICA)
    try:
        with translation.override("en"):
            assert posting.title in fragments.card(row)
        assert routers.reads_replica()
    finally:
        routers._read_alias.reset(token)


def test_the_read_alias_belongs_to_one_request_not_to_the_process():
    router = routers.PrimaryReplicaRouter()
    token = routers._read_alias.set(REPLICA)
    seen = []
    try:
        # Another thread (another gunicorn thread's request) starts with its own context.
        thread = threading.Thread(target=lambda: seen.append(router.db_for_read(JobPosting)))
        thread.start()
        thread.join()
    finally:
        routers._read_alias.reset(token)

    assert seen == ["default"]
    assert router.db_for_read(JobPosting) == "default"


def test_replicas_are_never_migrated():
    router = routers.PrimaryReplicaRouter()

    assert router.allow_migrate("default", "jobs")
    assert not router.allow_migrate(REPLICA, "jobs")


def test_routing_debug_reports_the_queries_each_alias_ran(client, posting, replica, settings):
    url = posting.get_absolute_url()
    assert "X-DB-Queries" not in client.get(url)

    settings.DATABASE_ROUTING_DEBUG = True
    response, counts = queries(client, "get", url)

    assert response["X-DB-Queries"] == f"{REPLICA}={counts[REPLICA]}"


def test_a_gunicorn_process_reads_candidate_pages_from_its_replica(web_servers, posting):
    web = web_servers(replicas=True)

    page = web.get(posting.get_absolute_url())
    assert page.status_code == HTTPStatus.OK
    assert posting.title in page.text
    counts = web.queries(page)
    assert counts[REPLICA] > 0
    assert "default" not in counts

    login = web.get("/admin/login/")
    assert login.status_code == HTTPStatus.OK
    assert REPLICA not in web.queries(login)

    # A client pinned after a write reads the primary (production's cookie name). A page not
    # asked for yet: a cached page costs no query at all.
    with translation.override("en"):
        company_url = reverse("jobs:company_detail", kwargs={"slug": posting.company.slug})
    pinned = web.get(company_url, headers={"Cookie": "__Host-dbpin=1"})
    assert pinned.status_code == HTTPStatus.OK
    assert REPLICA not in web.queries(pinned)
    assert web.queries(pinned)["default"] > 0


def test_production_responses_never_say_where_they_read(web_servers, posting):
    web = web_servers(replicas=True, env={"DATABASE_ROUTING_DEBUG": "0"})

    assert "X-DB-Queries" not in web.get(posting.get_absolute_url()).headers


def test_a_client_that_has_just_written_gets_no_shared_page(client, posting, replica, settings):
    settings.JOBS_PAGE_CACHE_SECONDS = 300
    url = candidate_pages(posting)[1]
    client.get(url)  # shared from now on
    assert queries(client, "get", url)[1] == {"default": 0, REPLICA: 0}

    client.cookies[routers.pin_cookie_name()] = "1"  # as after a POST
    response, counts = queries(client, "get", url)

    assert response.status_code == HTTPStatus.OK
    assert counts["default"] > 0 and counts[REPLICA] == 0


def test_a_page_read_from_a_replica_just_after_a_change_is_kept_only_until_it_has_replayed(
    client, posting, replica, settings
):
    from jobs import caching

    settings.JOBS_PAGE_CACHE_SECONDS = 300
    settings.DATABASE_PIN_SECONDS = 15
    url = candidate_pages(posting)[1]
    caching.invalidate()  # a change, this instant
    changed_at = cache.get(caching.CHANGED_AT_KEY)

    _response, counts = queries(client, "get", url)

    assert counts[REPLICA] > 0
    pages = [
        entry
        for key, entry in cache.get_many(page_keys()).items()
        if entry and entry[2] is not None
    ]
    assert pages, "the page was cached"
    assert all(fresh_until <= changed_at + 15 for _generation, fresh_until, _ in pages)


def page_keys() -> list[str]:
    from config.deploy import deploy_version
    from tests.jobs.test_caching import cache_keys

    return cache_keys(f"jobs:{deploy_version()}:page:")
