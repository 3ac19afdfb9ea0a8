"""Every write to a posting, its revisions, its audit trail, its reports and job alerts goes
through here.

Transitions refuse illegal moves (TRANSITIONS is the one source of truth), check that the
actor may make them, record an event in the audit trail and, after commit, queue the email
the event calls for. `actor=None` means the system itself (a task, an import, a command).
"""

import email.policy
import logging
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.roles import may_access_company
from jobs.content import content_apply, content_differs, posting_content
from jobs.filters import describe_search
from jobs.models import (
    AlertFrequency,
    EventAction,
    JobAlert,
    JobPosting,
    ModerationReason,
    PostingEvent,
    PostingRevision,
    Report,
    ReportReason,
    ReportResolution,
    RevisionState,
    Status,
)
from jobs.rendering import render_description
from jobs.selectors import alert_new_postings, facets_invalidate
from jobs.tokens import Purpose, TokenExpired, alert_from_token, alert_token
from locales.formatting import format_count
from locales.languages import HTML_LANG, Language

logger = logging.getLogger(__name__)

# Moves a posting may make on its own life cycle; anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.PENDING, Status.PUBLISHED},
    Status.PENDING: {Status.PUBLISHED, Status.REJECTED, Status.DRAFT},
    Status.REJECTED: {Status.DRAFT, Status.PENDING},
    # -> rejected: taken down by a moderator.
    Status.PUBLISHED: {Status.EXPIRED, Status.ARCHIVED, Status.DRAFT, Status.REJECTED},
    # -> published: renewed.
    Status.EXPIRED: {Status.PUBLISHED, Status.ARCHIVED},
    Status.ARCHIVED: set(),
}

MODERATE = "jobs.moderate_jobposting"

# Events that someone must hear about by email (see jobs.notifications).
NOTIFIED_ACTIONS = frozenset(
    {
        EventAction.SUBMITTED,
        EventAction.EDIT_SUBMITTED,
        EventAction.APPROVED,
        EventAction.REJECTED,
        EventAction.CHANGES_REQUESTED,
        EventAction.TAKEN_DOWN,
        EventAction.EXPIRY_WARNING,
    }
)
OPEN_REVISION_STATES = (RevisionState.PENDING, RevisionState.CHANGES_REQUESTED)


class IllegalTransition(ValidationError):
    pass


# --- Helpers --------------------------------------------------------------------------------


def _check_transition(posting: JobPosting, target: str) -> None:
    if target not in TRANSITIONS[posting.status]:
        raise IllegalTransition(
            _("A posting cannot go from %(source)s to %(target)s.")
            % {"source": posting.get_status_display(), "target": Status(target).label},
            code="illegal_transition",
        )


def _transition(posting: JobPosting, target: str) -> None:
    _check_transition(posting, target)
    posting.status = target


def _require_moderator(actor) -> None:
    if actor is not None and not actor.has_perm(MODERATE):
        raise PermissionDenied(_("Only moderators may do this."))


def _require_company_access(actor, posting: JobPosting) -> None:
    if actor is not None and not may_access_company(actor, posting.company_id):
        raise PermissionDenied(_("You may only manage your own companies' postings."))


def _require_reason(reason: str) -> None:
    if reason not in ModerationReason.values:
        raise ValidationError(_("Choose a reason."), code="reason")


def _event(
    posting: JobPosting,
    action: str,
    *,
    actor=None,
    from_status: str = "",
    to_status: str | None = None,
    reason: str = "",
    message: str = "",
    revision: PostingRevision | None = None,
) -> PostingEvent:
    event = PostingEvent.objects.create(
        posting=posting,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status or posting.status,
        reason=reason,
        message=message,
        revision=revision,
    )
    if action in NOTIFIED_ACTIONS:
        from jobs.notifications import event_notify_after_commit

        event_notify_after_commit(event)
    # Whatever moved a posting may change the lists' counts: recount after the commit.
    transaction.on_commit(facets_invalidate)
    return event


def _open_revision(posting: JobPosting) -> PostingRevision | None:
    return (
        PostingRevision.objects.select_for_update()
        .filter(posting=posting, state__in=OPEN_REVISION_STATES)
        .first()
    )


def _pending_revision(posting: JobPosting) -> PostingRevision | None:
    revision = _open_revision(posting)
    return revision if revision and revision.state == RevisionState.PENDING else None


