"""DATABASES as each deployment gets it from the environment (config/settings.py): pooling mode,
replicas, and Django's psycopg pool against the real server."""

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.conftest import database_url

SETTINGS = Path(__file__).resolve().parents[1] / "config" / "settings.py"
PRIMARY_URL = "postgres://jobboard:secret@primary.internal:5432/jobboard"


def settings_with(monkeypatch, **env: str) -> dict:
    """The settings module as it loads in a process started with `env`."""
    for name in ("DATABASE_POOL", "DATABASE_REPLICA_URLS", "DATABASE_CONN_MAX_AGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", PRIMARY_URL)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_by_default_each_process_keeps_its_connections(monkeypatch):
    settings = settings_with(monkeypatch)

    default = settings["DATABASES"]["default"]
    assert (default["HOST"], default["NAME"]) == ("primary.internal", "jobboard")
    assert default["CONN_MAX_AGE"] == 60
    assert default["CONN_HEALTH_CHECKS"] is True
    assert "pool" not in default.get("OPTIONS", {})
    assert not default.get("DISABLE_SERVER_SIDE_CURSORS")
    assert list(settings["DATABASES"]) == ["default"]
    assert settings["DATABASE_ROUTERS"] == []


def test_psycopg_pool_mode_pools_per_process_without_persistent_connections(monkeypatch):
    settings = settings_with(
        monkeypatch,
        DATABASE_POOL="psycopg",
        DATABASE_POOL_MAX_SIZE="4",
        DATABASE_CONN_MAX_AGE="600",  # ignored: Django's pool refuses persistent connections
    )

    default = settings["DATABASES"]["default"]
    assert default.get("OPTIONS", {})["pool"] == {"min_size": 2, "max_size": 4, "timeout": 10.0}
    assert default["CONN_MAX_AGE"] == 0
    assert not default.get("DISABLE_SERVER_SIDE_CURSORS")


def test_pgbouncer_mode_relies_on_no_session_state(monkeypatch):
    settings = settings_with(monkeypatch, DATABASE_POOL="pgbouncer", DATABASE_CONN_MAX_AGE="30")

    default = settings["DATABASES"]["default"]
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "pool" not in default.get("OPTIONS", {})
    # Prepared statements are session state too: Django's psycopg backend makes none unless
    # OPTIONS asks for them.
    assert "prepare_threshold" not in default.get("OPTIONS", {})
    assert "server_side_binding" not in default.get("OPTIONS", {})
    # A connection to pgbouncer holds no server connection between transactions: keep it.
    assert default["CONN_MAX_AGE"] == 30


def test_an_unknown_pool_mode_is_a_clear_error(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOL must be"):
        settings_with(monkeypatch, DATABASE_POOL="pgpool")


def test_replicas_become_aliases_with_the_primary_s_pooling(monkeypatch):
    settings = settings_with(
        monkeypatch,
        DATABASE_POOL="pgbouncer",
        DATABASE_REPLICA_URLS=(
            "postgres://reader@replica-a.internal/jobboard, postgres://reader@replica-b/jobboard"
        ),
    )

    databases = settings["DATABASES"]
    assert list(databases) == ["default", "replica_1", "replica_2"]
    assert databases["replica_1"]["HOST"] == "replica-a.internal"
    assert databases["replica_2"]["HOST"] == "replica-b"
    assert databases["replica_2"]["USER"] == "reader"
    assert all(databases[alias]["DISABLE_SERVER_SIDE_CURSORS"] for alias in databases)
    # Tests run against the test database, never a replica of production.
    assert databases["replica_1"]["TEST"] == {"MIRROR": "default"}
    assert settings["DATABASE_REPLICAS"] == ["replica_1", "replica_2"]
    assert settings["DATABASE_ROUTERS"] == ["config.routers.PrimaryReplicaRouter"]


# Run in a process of its own, as gunicorn would run it: the pool belongs to a process.
POOLED_PROCESS = """
import json
import django
from django.db import connection

django.setup()
backends = []
for _request in range(3):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), current_database()")
        backends.append(cursor.fetchone())
    # What Django does when a request ends: with a pool, the connection goes back to it.
    connection.close()
    assert connection.connection is None
print(json.dumps({"backends": backends, "pool": connection.pool.get_stats()["pool_size"]}))
connection.close_pool()
"""


@pytest.mark.django_db
def test_the_psycopg_pool_serves_queries_from_the_real_server():
    result = subprocess.run(  # noqa: S603 - our own code, fixed arguments
        [sys.executable, "-c", POOLED_PROCESS],
        cwd=SETTINGS.parents[1],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "DATABASE_POOL": "psycopg",
            "DATABASE_POOL_MIN_SIZE": "1",
            "DATABASE_POOL_MAX_SIZE": "1",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    # One server connection, taken from the pool and given back three times, in the test
    # database.
    assert len({pid for pid, _name in report["backends"]}) == 1
    assert {name for _pid, name in report["backends"]} == {database_url().rsplit("/", 1)[1]}
    assert report["pool"] == 1


def test_web_queries_start_no_parallel_workers(monkeypatch, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)
    chosen = settings_with(monkeypatch, DATABASE_PARALLEL_WORKERS="2")["DATABASES"]["default"]
    assert chosen["OPTIONS"]["options"] == "-c max_parallel_workers_per_gather=2"
    # pgbouncer refuses startup options; its role's settings apply instead (README).
    pooled = settings_with(monkeypatch, DATABASE_POOL="pgbouncer")["DATABASES"]["default"]
    assert "options" not in pooled.get("OPTIONS", {})
