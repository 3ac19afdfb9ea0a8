import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from jobs.models import JobPosting, Status
from jobs.services import postings_expire_due
from jobs.tasks import expire_postings
from tests.factories import ExpiredPostingFactory, PublishedPostingFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_expiry_moves_only_postings_past_their_date():
    due = ExpiredPostingFactory()
    live = PublishedPostingFactory()

    assert postings_expire_due() == 1

    due.refresh_from_db()
    live.refresh_from_db()
    assert due.status == Status.EXPIRED
    assert live.status == Status.PUBLISHED


@pytest.mark.django_db
def test_expiry_task_runs_in_process_without_redis(settings):
    if settings.REDIS_URL:
        pytest.skip("with REDIS_URL, tasks go to the broker: see the worker test below")
    due = ExpiredPostingFactory()

    expire_postings.delay()

    due.refresh_from_db()
    assert due.status == Status.EXPIRED


def database_url() -> str:
    params = connection.settings_dict
    host = params["HOST"] or ""
    if host.startswith("/"):  # a Unix socket, as the embedded server uses
        return f"postgresql://{params['USER']}@{quote(host, safe='')}/{params['NAME']}"
    return f"postgresql://{params['USER']}:{params['PASSWORD']}@{host}:{params['PORT']}/{params['NAME']}"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_expires_postings_through_redis():
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: the broker and a real worker")
    due = ExpiredPostingFactory()
    queue = f"test-{uuid.uuid4().hex}"  # no other run's worker may take this task
    worker = subprocess.Popen(  # noqa: S603 - our own Celery app with fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "--app",
            "config",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url()},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        expire_postings.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if JobPosting.objects.get(pk=due.pk).status == Status.EXPIRED:
                break
            time.sleep(0.2)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]

    assert JobPosting.objects.get(pk=due.pk).status == Status.EXPIRED, output
    assert due.expires_at < timezone.now() - timedelta(days=1)