def _snapshot_approved(posting: JobPosting, actor) -> PostingRevision:
    return PostingRevision.objects.create(
        posting=posting,
        author=actor,
        data=posting_content(posting),
        state=RevisionState.APPROVED,
        decided_at=timezone.now(),
    )


def _default_expiry(start: datetime) -> datetime:
    return start + timedelta(days=settings.JOBS_DEFAULT_VALIDITY_DAYS)


def _lock(posting: JobPosting) -> JobPosting:
    """Re-read the posting's life-cycle fields under a row lock: two moderators clicking at
    once must not both approve."""
    locked = JobPosting.objects.select_for_update().get(pk=posting.pk)
    for name in ("status", "published_at", "expires_at", "submitted_at", "hidden_at"):
        setattr(posting, name, getattr(locked, name))
    return posting


# --- Writing postings -----------------------------------------------------------------------


def posting_derive(*, posting: JobPosting, description_html: str | None = None) -> JobPosting:
    """Set what is derived from a posting's text: its slug and its safe HTML.

    ``description_html`` skips the rendering when the caller (the importer) already did it
    with ``render_description``.
    """
    posting.slug = slugify(posting.title)[:220] or "job"
    posting.description_html = (
        render_description(posting.description, posting.description_format)
        if description_html is None
        else description_html
    )
    return posting


@transaction.atomic
def posting_save(*, posting: JobPosting) -> JobPosting:
    """Validate and store a posting, with the slug and safe HTML derived from its text."""
    posting_derive(posting=posting)
    # The database enforces the check constraints itself; asking it to evaluate each one
    # before saving would cost a query per constraint.
    posting.full_clean(validate_constraints=False)
    posting.save()
    transaction.on_commit(facets_invalidate)
    return posting


def posting_create(*, actor=None, **fields: Any) -> JobPosting:
    """Create a posting (a draft unless `status` says otherwise)."""
    return posting_create_from(posting=JobPosting(**fields), actor=actor)


@transaction.atomic
def posting_create_from(*, posting: JobPosting, actor=None) -> JobPosting:
    """Store a new posting built elsewhere (an admin form), recording its creation."""
    _require_company_access(actor, posting)
    if posting.status == Status.PUBLISHED and posting.published_at is None:
        posting.published_at = timezone.now()
    if posting.status == Status.PUBLISHED and posting.expires_at is None:
        posting.expires_at = _default_expiry(posting.published_at)
    if posting.status == Status.PENDING:
        posting.submitted_at = timezone.now()
    posting_save(posting=posting)
    _event(posting, EventAction.CREATED, actor=actor)
    return posting


def posting_update(*, posting: JobPosting, **fields: Any) -> JobPosting:
    for name, value in fields.items():
        setattr(posting, name, value)
    return posting_save(posting=posting)


@transaction.atomic
def posting_publish(
    *,
    posting: JobPosting,
    published_at: datetime | None = None,
    expires_at: datetime | None = None,
    actor=None,
) -> JobPosting:
    """Put a posting online directly: for staff and trusted imports, not for recruiters."""
    _require_moderator(actor)
    _lock(posting)
    source = posting.status
    _transition(posting, Status.PUBLISHED)
    posting.published_at = published_at or timezone.now()
    posting.expires_at = expires_at or _default_expiry(posting.published_at)
    posting.full_clean(validate_constraints=False)
    posting.save(update_fields=["status", "published_at", "expires_at", "updated_at"])
    _snapshot_approved(posting, actor)
    _event(posting, EventAction.PUBLISHED, actor=actor, from_status=source)
    return posting


# --- Recruiters: submit, edit, renew --------------------------------------------------------


@transaction.atomic
def posting_submit(*, posting: JobPosting, actor) -> JobPosting:
    """A draft (or a rejected posting, once fixed) goes to the moderators."""
    _require_company_access(actor, posting)
    _lock(posting)
    source = posting.status
    _transition(posting, Status.PENDING)
    posting.submitted_at = timezone.now()
    posting.save(update_fields=["status", "submitted_at", "updated_at"])
    _event(posting, EventAction.SUBMITTED, actor=actor, from_status=source)
    return posting


