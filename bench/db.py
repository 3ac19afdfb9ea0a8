"""The benchmark's own database, on the same server as the dev one, so dev data is untouched.

With DATABASE_URL the bench database sits on that server; without it, on the embedded one.
"""

import os
import time
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


def database_url(name: str) -> str:
    """The URL of database `name` on the bench database's server (not created: it must exist)."""
    return _with_database(server_url(), name)


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


# PostgreSQL as a production server is set up on a machine this size: a quarter of the memory
# for its own buffers (at most 8 GB), the rest counted on as the system's file cache, and
# random reads priced as on an SSD. The embedded server's defaults (128 MB of buffers) are
# for a laptop; a server given by DATABASE_URL is measured as it is configured.
def production_settings() -> dict[str, str]:
    import psutil

    memory_mb = psutil.virtual_memory().total // 2**20
    return {
        "shared_buffers": f"{min(memory_mb // 4, 8192)}MB",
        "effective_cache_size": f"{memory_mb * 3 // 4}MB",
        "random_page_cost": "1.1",
        "work_mem": "16MB",
    }


def tune_embedded_server() -> dict[str, str]:
    """Give the embedded server production settings (kept in its postgresql.auto.conf),
    restarting it when a setting needs a restart. Returns the settings in effect."""
    from config.embedded_db import restart

    names = list(production_settings())
    if os.environ.get("BENCH_KEEP_DATABASE_SETTINGS") or os.environ.get("DATABASE_URL"):
        with connect(server_url()) as connection:
            return {name: connection.execute(f"SHOW {name}").fetchone()[0] for name in names}
    data_dir = BASE_DIR / ".data" / "pg"
    with connect(server_url()) as connection:
        for name, value in production_settings().items():
            connection.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        connection.execute("SELECT pg_reload_conf()")
    if _restart_pending():
        restart(data_dir)
    with connect(server_url()) as connection:
        return {name: connection.execute(f"SHOW {name}").fetchone()[0] for name in names}


def _restart_pending() -> bool:
    """Whether a setting waits for a restart. The reload is asynchronous: a backend reads
    the new file only after its signal arrives, so a fresh connection asks, a few times."""
    for _attempt in range(20):
        with connect(server_url()) as connection:
            (pending,) = connection.execute(
                "SELECT bool_or(pending_restart) FROM pg_settings"
            ).fetchone()
        if pending:
            return True
        time.sleep(0.1)
    return False


def prewarm(url: str) -> int:
    """Read the bench database's tables and indexes into PostgreSQL's buffers, as a server
    that has been serving for a while holds them; returns the blocks read."""
    with connect(url) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        return connection.execute(
            "SELECT coalesce(sum(pg_prewarm(c.oid::regclass)), 0)::bigint FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 't')"
        ).fetchone()[0]
