"""Candidates' reports of a posting, and moderators dismissing them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from jobs.models import EventAction, JobPosting, Report, ReportReason, ReportResolution, Status
from jobs.services.postings import event_record, posting_lock, require_moderator


def client_fingerprint(client: str) -> str:
    """A keyed hash of the client (its IP address): enough to count distinct reporters,
    useless to anyone who reads the database without the secret key."""
    return salted_hmac("jobs.report.client", client or "unknown", algorithm="sha256").hexdigest()


@transaction.atomic
def report_create(*, posting: JobPosting, reason: str, message: str, client: str) -> Report:
    """Record a candidate's report; enough distinct reporters hide the posting until a
    moderator decides."""
    if reason not in ReportReason.values:
        raise ValidationError(_("Choose a reason."), code="reason")
    report = Report(
        posting=posting,
        reason=reason,
        message=message.strip(),
        client_hash=client_fingerprint(client),
    )
    report.full_clean()
    report.save()
    posting_lock(posting)
    if posting.status == Status.PUBLISHED and posting.hidden_at is None:
        reporters = (
            Report.objects.filter(posting=posting, resolved_at__isnull=True)
            .values("client_hash")
            .distinct()
            .count()
        )
        if reporters >= settings.JOBS_REPORTS_TO_HIDE:
            posting.hidden_at = timezone.now()
            posting.save(update_fields=["hidden_at", "updated_at"])
            event_record(posting, EventAction.HIDDEN, from_status=posting.status)
    return report


@transaction.atomic
def report_dismiss(*, posting: JobPosting, actor) -> int:
    """Dismiss the posting's open reports; a posting they hid comes back. Returns how many."""
    require_moderator(actor)
    posting_lock(posting)
    count = Report.objects.filter(posting=posting, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=ReportResolution.DISMISSED
    )
    if posting.hidden_at is not None:
        posting.hidden_at = None
        posting.save(update_fields=["hidden_at", "updated_at"])
        event_record(posting, EventAction.RESTORED, actor=actor, from_status=posting.status)
    return count