@transaction.atomic
def posting_edit_submit(*, posting: JobPosting, actor) -> PostingRevision | None:
    """Keep a recruiter's edit of a published posting for review; the live version stays.

    `posting` carries the edited content in memory; it is validated, stored as the posting's
    one open revision (replacing an earlier one) and never saved onto the posting itself.
    Returns None when the edit changes nothing.
    """
    _require_company_access(actor, posting)
    if posting.status != Status.PUBLISHED:
        raise IllegalTransition(
            _("Only a published posting keeps its live version while an edit is reviewed."),
            code="not_published",
        )
    posting.full_clean()
    content = posting_content(posting)
    live = JobPosting.objects.get(pk=posting.pk)
    revision = _open_revision(posting)
    if not content_differs(posting_content(live), content):
        if revision is not None:
            # Editing back to the live version withdraws the edit.
            revision.delete()
        return None
    if revision is None:
        revision = PostingRevision(posting=posting)
    revision.author = actor
    revision.data = content
    revision.state = RevisionState.PENDING
    revision.save()
    JobPosting.objects.filter(pk=posting.pk).update(submitted_at=timezone.now())
    _event(
        posting,
        EventAction.EDIT_SUBMITTED,
        actor=actor,
        from_status=Status.PUBLISHED,
        to_status=Status.PUBLISHED,
        revision=revision,
    )
    return revision


@transaction.atomic
def posting_renew(*, posting: JobPosting, actor, days: int | None = None) -> JobPosting:
    """Push the expiry date back by the validity period (from today if already past); an
    expired posting comes back online."""
    _require_company_access(actor, posting)
    _lock(posting)
    source = posting.status
    if source == Status.EXPIRED:
        _transition(posting, Status.PUBLISHED)
    elif source != Status.PUBLISHED:
        raise IllegalTransition(
            _("Only published or expired postings can be renewed."), code="not_renewable"
        )
    now = timezone.now()
    start = max(now, posting.expires_at or now)
    posting.expires_at = start + timedelta(days=days or settings.JOBS_DEFAULT_VALIDITY_DAYS)
    posting.save(update_fields=["status", "expires_at", "updated_at"])
    _event(posting, EventAction.RENEWED, actor=actor, from_status=source)
    return posting


# --- Moderators: approve, reject, request changes, take down --------------------------------


@transaction.atomic
def posting_approve(
    *, posting: JobPosting, actor, expires_at: datetime | None = None
) -> JobPosting:
    """Publish a pending posting, or apply the pending edit of a published one."""
    _require_moderator(actor)
    _lock(posting)
    source = posting.status
    if source == Status.PENDING:
        _transition(posting, Status.PUBLISHED)
        posting.published_at = timezone.now()
        # The recruiter may have chosen an expiry date; one already past gets the default.
        chosen = expires_at or posting.expires_at
        posting.expires_at = (
            chosen
            if chosen and chosen > posting.published_at
            else _default_expiry(posting.published_at)
        )
        posting.full_clean()
        posting.save(update_fields=["status", "published_at", "expires_at", "updated_at"])
        revision = _snapshot_approved(posting, actor)
        PostingRevision.objects.filter(posting=posting, state__in=OPEN_REVISION_STATES).update(
            state=RevisionState.REJECTED, decided_at=timezone.now()
        )
    else:
        revision = _pending_revision(posting) if source == Status.PUBLISHED else None
        if revision is None:
            raise IllegalTransition(
                _("There is nothing to approve: the posting is %(status)s.")
                % {"status": posting.get_status_display()},
                code="nothing_to_approve",
            )
        posting.refresh_from_db()
        content_apply(posting, revision.data)
        posting_save(posting=posting)
        revision.state = RevisionState.APPROVED
        revision.decided_at = timezone.now()
        revision.save(update_fields=["state", "decided_at"])
    _event(posting, EventAction.APPROVED, actor=actor, from_status=source, revision=revision)
    return posting


def _decide_pending(
    posting: JobPosting,
    *,
    actor,
    target: str,
    revision_state: str,
    action: str,
    reason: str,
    message: str,
) -> JobPosting:
    _require_moderator(actor)
    _lock(posting)
    source = posting.status
    revision = None
    if source == Status.PENDING:
        _transition(posting, target)
        posting.save(update_fields=["status", "updated_at"])
    else:
        revision = _pending_revision(posting) if source == Status.PUBLISHED else None
        if revision is None:
            raise IllegalTransition(
                _("There is nothing to review: the posting is %(status)s.")
                % {"status": posting.get_status_display()},
                code="nothing_to_review",
            )
        revision.state = revision_state
        revision.decided_at = timezone.now()
        revision.save(update_fields=["state", "decided_at"])
    _event(
        posting,
        action,
        actor=actor,
        from_status=source,
        reason=reason,
        message=message,
        revision=revision,
    )
    return posting


