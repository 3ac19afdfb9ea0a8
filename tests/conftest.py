import importlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config):
    # Hashing passwords at production strength would dominate the suite's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Run tasks in the test's own process, so `mailoutbox` sees the emails, unless the test
    drives a real worker (marked `worker`)."""
    from config.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def database_url() -> str:
    from django.db import connection

    params = connection.settings_dict
    host = params["HOST"] or ""
    if host.startswith("/"):  # a Unix socket, as the embedded server uses
        return f"postgresql://{params['USER']}@{quote(host, safe='')}/{params['NAME']}"
    return (
        f"postgresql://{params['USER']}:{params['PASSWORD']}@{host}:{params['PORT']}"
        f"/{params['NAME']}"
    )


class Worker:
    """A real Celery worker process on its own queue, against the test database."""

    def __init__(self, queue: str, process: subprocess.Popen, mail_dir: Path):
        self.queue = queue
        self.process = process
        self.mail_dir = mail_dir

    def wait_for(self, condition, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            if self.process.poll() is not None:
                return False
            time.sleep(0.2)
        return False

    def emails(self) -> list[str]:
        return [path.read_text() for path in sorted(self.mail_dir.glob("*.log"))]


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    """Start a worker that sends emails to files under tmp_path; tests send tasks with
    `apply_async(queue=celery_worker.queue)` or route them with `celery_worker.route()`."""
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: the broker and a real worker")
    from config.celery import app

    queue = f"test-{uuid.uuid4().hex}"  # no other run's worker may take these tasks
    mail_dir = tmp_path / "mail"
    process = subprocess.Popen(  # noqa: S603 - our own Celery app with fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "--app",
            "config",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    worker = Worker(queue, process, mail_dir)
    try:
        yield worker
    finally:
        app.conf.task_default_queue = previous_queue
        process.terminate()
        # Shown by pytest only when the test fails.
        print(process.communicate(timeout=30)[0])
