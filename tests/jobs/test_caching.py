"""The shared caches in front of the candidate pages (jobs.caching): what they serve, to whom,
until when, and that a crowd arriving at a stale or empty entry costs one computation."""

import re
import threading
import time
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from config import deploy
from jobs import caching
from jobs.models import JobAlert
from jobs.services.postings import posting_publish
from tests.factories import PostingFactory, PublishedPostingFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.JOBS_PAGE_CACHE_SECONDS = 300


def without_token(response) -> bytes:
    return TOKEN.sub(b"TOKEN", response.content)


def test_a_cached_page_runs_no_query_and_serves_the_same_page(client, django_assert_num_queries):
    PublishedPostingFactory.create_batch(3, language="en")
    first = client.get("/en/")

    with django_assert_num_queries(0):
        second = client.get("/en/")

    assert second.status_code == HTTPStatus.OK
    assert without_token(second) == without_token(first)
    assert b"TOKEN" in without_token(second)  # the alert form's token, filled in


def test_each_reader_gets_a_working_csrf_token_of_their_own():
    PublishedPostingFactory(language="en")
    Client().get("/en/")  # the page enters the cache
    reader, other = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    tokens = [TOKEN.search(c.get("/en/").content).group(1).decode() for c in (reader, other)]

    assert not any(token.startswith("csrf-placeholder-") for token in tokens)
    assert tokens[0] != tokens[1]
    response = reader.post(
        "/en/alerts/",
        {"email": "ana@example.com", "frequency": "daily", "csrfmiddlewaretoken": tokens[0]},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert JobAlert.objects.count() == 1


def test_a_change_to_the_postings_retires_every_cached_page(
    client, django_capture_on_commit_callbacks
):
    PublishedPostingFactory(language="en", title="Gardener")
    assert b"Gardener" in client.get("/en/").content
    draft = PostingFactory(language="en", title="Beekeeper")
    assert b"Beekeeper" not in client.get("/en/").content

    with django_capture_on_commit_callbacks(execute=True):
        posting_publish(posting=draft, actor=UserFactory(is_superuser=True))

    assert b"Beekeeper" in client.get("/en/").content


def test_a_company_renamed_in_admin_is_renamed_on_cached_pages(
    client, django_capture_on_commit_callbacks
):
    posting = PublishedPostingFactory(language="en", company__name="Acme")
    assert b"Acme" in client.get("/en/").content

    with django_capture_on_commit_callbacks(execute=True):
        posting.company.name = "Globex"
        posting.company.save()

    page = client.get("/en/").content
    assert b"Globex" in page and b"Acme" not in page


def test_a_page_is_fresh_no_longer_than_its_first_posting_to_expire(client):
    soon = timezone.now() + timedelta(minutes=2)
    PublishedPostingFactory(language="en", expires_at=soon)

    client.get("/en/")

    name = f"jobs:{deploy.deploy_version()}:page:"
    entries = [cache.get(key) for key in cache_keys(name)]
    assert entries, "the page was cached"
    (_generation, fresh_until, _page) = entries[0]
    assert fresh_until <= soon.timestamp()


def cache_keys(prefix: str) -> list[str]:
    """The keys under `prefix`, as the cache backend names them for Django."""
    raw = cache.redis().keys(cache.make_key(prefix) + "*")
    return [key.decode().split(":", 2)[2] for key in raw if not key.endswith(b":lock")]


def test_signed_in_readers_and_readers_with_a_message_get_their_own_page(
    client, django_assert_num_queries
):
    PublishedPostingFactory(language="en")
    client.get("/en/")
    with django_assert_num_queries(0):
        client.get("/en/")
    client.force_login(UserFactory())

    with django_assert_num_queries(1):  # the list, rendered for this reader
        client.get("/en/")
    anonymous = Client()
    anonymous.cookies["messages"] = "x"
    with django_assert_num_queries(1):
        anonymous.get("/en/")


def test_error_pages_are_not_shared(client, django_assert_num_queries):
    for _ in range(2):
        with django_assert_num_queries(1):
            assert client.get("/en/jobs/999999/nothing/").status_code == HTTPStatus.NOT_FOUND


def test_a_new_deployment_never_reads_the_previous_one_s_pages(client, settings):
    PublishedPostingFactory(language="en")
    settings.DEPLOY_VERSION = "release-1"
    deploy.deploy_version.cache_clear()
    client.get("/en/")
    settings.DEPLOY_VERSION = "release-2"
    deploy.deploy_version.cache_clear()

    assert cache_keys("jobs:release-1:page:")
    assert not cache_keys("jobs:release-2:page:")
    client.get("/en/")
    assert cache_keys("jobs:release-2:page:")
    deploy.deploy_version.cache_clear()


def test_a_stale_page_is_served_while_another_process_recomputes_it(
    client, django_assert_num_queries
):
    PublishedPostingFactory(language="en", title="Gardener")
    client.get("/en/")
    caching.invalidate()
    # Another process has started recomputing: it holds the entry's lock.
    (name,) = cache_keys(f"jobs:{deploy.deploy_version()}:page:")
    assert cache.add(f"{name}:lock", 1, 30)

    with django_assert_num_queries(0):
        stale = client.get("/en/")
    assert b"Gardener" in stale.content

    cache.delete(f"{name}:lock")
    with django_assert_num_queries(6):  # this one recomputes: the facets (5), the list
        client.get("/en/")


def test_a_crowd_at_an_empty_entry_costs_one_computation():
    calls = []
    results = []

    def compute():
        calls.append(1)
        time.sleep(0.3)  # long enough for every thread to arrive meanwhile
        return "value", time.time() + 60

    def read():
        results.append(caching.cached("crowd", compute))

    threads = [threading.Thread(target=read) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == ["value"] * 6
    assert len(calls) == 1


def test_a_crowd_at_a_stale_entry_serves_the_previous_value_meanwhile():
    caching.cached("crowd", lambda: ("old", time.time() + 60))
    caching.invalidate()
    calls = []
    results = []

    def compute():
        calls.append(1)
        time.sleep(0.3)
        return "new", time.time() + 60

    threads = [
        threading.Thread(target=lambda: results.append(caching.cached("crowd", compute)))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(calls) == 1
    assert sorted(results) == ["new"] + ["old"] * 5
    assert caching.cached("crowd", compute) == "new"


def test_what_is_built_on_a_previous_value_is_recomputed_by_the_next_reader():
    caching.cached("counts", lambda: ("old counts", time.time() + 60))
    caching.cached("page", lambda: ("page of " + caching.cached("counts", None), 0))
    caching.invalidate()
    # Another process is recomputing the counts: this one builds the page on the old ones.
    lock = caching._key("counts") + ":lock"
    assert cache.add(lock, 1, 30)

    def page():
        return "page of " + caching.cached("counts", lambda: ("new counts", 0)), time.time() + 60

    assert caching.cached("page", page) == "page of old counts"
    cache.delete(lock)

    # The page was not kept as fresh: the next reader builds it on the new counts.
    assert caching.cached("page", page) == "page of new counts"


def test_a_process_uses_its_own_copy_of_an_entry_only_while_the_entry_is_current():
    calls = []

    def compute():
        calls.append(1)
        return f"value {len(calls)}", time.time() + 60

    assert caching.cached("small", compute, local=True) == "value 1"
    cache.delete(caching._key("small"))  # evicted from the shared cache: the copy will do
    assert caching.cached("small", compute, local=True) == "value 1"
    assert len(calls) == 1

    caching.invalidate()  # a change anywhere: the copy is of the previous generation
    assert caching.cached("small", compute, local=True) == "value 2"

    caching.cached("brief", lambda: ("first", time.time() + 0.2), local=True)
    time.sleep(0.3)
    assert caching.cached("brief", lambda: ("second", time.time() + 60), local=True) == "second"


def test_a_scoped_invalidation_retires_the_scopes_entries_only():
    computed = []

    def compute(name):
        def run():
            computed.append(name)
            return f"{name} {computed.count(name)}", time.time() + 60

        return run

    for name, scope in [("counts", "counts"), ("page", None)]:
        assert caching.cached(name, compute(name), local=True, scope=scope) == f"{name} 1"

    caching.invalidate("counts")

    assert caching.cached("counts", compute("counts"), local=True, scope="counts") == "counts 2"
    assert caching.cached("page", compute("page"), local=True) == "page 1"
    caching.invalidate()  # everything, scoped entries included
    assert caching.cached("counts", compute("counts"), local=True, scope="counts") == "counts 3"
    assert caching.cached("page", compute("page"), local=True) == "page 2"


def test_facets_invalidate_recounts_and_leaves_the_cached_pages(client):
    from jobs.facets import facets, facets_invalidate

    PublishedPostingFactory(language="en")
    page = without_token(client.get("/en/"))
    assert facets(language="en").total == 1
    PublishedPostingFactory(language="en")  # past the services: nothing retired

    facets_invalidate()

    assert facets(language="en").total == 2
    assert without_token(client.get("/en/")) == page


def test_a_description_cannot_carry_readers_csrf_tokens_off_site():
    """Issue 20, finding 10: the placeholder was a constant, substituted wherever it appeared,
    a link in a posting's description included."""
    posting = PublishedPostingFactory(language="en")
    Client().get(posting.get_absolute_url())
    page = Client().get(posting.get_absolute_url()).content.decode()
    placeholders = set(re.findall(r"csrf-placeholder-[0-9a-f]+", page))
    assert not placeholders  # every one replaced by the reader's token

    for guess in ["csrf-token-of-the-reader-0b8e1f6c", "csrf-placeholder-"]:
        posting.description_html = f'<p><a href="https://evil.example/?t={guess}">x</a></p>'
        posting.save(update_fields=["description_html"])
        caching.invalidate()
        Client().get(posting.get_absolute_url())
        reader = Client()
        page = reader.get(posting.get_absolute_url()).content.decode()
        token = TOKEN.search(page.encode()).group(1).decode()
        assert f"https://evil.example/?t={guess}" in page
        assert token not in page.split("evil.example", 1)[1].split('"', 1)[0]


def test_a_sitemap_is_sent_gzipped_to_crawlers_that_take_it(client):
    import gzip

    PublishedPostingFactory(language="en")
    plain = client.get("/sitemap-postings-en.xml")
    zipped = client.get("/sitemap-postings-en.xml", HTTP_ACCEPT_ENCODING="gzip, br")
    again = client.get("/sitemap-postings-en.xml")

    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content == again.content
    assert "Content-Encoding" not in again
    assert "Accept-Encoding" in again["Vary"]


def test_past_the_cap_on_searches_pages_are_served_uncached(
    client, settings, django_assert_num_queries
):
    """Every `q` is a valid search: invented ones must not fill the cache (issue 20, finding 3)."""
    settings.JOBS_PAGE_CACHE_QUERIES = 2
    PublishedPostingFactory(language="en", title="Python developer")
    for text in ["python", "developer", "rust"]:
        assert client.get(f"/en/?q={text}").status_code == HTTPStatus.OK

    with django_assert_num_queries(0):
        admitted = client.get("/en/?q=python")
    refused = client.get("/en/?q=rust")  # rendered afresh, and still not stored

    assert admitted.status_code == refused.status_code == HTTPStatus.OK
    assert "Python developer" in admitted.content.decode()
    assert "Python developer" not in refused.content.decode()
    assert len([key for key in cache_keys("jobs:") if ":page:" in key]) == 2
    client.get("/en/")
    with django_assert_num_queries(0):
        client.get("/en/")  # browsing without a search is never capped


def test_an_overlong_search_is_refused_with_a_message_not_an_error(client):
    PublishedPostingFactory(language="en", title="Python developer")

    response = client.get("/en/?q=" + "python " * 1000)

    assert response.status_code == HTTPStatus.OK
    assert "at most 200 characters" in response.content.decode()
    assert "Python developer" in response.content.decode()  # the search is left out
    assert not [key for key in cache_keys("jobs:") if ":page:" in key]


@pytest.mark.parametrize("path", ["/en/feed/rss/", "/en/feed/atom/", "/en/?page=2"])
def test_an_overlong_search_in_a_feed_or_deep_page_is_no_error(client, path):
    separator = "&" if "?" in path else "?"

    response = client.get(f"{path}{separator}q=" + "x" * 10_000)

    assert response.status_code in {HTTPStatus.OK, HTTPStatus.NOT_FOUND}