@transaction.atomic
def posting_reject(*, posting: JobPosting, actor, reason: str, message: str = "") -> JobPosting:
    """Refuse a pending posting (or a pending edit, leaving the live version as it is)."""
    _require_reason(reason)
    return _decide_pending(
        posting,
        actor=actor,
        target=Status.REJECTED,
        revision_state=RevisionState.REJECTED,
        action=EventAction.REJECTED,
        reason=reason,
        message=message.strip(),
    )


@transaction.atomic
def posting_request_changes(
    *, posting: JobPosting, actor, message: str, reason: str = ""
) -> JobPosting:
    """Send a pending posting back to its recruiters as a draft, saying what to change."""
    if not message.strip():
        raise ValidationError(_("Say what needs to change."), code="message")
    if reason:
        _require_reason(reason)
    return _decide_pending(
        posting,
        actor=actor,
        target=Status.DRAFT,
        revision_state=RevisionState.CHANGES_REQUESTED,
        action=EventAction.CHANGES_REQUESTED,
        reason=reason,
        message=message.strip(),
    )


@transaction.atomic
def posting_take_down(*, posting: JobPosting, actor, reason: str, message: str = "") -> JobPosting:
    """Remove a published posting from the site, resolving its open reports."""
    _require_moderator(actor)
    _require_reason(reason)
    _lock(posting)
    source = posting.status
    _transition(posting, Status.REJECTED)
    posting.hidden_at = None
    posting.save(update_fields=["status", "hidden_at", "updated_at"])
    now = timezone.now()
    PostingRevision.objects.filter(posting=posting, state__in=OPEN_REVISION_STATES).update(
        state=RevisionState.REJECTED, decided_at=now
    )
    Report.objects.filter(posting=posting, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor, resolution=ReportResolution.TAKEN_DOWN
    )
    _event(
        posting,
        EventAction.TAKEN_DOWN,
        actor=actor,
        from_status=source,
        reason=reason,
        message=message.strip(),
    )
    return posting


# --- Expiry ---------------------------------------------------------------------------------


def _bulk_move(queryset, *, target: str, action: str, **changes: Any) -> int:
    with transaction.atomic():
        rows = list(queryset.select_for_update(skip_locked=True).values_list("pk", "status"))
        if not rows:
            return 0
        for source in {status for _pk, status in rows}:
            if target not in TRANSITIONS[source]:  # a coding error, not a user's
                raise IllegalTransition(f"{source} -> {target}")
        ids = [pk for pk, _status in rows]
        JobPosting.objects.filter(pk__in=ids).update(
            status=target, updated_at=timezone.now(), **changes
        )
        PostingEvent.objects.bulk_create(
            PostingEvent(posting_id=pk, action=action, from_status=status, to_status=target)
            for pk, status in rows
        )
        transaction.on_commit(facets_invalidate)
    return len(rows)


def postings_expire_due(*, now: datetime | None = None) -> int:
    """Expire every published posting whose expiry date has passed; return how many.

    Candidates already stop seeing such postings at their expiry instant
    (JobPostingQuerySet.open); this makes the status say so and records it.
    """
    return _bulk_move(
        JobPosting.objects.filter(status=Status.PUBLISHED, expires_at__lte=now or timezone.now()),
        target=Status.EXPIRED,
        action=EventAction.EXPIRED,
    )


