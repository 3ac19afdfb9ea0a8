"""Rate limits, the login throttle and the alert caps survive a page cache at its memory cap
(issue 20, finding 3: with LRU, a flood of pages evicted what it should have been counted by).

They live in the `counters` cache, on the broker's Redis, which never evicts
(config/caches.py); the page cache is a Redis capped with `allkeys-lru`, as compose.yaml ships
both. Two real servers of the test's own, so that the cap is real.
"""

import os
import subprocess
import sys
from http import HTTPStatus

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

from companies.auth import login_attempt
from config.caches import caches as caches_settings
from jobs.outbox import OutboxMessage
from jobs.ratelimit import rate_limited
from jobs.services.alerts import alert_subscribe
from tests.factories import PublishedPostingFactory

BALLAST = b"x" * 64 * 1024


@pytest.fixture
def capped_page_cache(redis_server, settings):
    """The page cache on a Redis capped at 4 MB that evicts the least recently used keys;
    counters on a Redis that never evicts."""
    page_cache = redis_server(maxmemory="4mb", policy="allkeys-lru")
    broker = redis_server(policy="noeviction")
    settings.CACHES = caches_settings(page_cache.url, broker.url)
    return page_cache


def flood(page_cache) -> None:
    """Pages written through the cache until it has evicted several times its size."""
    for number in range(400):  # 25 MB through a 4 MB cache
        cache.set(f"page:{number}", BALLAST, 600)
    assert cache.get("page:0") is None, "the cap was reached and the oldest pages evicted"
    assert page_cache.client.info("stats")["evicted_keys"] > 300


@pytest.mark.django_db
def test_a_page_cache_flood_resets_no_limit(capped_page_cache, client, settings, rf):
    settings.JOBS_SEARCH_RATE_LIMIT = 3
    settings.LOGIN_FAILURES_PER_USERNAME = 2
    PublishedPostingFactory(language="en", title="Python developer")
    search = reverse("jobs:job_list") + "?q=python"
    for _ in range(3):
        assert client.get(search, REMOTE_ADDR="203.0.113.5").status_code == HTTPStatus.OK
    login = rf.post("/admin/login/", REMOTE_ADDR="203.0.113.5")
    assert login_attempt(login, "owner")
    assert login_attempt(login, "owner")
    assert not rate_limited(scope="report", key="203.0.113.5", limit=1, window=600)
    alert_subscribe(email="someone@example.org", language="en", parameters={}, frequency="daily")

    flood(capped_page_cache)

    assert client.get(search, REMOTE_ADDR="203.0.113.5").status_code == 429
    assert not login_attempt(login, "owner")
    assert rate_limited(scope="report", key="203.0.113.5", limit=1, window=600)
    # Today's one confirmation to this address was claimed before the flood: still claimed.
    alert_subscribe(
        email="someone@example.org", language="en", parameters={"q": "go"}, frequency="daily"
    )
    assert OutboxMessage.objects.filter(kind=OutboxMessage.ALERT_CONFIRMATION).count() == 1


def test_clearing_the_counters_leaves_the_broker_s_keys(redis_server, settings):
    broker = redis_server(policy="noeviction")
    settings.CACHES = caches_settings(broker.url, broker.url)
    broker.client.lpush("celery", b"a queued task")
    assert not rate_limited(scope="search", key="198.51.100.1", limit=5, window=60)

    caches["counters"].clear()

    assert broker.client.llen("celery") == 1
    assert caches["counters"].redis().keys("*counters*") == []


def test_counters_default_to_the_broker_s_redis_or_their_own():
    code = "from django.conf import settings as s; print(s.CACHES['counters']['LOCATION'])"

    def counters_location(**env: str) -> str:
        result = subprocess.run(  # noqa: S603 - our own settings, fixed arguments
            [sys.executable, "-c", code],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    cache_url = "redis://cache.internal:6379/0"
    assert counters_location(
        REDIS_URL=cache_url, CELERY_BROKER_URL="redis://broker.internal:6379/0"
    ) == ("redis://broker.internal:6379/0")
    assert counters_location(
        REDIS_URL=cache_url,
        CELERY_BROKER_URL="redis://broker.internal:6379/0",
        COUNTERS_REDIS_URL="redis://counters.internal:6379/2",
    ) == ("redis://counters.internal:6379/2")
    # The embedded server (no REDIS_URL): its broker's database, in redis-py's form.
    embedded = counters_location(REDIS_URL="", CELERY_BROKER_URL="")
    assert embedded.startswith("unix://")
    assert embedded.endswith("?db=1")
