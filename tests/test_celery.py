"""Celery at scale: a queue per kind of work (CELERY_TASK_ROUTES) with real workers, and one
beat however many are started (config/beat.py)."""

import json
import os
import subprocess
import sys
import threading
import time
import uuid

import pytest
import redis
from django.conf import settings
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from config.beat import BeatLock
from config.celery import app
from jobs.imports.models import ImportRun, RunStatus
from jobs.imports.services import import_run_create
from jobs.services.postings import posting_submit
from jobs.tasks import run_import
from tests.conftest import ROOT, broker_client, celery_routes, database_url
from tests.factories import CompanyFactory, ModeratorFactory, PostingFactory, RecruiterFactory
from tests.jobs.imports.helpers import jsonld_feed

PROJECT_APPS = ("jobs.", "companies.", "locales.", "config.")

QUEUES = {
    "jobs.tasks.run_import": "imports",
    "jobs.tasks.run_import_source": "imports",
    "jobs.tasks.import_chunk": "imports",
    "jobs.tasks.send_event_email": "emails",
    "jobs.tasks.send_alert_confirmation": "emails",
    "jobs.tasks.send_alert_digests": "emails",
    "jobs.tasks.deliver_outbox": "emails",
    "jobs.tasks.expire_postings": "maintenance",
    "jobs.tasks.remind_expiring_postings": "maintenance",
    "jobs.tasks.purge_unconfirmed_alerts": "maintenance",
    "jobs.tasks.notify_search_engines": "maintenance",
    "jobs.tasks.purge_report_personal_data": "maintenance",
    "jobs.tasks.refresh_search_words": "maintenance",
    "jobs.tasks.send_my_data_link": "emails",
    "jobs.tasks.drain_outbox": "maintenance",
    "jobs.tasks.warm_search_cells": "maintenance",
    "jobs.tasks.refresh_search_cells": "celery",
}


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_every_task_goes_to_the_queue_of_its_kind():
    project_tasks = {name for name in app.tasks if name.startswith(PROJECT_APPS)}

    assert project_tasks == set(QUEUES), "a new task needs a route in CELERY_TASK_ROUTES"
    assert {name: queue_of(name) for name in project_tasks} == QUEUES
    # Tasks the import pipeline adds (chunks of a run) land with the imports.
    assert queue_of("jobs.tasks.run_import_chunk") == "imports"
    assert queue_of("jobs.imports.tasks.store_chunk") == "imports"
    # Anything else, Celery's own included, goes to the default queue.
    assert queue_of("celery.backend_cleanup") == "celery"


def test_beat_s_own_schedules_use_routed_tasks():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert queue_of(entry["task"]) in {"emails", "maintenance"}


