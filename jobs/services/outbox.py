"""Delivering the outbox's messages (jobs.outbox): once each, and again any whose hand-over
after the commit was lost."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from jobs.notifications import event_notify
from jobs.outbox import OutboxMessage, deliver_task
from jobs.services.alerts import alert_confirmation_send
from jobs.services.complaints import complaint_decided_send, complaint_filed_send
from jobs.services.notices import notice_decision_send, notice_receipt_send
from jobs.services.statements import statement_send

logger = logging.getLogger(__name__)

# A message not delivered this long after it was written is handed over again.
DRAIN_AFTER_SECONDS = 60
DRAIN_BATCH = 500


SENDERS = {
    OutboxMessage.EVENT: lambda pk: event_notify(event_id=pk),
    OutboxMessage.ALERT_CONFIRMATION: lambda pk: alert_confirmation_send(alert_id=pk),
    OutboxMessage.NOTICE_RECEIVED: lambda pk: notice_receipt_send(report_id=pk),
    OutboxMessage.NOTICE_DECIDED: lambda pk: notice_decision_send(report_id=pk),
    OutboxMessage.STATEMENT: lambda pk: statement_send(statement_id=pk),
    OutboxMessage.COMPLAINT_FILED: lambda pk: complaint_filed_send(complaint_id=pk),
    OutboxMessage.COMPLAINT_DECIDED: lambda pk: complaint_decided_send(complaint_id=pk),
}


def _send(message: OutboxMessage) -> None:
    sender = SENDERS.get(message.kind)
    if sender is None:
        logger.error("outbox message %s of unknown kind %r dropped", message.pk, message.kind)
    else:
        sender(message.object_id)


def outbox_deliver(*, message_id: int) -> bool:
    """Send the message unless it was sent already (or is being sent); True when sent here."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, delivered_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        _send(message)
        message.delivered_at = timezone.now()
        message.save(update_fields=["delivered_at"])
    return True


def outbox_drain(*, now=None) -> int:
    """Hand over again every message that has waited more than DRAIN_AFTER_SECONDS."""
    before = (now or timezone.now()) - timedelta(seconds=DRAIN_AFTER_SECONDS)
    pending = list(
        OutboxMessage.objects.filter(delivered_at__isnull=True, created_at__lt=before)
        .order_by("created_at")
        .values_list("pk", flat=True)[:DRAIN_BATCH]
    )
    deliver = deliver_task()
    for message_id in pending:
        deliver.delay(message_id)
    return len(pending)
