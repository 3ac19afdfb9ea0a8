"""A transactional outbox for the emails an event or a subscription causes.

The email's task used to be queued after the commit (`transaction.on_commit(task.delay)`): a
process that died between the two, or a broker that was down, lost the email for good. Now the
service writes an `OutboxMessage` row in the same transaction as the event itself: either both
exist or neither. After the commit the row is handed to the broker at once (`deliver_outbox`);
a periodic task (`drain_outbox`, every minute) hands over again whatever has waited longer than
DRAIN_AFTER_SECONDS, which covers the crash, the broker outage and a lost task. Delivery takes
the row's lock and marks it delivered in the transaction that sends, so a message handed over
twice is sent once; one sent just before a crash, before its mark was committed, is sent again
(at least once, never lost). Delivery and the drain are in jobs/services/outbox.py.
"""

import logging
from importlib import import_module

from django.db import models, transaction
from django.db.models import Q

logger = logging.getLogger(__name__)


class OutboxMessage(models.Model):
    EVENT = "event"
    ALERT_CONFIRMATION = "alert_confirmation"
    # The Digital Services Act's messages (jobs.services.notices, statements, complaints).
    NOTICE_RECEIVED = "notice_received"
    NOTICE_DECIDED = "notice_decided"
    STATEMENT = "statement"
    COMPLAINT_FILED = "complaint_filed"
    COMPLAINT_DECIDED = "complaint_decided"

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "jobs"
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(delivered_at__isnull=True),
                name="outbox_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}"


def outbox_add(kind: str, object_id: int) -> OutboxMessage:
    """Write the message in the caller's transaction; hand it over once that commits."""
    message = OutboxMessage.objects.create(kind=kind, object_id=object_id)
    transaction.on_commit(lambda: hand_over(message.pk))
    return message


DELIVER_TASK = "jobs.tasks.deliver_outbox"


def deliver_task():
    """The delivery task, found by its name at call time, as Celery finds a task: the module
    that defines it imports the services that write to this outbox."""
    module, _dot, name = DELIVER_TASK.rpartition(".")
    return getattr(import_module(module), name)


def hand_over(message_id: int) -> None:
    """Queue the message's delivery (the task by its name: this module imports no other)."""
    try:
        deliver_task().delay(message_id)
    except Exception as error:  # noqa: BLE001 - the broker is down: the drain sends it later
        logger.warning("outbox message %s left for the drain: %s", message_id, error)
