"""What every bench script shares: where the checkout is, which Python and port, the
BENCH_* settings, the log line and the environment the servers run with."""

import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    """A loopback port nothing listens on: several checkouts bench on one machine."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PORT = int(os.environ.get("BENCH_PORT") or free_port())
POSTINGS = int(os.environ.get("BENCH_POSTINGS", "1000000"))
FEED_POSTINGS = int(os.environ.get("BENCH_FEED_POSTINGS", "100000"))
# An outside Redis for the cache and the broker alike when given; by default a Valkey server
# of the bench's own (config/embedded_redis.py), apart from the checkout's development one.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
VALKEY_DIR = BASE_DIR / ".data" / "bench-valkey"
SEQUENTIAL = int(os.environ.get("BENCH_SEQUENTIAL", "200"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
WEB_WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "3"))
# Steps to leave out: generate, words (the search words' and common searches' rebuild),
# indexing, load, sitemaps, import.
SKIP = set(filter(None, os.environ.get("BENCH_SKIP", "").split(",")))
# The page kinds to load (`targets()`), all by default; the baseline is always loaded.
PAGES = set(filter(None, os.environ.get("BENCH_PAGES", "").split(",")))
# Worker processes for the import: the run's task and its chunks share them.
IMPORT_CONCURRENCY = int(os.environ.get("BENCH_IMPORT_CONCURRENCY", "2"))


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def redis_urls() -> tuple[str, str]:
    """The cache's and the broker's URLs: BENCH_REDIS_URL for both, or else the bench's own
    Valkey (started if it is not running; `python -m bench.run stop` stops it), the cache on
    database 0 and the broker on database 1, so clearing the cache never drops a queued task.
    """
    if REDIS_URL:
        return REDIS_URL, REDIS_URL
    from config.embedded_redis import embedded_broker_url, embedded_redis_url

    return embedded_redis_url(VALKEY_DIR, db=0), embedded_broker_url(VALKEY_DIR, db=1)


def environment(database_url: str) -> dict[str, str]:
    """Production settings: DEBUG off, Redis cache, hashed static files; plain HTTP."""
    cache_url, broker_url = redis_urls()
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "REDIS_URL": cache_url,
        "CELERY_BROKER_URL": broker_url,
        "CACHE_KEY_PREFIX": "bench",
        # One client (this script) makes every search: a per-client limit would answer 429s.
        "JOBS_SEARCH_RATE_LIMIT": "100000000",
    }
