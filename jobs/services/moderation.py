"""Moderators' decisions on a posting: approve, reject, request changes, take down.

Built on the life cycle (`jobs.services.postings`): each decision locks the posting, makes a
legal move and records its event.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.content import content_apply, posting_content
from jobs.models import (
    EventAction,
    JobPosting,
    ModerationReason,
    PostingRevision,
    Report,
    ReportResolution,
    RevisionState,
    Status,
)
from jobs.services.notices import notices_decided
from jobs.services.postings import (
    OPEN_REVISION_STATES,
    IllegalTransition,
    event_record,
    policy_expiry,
    posting_lock,
    posting_save,
    posting_transition,
    require_moderator,
    revision_pending,
    revision_snapshot_approved,
)
from jobs.services.statements import statement_issue
from jobs.services.versions import review_check


def _require_reason(reason: str) -> None:
    if reason not in ModerationReason.values:
        raise ValidationError(_("Choose a reason."), code="reason")


def _pending_edit(posting: JobPosting, source: str, nothing: str, *, code: str):
    """The pending edit of a published posting, which a decision applies or refuses; else
    IllegalTransition with `nothing` (a message with the posting's %(status)s)."""
    revision = revision_pending(posting) if source == Status.PUBLISHED else None
    if revision is None:
        raise IllegalTransition(nothing % {"status": posting.get_status_display()}, code=code)
    return revision


@transaction.atomic
def posting_approve(
    *, posting: JobPosting, actor, expires_at: datetime | None = None, version: str | None = None
) -> JobPosting:
    """Publish a pending posting, or apply the pending edit of a published one.

    `version` is the review page's (`review_version`): a posting that changed since, or that
    a colleague decided on first, is refused (StaleVersion, AlreadyDecided)."""
    require_moderator(actor)
    posting_lock(posting, full=True)
    review_check(posting, version)
    source = posting.status
    if source == Status.PENDING:
        posting_transition(posting, Status.PUBLISHED)
        posting.published_at = timezone.now()
        # Expiry is policy: JOBS_DEFAULT_VALIDITY_DAYS from publication, or an earlier date
        # a moderator set; never later, and never one already past.
        posting.expires_at = policy_expiry(posting.published_at, expires_at or posting.expires_at)
        posting.full_clean()
        posting.save(update_fields=["status", "published_at", "expires_at", "updated_at"])
        revision = revision_snapshot_approved(posting, actor)
        PostingRevision.objects.filter(posting=posting, state__in=OPEN_REVISION_STATES).update(
            state=RevisionState.REJECTED, decided_at=timezone.now()
        )
    else:
        nothing = _("There is nothing to approve: the posting is %(status)s.")
        revision = _pending_edit(posting, source, nothing, code="nothing_to_approve")
        posting.refresh_from_db()
        content_apply(posting, revision.data)
        posting_save(posting=posting)
        revision.state = RevisionState.APPROVED
        revision.decided_at = timezone.now()
        revision.save(update_fields=["state", "decided_at"])
    event_record(posting, EventAction.APPROVED, actor=actor, from_status=source, revision=revision)
    return posting


# A decision on a pending posting: the posting's new status, and its pending edit's state.
_PENDING_DECISIONS = {
    EventAction.REJECTED: (Status.REJECTED, RevisionState.REJECTED),
    EventAction.CHANGES_REQUESTED: (Status.DRAFT, RevisionState.CHANGES_REQUESTED),
}


def _decide_pending(
    action: str, posting: JobPosting, actor, reason: str, message: str, version: str | None
) -> JobPosting:
    target, revision_state = _PENDING_DECISIONS[action]
    require_moderator(actor)
    posting_lock(posting, full=True)
    review_check(posting, version)
    source = posting.status
    revision = None
    if source == Status.PENDING:
        posting_transition(posting, target)
        posting.save(update_fields=["status", "updated_at"])
        if revision_state == RevisionState.CHANGES_REQUESTED:
            # What was sent back, kept: the resubmission's review shows what changed since.
            revision = PostingRevision.objects.update_or_create(
                posting=posting,
                state=RevisionState.CHANGES_REQUESTED,
                defaults={
                    "data": posting_content(posting),
                    "author": actor,
                    "decided_at": timezone.now(),
                },
            )[0]
    else:
        nothing = _("There is nothing to review: the posting is %(status)s.")
        revision = _pending_edit(posting, source, nothing, code="nothing_to_review")
        revision.state = revision_state
        revision.decided_at = timezone.now()
        revision.save(update_fields=["state", "decided_at"])
    event = event_record(
        posting,
        action,
        actor=actor,
        from_status=source,
        reason=reason,
        message=message,
        revision=revision,
    )
    if action == EventAction.REJECTED:
        statement_issue(event=event)
    return posting


@transaction.atomic
def posting_reject(
    *, posting: JobPosting, actor, reason: str, message: str = "", version: str | None = None
) -> JobPosting:
    """Refuse a pending posting (or a pending edit, leaving the live version as it is)."""
    _require_reason(reason)
    return _decide_pending(EventAction.REJECTED, posting, actor, reason, message.strip(), version)


@transaction.atomic
def posting_request_changes(
    *, posting: JobPosting, actor, message: str, reason: str = "", version: str | None = None
) -> JobPosting:
    """Send a pending posting back to its recruiters as a draft, saying what to change."""
    if not message.strip():
        raise ValidationError(_("Say what needs to change."), code="message")
    if reason:
        _require_reason(reason)
    action = EventAction.CHANGES_REQUESTED
    return _decide_pending(action, posting, actor, reason, message.strip(), version)


@transaction.atomic
def posting_take_down(*, posting: JobPosting, actor, reason: str, message: str = "") -> JobPosting:
    """Remove a published posting from the site, resolving its open reports."""
    require_moderator(actor)
    _require_reason(reason)
    posting_lock(posting)
    source = posting.status
    posting_transition(posting, Status.REJECTED)
    posting.hidden_at = None
    posting.save(update_fields=["status", "hidden_at", "updated_at"])
    now = timezone.now()
    PostingRevision.objects.filter(posting=posting, state__in=OPEN_REVISION_STATES).update(
        state=RevisionState.REJECTED, decided_at=now
    )
    open_reports = Report.objects.filter(posting=posting, resolved_at__isnull=True)
    decided = list(open_reports.values_list("pk", flat=True))
    open_reports.update(resolved_at=now, resolved_by=actor, resolution=ReportResolution.TAKEN_DOWN)
    notices_decided(Report.objects.filter(pk__in=decided))
    event = event_record(
        posting,
        EventAction.TAKEN_DOWN,
        actor=actor,
        from_status=source,
        reason=reason,
        message=message.strip(),
    )
    statement_issue(event=event, notices=len(decided))
    return posting
