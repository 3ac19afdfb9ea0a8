"""Any number of web processes serve the same site: nothing a request leaves behind stays in
one process, static files may be cached forever, and the client's address survives proxies."""

import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client

pytestmark = pytest.mark.django_db


def test_sessions_messages_and_cache_live_outside_the_process():
    # Sessions in PostgreSQL; messages in a cookie, or the session when too big for one.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.MESSAGE_STORAGE == "django.contrib.messages.storage.fallback.FallbackStorage"
    # Rate limits, the login throttle, facets and pages: one Redis for every process (the
    # embedded server's when REDIS_URL is unset, as in development).
    assert settings.CACHES["default"]["BACKEND"] == "config.cache.ResilientRedisCache"


def test_hashed_static_files_may_be_cached_for_a_year_and_more(client):
    url = staticfiles_storage.url("css/site.css")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", url)

    response = client.get(url, secure=True)

    assert response.status_code == HTTPStatus.OK
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "immutable" in directives
    assert "public" in directives
    (max_age,) = [int(part.split("=")[1]) for part in directives if part.startswith("max-age=")]
    assert max_age >= 365 * 24 * 60 * 60


def test_unhashed_static_names_are_revalidated_soon(client):
    # The name stays when the content changes: a CDN may hold it briefly only.
    response = client.get("/static/css/site.css", secure=True)

    assert response.status_code == HTTPStatus.OK
    assert "immutable" not in response["Cache-Control"]
    assert response["Cache-Control"] == "max-age=60, public"


def search_as(client: Client, forwarded: str) -> int:
    return client.get("/en/?q=engineer", HTTP_X_FORWARDED_FOR=forwarded).status_code


@pytest.fixture
def one_search_each(settings):
    settings.JOBS_SEARCH_RATE_LIMIT = 1
    settings.JOBS_SEARCH_RATE_WINDOW = 60
    settings.TRUSTED_PROXIES = ["10.0.0.2"]  # the load balancer's address


def test_behind_one_proxy_each_client_has_its_own_limit(one_search_each, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = Client(REMOTE_ADDR="10.0.0.2")  # every request arrives from the load balancer

    assert search_as(proxy, "198.51.100.1") == HTTPStatus.OK
    assert search_as(proxy, "198.51.100.1") == HTTPStatus.TOO_MANY_REQUESTS
    assert search_as(proxy, "198.51.100.2") == HTTPStatus.OK
    # What a client writes itself comes before what the proxy appends: it changes nothing.
    assert search_as(proxy, "203.0.113.50, 198.51.100.1") == HTTPStatus.TOO_MANY_REQUESTS


def test_behind_a_cdn_and_a_load_balancer_the_cdn_s_client_counts(one_search_each, settings):
    settings.TRUSTED_PROXY_HOPS = 2
    balancer = Client(REMOTE_ADDR="10.0.0.2")

    assert search_as(balancer, "198.51.100.1, 192.0.2.10") == HTTPStatus.OK
    # Same client through another CDN edge: still the same client.
    assert search_as(balancer, "198.51.100.1, 192.0.2.11") == HTTPStatus.TOO_MANY_REQUESTS
    assert search_as(balancer, "198.51.100.2, 192.0.2.10") == HTTPStatus.OK


def test_without_trusted_proxies_x_forwarded_for_is_ignored(one_search_each, settings):
    settings.TRUSTED_PROXY_HOPS = 0
    client = Client(REMOTE_ADDR="198.51.100.9")

    assert search_as(client, "198.51.100.1") == HTTPStatus.OK
    assert search_as(client, "198.51.100.2") == HTTPStatus.TOO_MANY_REQUESTS


def test_the_admin_login_throttle_counts_the_client_not_the_proxy(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.LOGIN_FAILURES_PER_IP = 2
    proxy = Client(REMOTE_ADDR="10.0.0.2")

    def log_in(forwarded: str, username: str):
        return proxy.post(
            "/admin/login/",
            {"username": username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for attempt in range(2):
        log_in("198.51.100.1", f"guess{attempt}@example.com")
    assert "Too many failed" in log_in("198.51.100.1", "another@example.com").text
    # Another person behind the same load balancer is not locked out.
    assert "Too many failed" not in log_in("198.51.100.2", "someone@example.com").text


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(one_search_each, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    stranger = Client(REMOTE_ADDR="198.51.100.9")  # reached web without the proxy

    assert search_as(stranger, "203.0.113.1") == HTTPStatus.OK
    assert search_as(stranger, "203.0.113.2") == HTTPStatus.TOO_MANY_REQUESTS


def test_an_x_forwarded_for_that_is_no_address_is_not_a_client(one_search_each, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = Client(REMOTE_ADDR="10.0.0.2")

    # Not addresses: each would otherwise be a client (and a rate limit) of its own.
    assert search_as(proxy, "evil-1") == HTTPStatus.OK
    assert search_as(proxy, "evil-2") == HTTPStatus.TOO_MANY_REQUESTS
    assert search_as(proxy, "198.51.100.1:8080") == HTTPStatus.TOO_MANY_REQUESTS
    assert search_as(proxy, "198.51.100.1") == HTTPStatus.OK


def test_an_ipv6_client_counts_per_64(one_search_each, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = Client(REMOTE_ADDR="10.0.0.2")

    assert search_as(proxy, "2001:db8:1:2::1") == HTTPStatus.OK
    assert search_as(proxy, "2001:db8:1:2:ffff::9") == HTTPStatus.TOO_MANY_REQUESTS
    assert search_as(proxy, "2001:DB8:1:2:0:0:0:abcd") == HTTPStatus.TOO_MANY_REQUESTS
    assert search_as(proxy, "2001:db8:1:3::1") == HTTPStatus.OK  # another /64
    assert search_as(proxy, "::ffff:198.51.100.7") == HTTPStatus.OK
    assert search_as(proxy, "198.51.100.7") == HTTPStatus.TOO_MANY_REQUESTS
