import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings


def pytest_configure(config):
    # Parallel workers share one Redis: give each its own database for the cache, so that
    # clearing it between tests never touches another worker's entries or the broker (db 0).
    if settings.REDIS_URL:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        index = 1 + int(worker.removeprefix("gw") or 0) % 15
        url = urlsplit(settings.REDIS_URL)
        settings.CACHES["default"]["LOCATION"] = urlunsplit(url._replace(path=f"/{index}"))


@pytest.fixture(autouse=True)
def _clear_cache():
    # The cache outlives a test's transaction; a test must never see another's entries.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
