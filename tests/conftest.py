import importlib
import os
import signal
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Put back the rows data migrations create (the regions) in a reused test database.

    A transactional test (the real-worker tests) ends by flushing every table; with
    --reuse-db the next session starts from that flushed database, and migrations that have
    already run do not run again.
    """
    from django.apps import apps

    with django_db_blocker.unblock():
        importlib.import_module("locales.migrations.0002_regions").create_regions(apps, None)


# --- Real services the import pipeline talks to -----------------------------------------

ROOT = Path(__file__).resolve().parents[1]


class FeedServer:
    """A real HTTP server on 127.0.0.1 serving feeds the test puts in ``routes``.

    A route's value is the body (bytes), or a (status, headers, body) triple for redirects
    and errors.
    """

    def __init__(self) -> None:
        self.routes: dict[str, bytes | tuple[int, dict[str, str], bytes]] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                answer = routes.get(self.path)
                if answer is None:
                    status, headers, body = 404, {}, b"not found"
                elif isinstance(answer, bytes):
                    status, headers, body = 200, {"Content-Type": "application/json"}, answer
                else:
                    status, headers, body = answer
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"


@pytest.fixture
def feed_server(settings):
    server = FeedServer()
    server.thread.start()
    # The local server is private by nature: allow exactly it, as operators would an
    # intranet ATS.
    settings.IMPORT_ALLOWED_HOSTS = ["127.0.0.1"]
    yield server
    server.server.shutdown()
    server.server.server_close()


def database_url() -> str:
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

    def __init__(self, queue: str, env: dict[str, str]) -> None:
        self.queue = queue
        command = [
            sys.executable, "-m", "celery", "--app", "config", "worker", "--pool", "solo",
            "--queues", queue, "--loglevel", "WARNING", "--without-heartbeat",
            "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 - our own Celery app, fixed arguments
            command,
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url(), **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            return self.process.communicate(timeout=30)[0] or ""
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.communicate()[0] or ""


@pytest.fixture
def celery_workers():
    """Start real workers with ``start(queue=..., env=...)``; all are stopped afterwards.

    Needs REDIS_URL (the broker) and a ``django_db(transaction=True)`` test, so the worker
    sees the test's rows.
    """
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: the broker and a real worker")
    workers: list[Worker] = []

    def start(*, queue: str | None = None, env: dict[str, str] | None = None) -> Worker:
        worker = Worker(queue or f"test-{uuid.uuid4().hex}", env or {})
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