def test_the_makefile_worker_serves_every_queue_unless_told_otherwise():
    result = subprocess.run(
        ["make", "-n", "worker", "QUEUES=emails"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--queues emails --hostname emails@%h" in result.stdout
    result = subprocess.run(
        ["make", "-n", "worker"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    queues = result.stdout.split("--queues ", 1)[1].split()[0].split(",")
    assert set(queues) == set(QUEUES.values()) | {"celery"}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_email_goes_out_while_the_imports_worker_is_busy(celery_workers, feed_server):
    # The settings' routes, onto this run's own queues.
    run_id = uuid.uuid4().hex
    routes = {
        pattern: {"queue": f"{route['queue']}-{run_id}"}
        for pattern, route in settings.CELERY_TASK_ROUTES.items()
    }
    worker_env = {"IMPORT_ALLOWED_HOSTS": "127.0.0.1", "IMPORT_READ_TIMEOUT": "120"}
    imports = celery_workers(queue=f"imports-{run_id}", env=worker_env)
    emails = celery_workers(queue=f"emails-{run_id}", env=worker_env)
    # A feed that answers only when the test lets it: the import holds its worker meanwhile.
    fetched, release = threading.Event(), threading.Event()

    def slow_feed():
        fetched.set()
        release.wait(timeout=120)
        return jsonld_feed(20)

    feed_server.routes["/slow.json"] = slow_feed
    company = CompanyFactory()
    recruiter = RecruiterFactory(company=company)
    moderator = ModeratorFactory(email="moderator@example.com")
    posting = PostingFactory(company=company, title="Queue Engineer")

    with celery_routes(routes):
        run = import_run_create(location=feed_server.url("/slow.json"), source_name="Slow feed")
        run_import.delay(run.pk)  # as admin's "run now" and beat's scheduled sources do
        assert imports.wait_for(fetched.is_set, timeout=90), imports.stop()

        posting_submit(posting=posting, actor=recruiter)

        assert emails.wait_for(emails.emails, timeout=90), emails.stop()
        (email,) = emails.emails()
        assert f"To: {moderator.email}" in email
        # The email did not wait for the import, which is still fetching.
        assert ImportRun.objects.get(pk=run.pk).status == RunStatus.RUNNING
        assert not imports.emails()

        release.set()
        assert imports.wait_for(
            lambda: ImportRun.objects.get(pk=run.pk).is_finished, timeout=90
        ), imports.stop()
    assert ImportRun.objects.get(pk=run.pk).status == RunStatus.SUCCEEDED


# --- One beat -----------------------------------------------------------------------------


@pytest.fixture
def lock_key():
    key = f"test-beat-lock-{uuid.uuid4().hex}"
    yield key
    redis.Redis.from_url(settings.REDIS_URL).delete(key)


def test_one_beat_lock_holder_at_a_time(lock_key):
    client = redis.Redis.from_url(settings.REDIS_URL)
    first = BeatLock(settings.REDIS_URL, lock_key, ttl=30)
    second = BeatLock(settings.REDIS_URL, lock_key, ttl=30)

    assert first.hold()
    assert not second.hold()
    assert first.hold()  # renewed
    assert 25_000 < client.pttl(lock_key) <= 30_000

    # A holder that stops cleanly hands over at once.
    first.release()
    assert second.hold()
    assert not first.hold()

    # A holder that went silent past its expiry loses the lock, and learns it when it wakes.
    client.delete(lock_key)  # what the expiry does
    assert first.hold()
    assert not second.hold()
    assert not second.held


BEAT_LOG_SENDING = "this beat holds the lock: sending the schedules"
BEAT_LOG_STANDING_BY = "another beat holds the lock: standing by"


class Beat:
    """A real `celery beat` process with the project's scheduler, against the test database."""

    def __init__(self, lock_key: str, log_path) -> None:
        self.log_path = log_path
        self.log = log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603 - our own Celery app, fixed arguments
            [sys.executable, "-m", "celery", "--app", "config", "beat", "--loglevel", "INFO",
             "--schedule", str(log_path.with_suffix(".db")), "--max-interval", "1"],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database_url(),
                "CELERY_BEAT_LOCK_KEY": lock_key,
                "CELERY_BEAT_LOCK_TTL": "3",
                "DJANGO_LOG_FORMAT": "plain",
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip

    def said(self, text: str):
        return lambda: text in self.log_path.read_text()

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)
        self.log.close()
        return self.log_path.read_text()


def wait_for(condition, beat: Beat, timeout: float = 60) -> bool:
    """Poll `condition`; give up when the beat process has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if beat.process.poll() is not None:
            return False
        time.sleep(0.2)
    return False


def sent_by(queue: str) -> list[str]:
    """The sender (`gen<pid>@host`) of every task message waiting in `queue`."""
    with broker_client() as client:
        messages = client.lrange(queue, 0, -1)
    return [json.loads(message)["headers"]["origin"] for message in messages]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_second_beat_stands_by_and_takes_over_when_the_first_dies(lock_key, tmp_path):
    queue = f"test-beat-{uuid.uuid4().hex}"
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    PeriodicTask.objects.create(
        name=queue, task="jobs.tasks.purge_unconfirmed_alerts", interval=every_second, queue=queue
    )
    first = Beat(lock_key, tmp_path / "first.log")
    beats = [first]
    try:
        assert wait_for(first.said(BEAT_LOG_SENDING), first), first.stop()
        second = Beat(lock_key, tmp_path / "second.log")
        beats.append(second)
        assert wait_for(second.said(BEAT_LOG_STANDING_BY), second), second.stop()
        assert wait_for(lambda: len(sent_by(queue)) >= 3, first), first.stop()
        # The standby ticked all along, and sent nothing.
        assert {origin.split("@")[0] for origin in sent_by(queue)} == {f"gen{first.process.pid}"}

        first.process.kill()  # no clean release: the lock has to expire
        first.process.wait(timeout=30)
        assert wait_for(second.said(BEAT_LOG_SENDING), second), second.stop()
        assert wait_for(
            lambda: f"gen{second.process.pid}" in {o.split("@")[0] for o in sent_by(queue)},
            second,
        ), second.stop()
    finally:
        for beat in beats:
            beat.stop()
        with broker_client() as client:
            client.delete(queue)