def postings_archive_stale(*, now: datetime | None = None) -> int:
    """Archive postings that have been expired for JOBS_ARCHIVE_AFTER_DAYS; return how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.JOBS_ARCHIVE_AFTER_DAYS)
    return _bulk_move(
        JobPosting.objects.filter(status=Status.EXPIRED, expires_at__lte=cutoff),
        target=Status.ARCHIVED,
        action=EventAction.ARCHIVED,
    )


@transaction.atomic
def postings_remind_expiring(*, now: datetime | None = None) -> int:
    """Tell the recruiters of each posting expiring within JOBS_EXPIRY_REMINDER_DAYS, once
    per expiry date (a renewal starts a new one); return how many postings."""
    now = now or timezone.now()
    window = timedelta(days=settings.JOBS_EXPIRY_REMINDER_DAYS)
    already_reminded = PostingEvent.objects.filter(
        posting=OuterRef("pk"),
        action=EventAction.EXPIRY_WARNING,
        created_at__gte=OuterRef("expires_at") - window,
    )
    due = (
        JobPosting.objects.filter(
            status=Status.PUBLISHED, expires_at__gt=now, expires_at__lte=now + window
        )
        .filter(~Exists(already_reminded))
        .select_for_update(skip_locked=True, of=("self",))
    )
    count = 0
    for posting in due:
        _event(posting, EventAction.EXPIRY_WARNING, from_status=posting.status)
        count += 1
    return count


# --- Reports --------------------------------------------------------------------------------


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
    _lock(posting)
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
            _event(posting, EventAction.HIDDEN, from_status=posting.status)
    return report


@transaction.atomic
def report_dismiss(*, posting: JobPosting, actor) -> int:
    """Dismiss the posting's open reports; a posting they hid comes back. Returns how many."""
    _require_moderator(actor)
    _lock(posting)
    count = Report.objects.filter(posting=posting, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=ReportResolution.DISMISSED
    )
    if posting.hidden_at is not None:
        posting.hidden_at = None
        posting.save(update_fields=["hidden_at", "updated_at"])
        _event(posting, EventAction.RESTORED, actor=actor, from_status=posting.status)
    return count


# --- Job alerts -----------------------------------------------------------------------------

DIGEST_PERIODS = {
    AlertFrequency.DAILY: timedelta(days=1),
    AlertFrequency.WEEKLY: timedelta(days=7),
}
# Beat's runs drift by minutes; an alert sent yesterday at 06:15:03 is due today at 06:15:00.
DIGEST_SLACK = timedelta(hours=1)


def alert_confirm_max_age() -> timedelta:
    return timedelta(days=settings.JOBS_ALERT_CONFIRM_DAYS)


def email_hash(email: str) -> str:
    """What finds an address's alerts without searching by the address itself."""
    return salted_hmac("jobs.alert.email", email.strip().lower(), algorithm="sha256").hexdigest()


def alert_subscribe(
    *, email: str, language: str, parameters: dict[str, str], frequency: str
) -> JobAlert:
    """Ask for an alert on a search; a confirmation email follows, unless the address is
    already subscribed to this very search (the caller says the same in both cases)."""
    email = email.strip()
    validate_email(email)
    if language not in Language.values or frequency not in AlertFrequency.values:
        raise ValidationError(_("Unknown language or frequency."))
    digest = email_hash(email)
    with transaction.atomic():
        alert = (
            JobAlert.objects.select_for_update()
            .filter(email_hash=digest, language=language, parameters=parameters)
            .first()
        )
        if alert is not None and alert.confirmed_at is not None:
            return alert
        alert = alert or JobAlert(email_hash=digest, language=language, parameters=parameters)
        alert.email = email
        alert.frequency = frequency
        alert.created_at = timezone.now()
        try:
            with transaction.atomic():
                alert.save()
        except IntegrityError:  # the same request twice at once: the other one won
            return JobAlert.objects.get(
                email_hash=digest, language=language, parameters=parameters
            )
        transaction.on_commit(lambda: _enqueue_confirmation(alert.pk))
    return alert


def _enqueue_confirmation(alert_id: int) -> None:
    from jobs.tasks import send_alert_confirmation

    send_alert_confirmation.delay(alert_id)


def alert_confirmation_send(*, alert_id: int) -> bool:
    """Email the link that confirms the alert; False when there is nothing to confirm."""
    alert = JobAlert.objects.filter(pk=alert_id, confirmed_at__isnull=True).first()
    if alert is None:
        return False
    with translation.override(alert.language):
        context = _alert_context(alert)
        context["confirm_url"] = _site_url(
            reverse("jobs:alert_confirm", kwargs={"token": alert_token(alert, Purpose.CONFIRM)})
        )
        context["confirm_days"] = settings.JOBS_ALERT_CONFIRM_DAYS
        _send(alert, _("Confirm your job alert"), "alert_confirm", context)
    return True


