import importlib
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


# The rows that data migrations create. A transactional test (a real worker must see committed
# rows) empties every table when it ends, and --reuse-db carries that into the next run.
REFERENCE_DATA = [
    ("locales.migrations.0002_regions", "create_regions"),
    ("locales.migrations.0005_default_exchange_rates", "create_rates"),
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.apps import apps

    with django_db_blocker.unblock():
        for module, function in REFERENCE_DATA:
            getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _clear_cache():
    # The cache outlives a test's transaction; a test must never see another's entries.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
