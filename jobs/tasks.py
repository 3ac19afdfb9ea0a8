from smtplib import SMTPException

from celery import shared_task

from jobs.services import (
    alert_confirmation_send,
    alerts_purge_unconfirmed,
    alerts_send_digests,
    postings_expire_due,
)


@shared_task
def expire_postings() -> int:
    return postings_expire_due()


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=6,
)
def send_alert_confirmation(alert_id: int) -> bool:
    return alert_confirmation_send(alert_id=alert_id)


@shared_task
def send_alert_digests(frequency: str) -> int:
    return alerts_send_digests(frequency=frequency)


@shared_task
def purge_unconfirmed_alerts() -> int:
    return alerts_purge_unconfirmed()