def alert_confirm(*, token: str) -> JobAlert:
    """Confirm the alert a confirmation link names; confirming twice is harmless.

    Raises TokenInvalid for a forged link and TokenExpired for an old one.
    """
    alert = alert_from_token(token, Purpose.CONFIRM, max_age=alert_confirm_max_age())
    if alert.confirmed_at is None:
        now = timezone.now()
        # Only what is published from now on: the candidate has just seen the rest.
        JobAlert.objects.filter(pk=alert.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, sent_through=now
        )
        alert.refresh_from_db()
    return alert


def alert_unsubscribe(*, token: str) -> bool:
    """Delete the alert an unsubscribe link names. False when it was already gone.

    Raises TokenInvalid for a forged link.
    """
    try:
        alert = alert_from_token(token, Purpose.UNSUBSCRIBE)
    except TokenExpired:
        return False
    deleted, _rows = JobAlert.objects.filter(pk=alert.pk).delete()
    return bool(deleted)


def alerts_purge_unconfirmed(*, now: datetime | None = None) -> int:
    """Forget the alerts nobody confirmed while their link worked; return how many."""
    cutoff = (now or timezone.now()) - alert_confirm_max_age()
    deleted, _rows = JobAlert.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted


def alerts_send_digests(*, frequency: str, now: datetime | None = None) -> int:
    """Send each due alert of this frequency its new matching postings; return how many
    emails went out. An alert whose email fails is left as it was for the next run."""
    now = now or timezone.now()
    due = now - DIGEST_PERIODS[frequency] + DIGEST_SLACK
    alert_ids = list(
        JobAlert.objects.filter(frequency=frequency, confirmed_at__isnull=False)
        .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=due))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for alert_id in alert_ids:
        try:
            sent += alert_digest_send(alert_id=alert_id, due=due, now=now)
        except Exception:
            logger.exception("Job alert %s: digest not sent", alert_id)
    return sent


def alert_digest_send(*, alert_id: int, due: datetime, now: datetime) -> bool:
    """Email one alert its new postings, once: the row stays locked until the email is sent
    and the alert moved past what it carried, so a concurrent run skips it."""
    with transaction.atomic():
        alert = (
            JobAlert.objects.select_for_update(skip_locked=True)
            .filter(pk=alert_id, confirmed_at__isnull=False)
            .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=due))
            .first()
        )
        if alert is None:
            return False
        postings = alert_new_postings(alert=alert)
        newest = postings.aggregate(newest=Max("published_at"))["newest"]
        if newest is None:
            return False
        with translation.override(alert.language):
            listed = list(postings[: settings.JOBS_ALERT_DIGEST_SIZE])
            total = (
                postings.count() if len(listed) == settings.JOBS_ALERT_DIGEST_SIZE else len(listed)
            )
            context = _alert_context(alert)
            context.update(
                postings=listed,
                total=total,
                more=total - len(listed),
                search_url=_site_url(_search_path(alert)),
            )
            subject = ngettext(
                "%(count)s new job for your search", "%(count)s new jobs for your search", total
            ) % {"count": format_count(total)}
            _send(alert, subject, "alert_digest", context)
        alert.last_sent_at = now
        alert.sent_through = newest
        alert.save(update_fields=["last_sent_at", "sent_through"])
    return True


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _search_path(alert: JobAlert) -> str:
    path = reverse("jobs:job_list")
    return f"{path}?{urlencode(alert.parameters)}" if alert.parameters else path


def _alert_context(alert: JobAlert) -> dict[str, Any]:
    """What every alert email shows; call with the alert's language active."""
    return {
        "alert": alert,
        "html_lang": HTML_LANG[alert.language],
        "search": describe_search(alert.parameters, alert.language),
        "site_url": settings.SITE_URL,
        "unsubscribe_url": _site_url(
            reverse(
                "jobs:alert_unsubscribe",
                kwargs={"token": alert_token(alert, Purpose.UNSUBSCRIBE)},
            )
        ),
    }


class AlertEmail(EmailMultiAlternatives):
    """Python folds a long header without spaces into RFC 2047 encoded words, which mail
    clients do not decode in List-Unsubscribe; RFC 5322 allows lines of 998 characters."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def _send(alert: JobAlert, subject: str, template: str, context: dict[str, Any]) -> None:
    unsubscribe = context["unsubscribe_url"]
    message = AlertEmail(
        subject=subject,
        body=render_to_string(f"jobs/email/{template}.txt", context),
        to=[alert.email],
        headers={
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string(f"jobs/email/{template}.html", context), "text/html"
    )
    message.send()
