"""The shared page cache under a flood of URLs and a full Redis (issue 20, finding 3).

Any query string used to be a new cache entry kept a day, so one client could grow Redis by
megabytes a second; with a memory cap every candidate page then answered 500 (Redis's
OutOfMemoryError was not "cache unavailable") while /healthz said ok. Keys now hold only the
parameters the view reads, entries are kept minutes rather than a day, and every Redis error
is a miss or a dropped write.
"""

import os
import subprocess
import sys
import uuid

import pytest
import redis
from django.conf import settings
from django.urls import reverse

from tests.factories import CompanyFactory, PublishedPostingFactory

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL: a real Redis")


def _page_keys(client: redis.Redis, prefix: str) -> list[bytes]:
    return [
        key for key in client.scan_iter(f"{prefix}:*") if b":page:" in key and b":lock" not in key
    ]


@pytest.mark.django_db(transaction=True)
def test_unknown_and_refused_parameters_add_no_entry(web_servers, redis_server):
    PublishedPostingFactory.create_batch(3, language="en")
    redis_ = redis_server()
    prefix = f"flood-{uuid.uuid4().hex}"
    server = web_servers(
        replicas=False, image=True, env={"REDIS_URL": redis_.url, "CACHE_KEY_PREFIX": prefix}
    )

    for number in range(40):
        assert server.get(f"/en/?utm_source={number}&x{number}=1").status_code == 200
        assert server.get(f"/en/?country=ZZ{number}").status_code == 200  # shown refused
        assert server.get(f"/en/?q=&page=1&workplace=&n={number}").status_code == 200

    keys = _page_keys(redis_.client, prefix)
    assert len(keys) == 1  # /en/ itself, whatever came with it
    # Minutes, not a day: twice JOBS_PAGE_CACHE_SECONDS (300 s by default).
    assert 0 < redis_.client.ttl(keys[0]) <= 600


@pytest.mark.django_db(transaction=True)
def test_a_full_redis_is_no_cache_and_healthz_says_so(web_servers, redis_server):
    company = CompanyFactory(slug="acme")
    posting = PublishedPostingFactory(language="en", company=company)
    redis_ = redis_server(policy="noeviction")
    prefix = f"full-{uuid.uuid4().hex}"
    server = web_servers(
        replicas=False, image=True, env={"REDIS_URL": redis_.url, "CACHE_KEY_PREFIX": prefix}
    )
    assert server.get("/healthz").json()["cache"] == "ok"
    # Past the cap: Redis refuses every write with OutOfMemoryError, and evicts nothing.
    for number in range(32):
        redis_.client.set(f"ballast:{number}", b"x" * 64 * 1024)
    redis_.client.config_set("maxmemory", "1mb")
    with pytest.raises(redis.exceptions.OutOfMemoryError):
        redis_.client.set("probe", b"x")

    for path in ["/en/", "/en/?q=developer", posting.get_absolute_url(), "/en/companies/acme/"]:
        for _ in range(3):
            response = server.get(path)
            assert response.status_code == 200, (path, response.status_code)

    health = server.get("/healthz")
    assert health.status_code == 200
    assert health.json()["cache"] == "down"
    assert health.json()["counters"] == "down"  # the broker's Redis: the same full server here


@pytest.mark.django_db
def test_one_clients_429_leaves_the_search_cacheable_for_everyone(
    client, settings, django_assert_max_num_queries
):
    settings.JOBS_PAGE_CACHE_SECONDS = 300
    settings.JOBS_SEARCH_RATE_LIMIT = 1
    PublishedPostingFactory(language="en", title="Python developer")
    url = reverse("jobs:job_list") + "?q=python"
    client.get(reverse("jobs:job_list") + "?q=first", REMOTE_ADDR="203.0.113.1")

    limited = client.get(url, REMOTE_ADDR="203.0.113.1")
    other = client.get(url, REMOTE_ADDR="198.51.100.2")
    with django_assert_max_num_queries(0):
        third = client.get(url, REMOTE_ADDR="198.51.100.3")

    assert limited.status_code == 429
    assert other.status_code == third.status_code == 200
    assert "Python developer" in third.content.decode()


def test_the_broker_may_be_a_redis_of_its_own():
    code = "from django.conf import settings as s; print(s.CELERY_BROKER_URL, s.CACHES)"
    result = subprocess.run(  # noqa: S603 - our own settings, fixed arguments
        [sys.executable, "-c", code],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "REDIS_URL": "redis://cache.internal:6379/0",
            "CELERY_BROKER_URL": "redis://broker.internal:6379/0",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("redis://broker.internal:6379/0 ")
    assert "'LOCATION': 'redis://cache.internal:6379/0'" in result.stdout
