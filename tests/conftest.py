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


def reference_data_load() -> None:
    from django.apps import apps

    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    # Transactional tests start from tables a previous one may have emptied.
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
        reference_data_load()


@pytest.fixture(autouse=True)
def _clear_cache():
    # The cache outlives a test's transaction; a test must never see another's entries.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
