import pytest

from jobs.models import EventAction, JobPosting, Status
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
def test_the_expiry_task_expires_due_postings_and_records_why():
    # Eager mode, as tests/conftest.py turns on for every test that starts no real worker.
    due = ExpiredPostingFactory()
    live = PublishedPostingFactory()

    result = expire_postings.delay().get()

    assert result == {"expired": 1, "archived": 0}
    due.refresh_from_db()
    assert due.status == Status.EXPIRED
    event = due.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        EventAction.EXPIRED, Status.PUBLISHED, Status.EXPIRED, None
    )  # fmt: skip
    assert not live.events.exists()


@pytest.mark.worker
def test_a_real_worker_expires_postings_through_redis(celery_worker):
    due = ExpiredPostingFactory()

    expire_postings.apply_async(queue=celery_worker.queue)
    expired = celery_worker.wait_for(
        lambda: JobPosting.objects.get(pk=due.pk).status == Status.EXPIRED
    )

    assert expired, "the worker did not expire the posting"
    assert due.events.get().action == EventAction.EXPIRED
