"""What a notifier hears (DSA Art. 16(4) and (5)): a confirmation that their notice arrived,
and the decision taken on it, each in the language of the page they wrote it from. Only
notices that give an email address hear anything."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jobs.models import Report, ReportResolution, Status
from jobs.notifications import email_send
from jobs.outbox import OutboxMessage, outbox_add

RECEIVED_SUBJECT = _("We received your notice about “%(title)s”")
DECIDED_SUBJECT = _("Our decision on your notice about “%(title)s”")


def notice_received(report: Report) -> None:
    """Write the confirmation of receipt in the notice's transaction."""
    if report.notifier_email:
        outbox_add(OutboxMessage.NOTICE_RECEIVED, report.pk)


def notices_decided(reports: QuerySet[Report]) -> int:
    """Write the decision's notice for each report of `reports` that gave an address: call it
    in the decision's transaction, once the reports are resolved."""
    ids = list(reports.exclude(notifier_email="").values_list("pk", flat=True))
    for report_id in ids:
        outbox_add(OutboxMessage.NOTICE_DECIDED, report_id)
    return len(ids)


def _send(report_id: int, *, subject, template: str) -> bool:
    report = Report.objects.select_related("posting").filter(pk=report_id).first()
    # Erased since (retention, "my data"): there is no one left to tell.
    if report is None or not report.notifier_email:
        return False
    email_send(
        to=report.notifier_email,
        language=report.language or report.posting.language,
        subject=lambda: str(subject) % {"title": report.posting.title},
        template=template,
        context={
            "report": report,
            "posting": report.posting,
            "taken_down": report.resolution == ReportResolution.TAKEN_DOWN,
            # A take-down reversed on the advertiser's complaint (jobs.services.complaints).
            "reinstated": report.resolution == ReportResolution.TAKEN_DOWN
            and report.posting.status == Status.PUBLISHED,
        },
    )
    return True


def notice_receipt_send(*, report_id: int) -> bool:
    return _send(report_id, subject=RECEIVED_SUBJECT, template="jobs/email/notice_received.txt")


def notice_decision_send(*, report_id: int) -> bool:
    return _send(report_id, subject=DECIDED_SUBJECT, template="jobs/email/notice_decided.txt")
