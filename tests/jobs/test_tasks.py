from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import JobPosting, Status
from jobs.services.postings import postings_expire_due
from jobs.tasks import expire_postings
from tests.factories import ExpiredPostingFactory, PublishedPostingFactory


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
def test_expiry_task_runs_in_process_in_eager_mode():
    # Eager mode, as tests/conftest.py turns on for every test that starts no real worker.
    due = ExpiredPostingFactory()

    expire_postings.delay()

    due.refresh_from_db()
    assert due.status == Status.EXPIRED


@pytest.mark.worker
def test_a_real_worker_expires_postings_through_redis(celery_worker):
    due = ExpiredPostingFactory()

    expire_postings.apply_async(queue=celery_worker.queue)
    expired = celery_worker.wait_for(
        lambda: JobPosting.objects.get(pk=due.pk).status == Status.EXPIRED
    )

    assert expired, "the worker did not expire the posting"
    assert due.expires_at < timezone.now() - timedelta(days=1)
