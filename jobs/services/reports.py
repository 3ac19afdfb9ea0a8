"""Candidates' reports of a posting, and moderators dismissing them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from jobs.models import EventAction, JobPosting, Report, ReportReason, ReportResolution
from jobs.services.alerts import email_hash
from jobs.services.notices import notice_received, notices_decided
from jobs.services.postings import event_record, posting_lock, require_moderator


def client_fingerprint(client: str) -> str:
    """A keyed hash of the client (its IP address): enough to count distinct reporters,
    useless to anyone who reads the database without the secret key."""
    return salted_hmac("jobs.report.client", client or "unknown", algorithm="sha256").hexdigest()


@transaction.atomic
def report_create(
    *,
    posting: JobPosting,
    reason: str,
    message: str,
    client: str,
    url: str = "",
    notifier_name: str = "",
    notifier_email: str = "",
    good_faith: bool = False,
    language: str = "",
) -> Report:
    """Record a notice (DSA Art. 16) and, when it gives an address, its confirmation of
    receipt. Reports never take a posting offline by themselves: a few addresses (an IPv6
    /64, a phone, a VPN) are easily one person. Reports from JOBS_REPORTS_TO_REVIEW distinct
    clients put the posting in the moderators' queue (`awaiting_review`), where a moderator
    takes it down or dismisses them."""
    if reason not in ReportReason.values:
        raise ValidationError(_("Choose a reason."), code="reason")
    notifier_email = notifier_email.strip()
    report = Report(
        posting=posting,
        reason=reason,
        message=message.strip(),
        client_hash=client_fingerprint(client),
        url=url.strip(),
        notifier_name=notifier_name.strip(),
        notifier_email=notifier_email,
        notifier_email_hash=email_hash(notifier_email) if notifier_email else "",
        good_faith=good_faith,
        language=language,
    )
    report.full_clean()
    report.save()
    notice_received(report)
    posting_lock(posting)  # two reports at once count each other
    reporters = (
        Report.objects.filter(posting=posting, resolved_at__isnull=True)
        .values("client_hash")
        .distinct()
        .count()
    )
    if reporters == settings.JOBS_REPORTS_TO_REVIEW:
        # The moderators hear once, when the reports first call for a decision.
        event_record(posting, EventAction.REPORTED, from_status=posting.status)
    return report


def awaiting_review(postings: QuerySet[JobPosting]) -> QuerySet[JobPosting]:
    """The postings whose open reports come from JOBS_REPORTS_TO_REVIEW distinct clients or
    more: a moderator's decision is due."""
    reporters = (
        Report.objects.filter(posting=OuterRef("pk"), resolved_at__isnull=True)
        .order_by()
        .values("posting")
        .annotate(count=Count("client_hash", distinct=True))
        .values("count")
    )
    return postings.annotate(_reporters=Subquery(reporters)).filter(
        _reporters__gte=settings.JOBS_REPORTS_TO_REVIEW
    )


@transaction.atomic
def report_dismiss(*, posting: JobPosting, actor) -> int:
    """Dismiss the posting's open reports; a posting they hid comes back. Returns how many."""
    require_moderator(actor)
    posting_lock(posting)
    open_reports = Report.objects.filter(posting=posting, resolved_at__isnull=True)
    decided = list(open_reports.values_list("pk", flat=True))
    count = open_reports.update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=ReportResolution.DISMISSED
    )
    notices_decided(Report.objects.filter(pk__in=decided))
    if posting.hidden_at is not None:
        posting.hidden_at = None
        posting.save(update_fields=["hidden_at", "updated_at"])
        event_record(posting, EventAction.RESTORED, actor=actor, from_status=posting.status)
    return count
