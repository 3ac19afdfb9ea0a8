from smtplib import SMTPException

from celery import shared_task

from jobs.notifications import event_notify
from jobs.services import postings_archive_stale, postings_expire_due, postings_remind_expiring


@shared_task
def expire_postings() -> dict[str, int]:
    return {"expired": postings_expire_due(), "archived": postings_archive_stale()}


@shared_task
def remind_expiring_postings() -> int:
    return postings_remind_expiring()


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_event_email(event_id: int) -> int:
    return event_notify(event_id=event_id)
