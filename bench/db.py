"""The benchmark's own database, on the same server as the dev one, so dev data is untouched.

With DATABASE_URL the bench database sits on that server; without it, on the embedded one.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "jobboard_bench")
BASE_DIR = Path(__file__).resolve().parent.parent


def server_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        from config.embedded_db import embedded_database_url

        url = embedded_database_url(BASE_DIR / ".data" / "pg")
    return url


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def bench_url() -> str:
    """The bench database's URL, created on first use."""
    url = server_url()
    with psycopg.connect(_connect_string(_with_database(url, "postgres")), autocommit=True) as c:
        if not c.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE]
        ).fetchone():
            c.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    return _with_database(url, BENCH_DATABASE)


def _connect_string(url: str) -> str:
    """psycopg reads the URL's host as a socket folder when it is a percent-encoded path."""
    import dj_database_url

    config = dj_database_url.parse(url)
    parts = {
        "dbname": config["NAME"],
        "user": config.get("USER") or "",
        "password": config.get("PASSWORD") or "",
        "host": config.get("HOST") or "",
        "port": str(config.get("PORT") or ""),
    }
    return " ".join(f"{key}='{value}'" for key, value in parts.items() if value)


def connect(url: str) -> psycopg.Connection:
    return psycopg.connect(_connect_string(url), autocommit=True)
