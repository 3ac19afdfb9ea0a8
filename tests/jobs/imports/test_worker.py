"""The import task on a real Celery worker through Redis, and a worker killed mid-run."""

import time

import pytest

from jobs.imports.models import ImportRun, PostingSource, RunStatus
from jobs.imports.services import import_run_create
from jobs.models import JobPosting
from jobs.tasks import run_import
from tests.jobs.imports.helpers import jsonld_feed

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WORKER_ENV = {
    "IMPORT_ALLOWED_HOSTS": "127.0.0.1",
    "IMPORT_CHUNK_SIZE": "50",
    # A killed worker's task comes back after 5 s instead of an hour.
    "CELERY_VISIBILITY_TIMEOUT": "5",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
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
    started = wait_for(lambda: ImportRun.objects.get(pk=run.pk).created >= 100, timeout=90)
    assert started, first.stop()
    first.kill()
    stored_before_retry = JobPosting.objects.filter(source_name="Killed feed").count()
    interrupted = ImportRun.objects.get(pk=run.pk)
    assert interrupted.status == RunStatus.RUNNING
    assert 0 < stored_before_retry < total

    # acks_late: the unacknowledged task returns to the queue and a new worker runs it again.
    second = celery_workers(queue=first.queue, env=WORKER_ENV)
    finished = wait_for(lambda: ImportRun.objects.get(pk=run.pk).is_finished, timeout=150)
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
