from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from jobs.filters import search_cells_recount, search_cells_warm_all
from jobs.imports.fetch import NetworkError
from jobs.imports.models import ImportSource
from jobs.imports.services import (
    chunk_process,
    import_run_execute,
    import_run_fail,
    import_source_run_create,
)
from jobs.indexing.services import indexing_prune, indexing_run
from jobs.notifications import event_notify
from jobs.services.alerts import (
    alert_confirmation_send,
    alerts_purge_unconfirmed,
    alerts_send_digests,
)
from jobs.services.outbox import outbox_deliver, outbox_drain
from jobs.services.postings import (
    postings_archive_stale,
    postings_expire_due,
    postings_remind_expiring,
)
from jobs.services.privacy import my_data_link_send, reports_purge_personal_data
from jobs.spelling import search_words_refresh

# Waits between attempts after a network error: 30 s, 1, 2, 4, 8 min.
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 600


@shared_task
def expire_postings() -> dict[str, int]:
    return {"expired": postings_expire_due(), "archived": postings_archive_stale()}


@shared_task
def refresh_search_words() -> dict[str, int]:
    return search_words_refresh()


@shared_task
def refresh_search_cells(language: str, query_text: str) -> None:
    search_cells_recount(language, query_text)


@shared_task
def warm_search_cells() -> dict[str, int]:
    return search_cells_warm_all()


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


@shared_task(
    bind=True,
    # Acknowledged only once done: a worker killed mid-run leaves the task to be delivered
    # again, and the run's idempotent writes make the second attempt safe.
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
    soft_time_limit=settings.IMPORT_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.IMPORT_TASK_TIME_LIMIT,
)
def run_import(self, run_id: int) -> str:
    # Chunks go to the queue this task came from (the imports queue when routed), so that
    # the workers serving imports share them and no other queue waits behind them.
    queue = (self.request.delivery_info or {}).get("routing_key")

    def dispatch(chunk_id: int) -> None:
        import_chunk.apply_async(args=[chunk_id], queue=queue)

    try:
        run = import_run_execute(run_id=run_id, dispatch=dispatch)
    except NetworkError as error:
        if self.request.retries >= self.max_retries:
            return import_run_fail(run_id=run_id, code=error.code, params=error.params).status
        delay = min(RETRY_BASE_SECONDS * 2**self.request.retries, RETRY_MAX_SECONDS)
        raise self.retry(countdown=delay) from None
    return run.status


@shared_task(
    # Like run_import: a chunk whose worker was killed is delivered again; a chunk already
    # done (by the run's own task meanwhile) is left alone.
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.IMPORT_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.IMPORT_TASK_TIME_LIMIT,
)
def import_chunk(chunk_id: int) -> bool:
    return chunk_process(chunk_id=chunk_id)


@shared_task
def run_import_source(source_id: int) -> int | None:
    """What beat calls for a scheduled source: queue a run of it, if it is still active."""
    source = ImportSource.objects.filter(pk=source_id, active=True).first()
    if source is None:
        return None
    run = import_source_run_create(source=source)
    run_import.delay(run.pk)
    return run.pk


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=6,
)
def send_alert_confirmation(alert_id: int) -> bool:
    return alert_confirmation_send(alert_id=alert_id)


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def deliver_outbox(message_id: int) -> bool:
    return outbox_deliver(message_id=message_id)


@shared_task
def drain_outbox() -> int:
    return outbox_drain()


@shared_task
def send_alert_digests(frequency: str) -> int:
    return alerts_send_digests(frequency=frequency)


@shared_task
def purge_unconfirmed_alerts() -> int:
    return alerts_purge_unconfirmed()


@shared_task
def notify_search_engines() -> dict[str, int]:
    return {**indexing_run(), "pruned": indexing_prune()}


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=6,
)
def send_my_data_link(sealed_email: str, language: str) -> None:
    my_data_link_send(sealed_email=sealed_email, language=language)


@shared_task
def purge_report_personal_data() -> int:
    return reports_purge_personal_data()
