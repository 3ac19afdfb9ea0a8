"""The posting life cycle: create, save, publish, submit, edit, renew, expire and archive.

Every change of a posting's status goes through here or through `jobs.services.moderation`,
which builds on this module. TRANSITIONS is the one source of truth for the moves a posting
may make; each move checks that the actor may make it, records an event in the audit trail
(`event_record`) and, after commit, queues the email the event calls for. `actor=None` means
the system itself (a task, an import, a command).
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from companies.roles import may_access_company
from jobs.caching import invalidate
from jobs.content import content_differs, normalise_newlines, posting_content
from jobs.models import (
    EventAction,
    JobPosting,
    PostingEvent,
    PostingRevision,
    RevisionState,
    Status,
)
from jobs.rendering import render_description

# Moves a posting may make on its own life cycle; anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.PENDING, Status.PUBLISHED},
    Status.PENDING: {Status.PUBLISHED, Status.REJECTED, Status.DRAFT},
    # -> published: reinstated after an upheld complaint (jobs.services.complaints).
    Status.REJECTED: {Status.DRAFT, Status.PENDING, Status.PUBLISHED},
    # -> rejected: taken down by a moderator.
    Status.PUBLISHED: {Status.EXPIRED, Status.ARCHIVED, Status.DRAFT, Status.REJECTED},
    # -> published: renewed.
    Status.EXPIRED: {Status.PUBLISHED, Status.ARCHIVED},
    Status.ARCHIVED: set(),
}

MODERATE = "jobs.moderate_jobposting"

# Events that someone must hear about by email (see jobs.notifications). A rejection or a
# take-down is told by its statement of reasons instead (jobs.services.statements).
NOTIFIED_ACTIONS = frozenset(
    {
        EventAction.SUBMITTED,
        EventAction.EDIT_SUBMITTED,
        EventAction.APPROVED,
        EventAction.CHANGES_REQUESTED,
        EventAction.EXPIRY_WARNING,
        EventAction.REPORTED,
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


def posting_transition(posting: JobPosting, target: str) -> None:
    _check_transition(posting, target)
    posting.status = target


def require_moderator(actor) -> None:
    if actor is not None and not actor.has_perm(MODERATE):
        raise PermissionDenied(_("Only moderators may do this."))


def require_apply_route(posting: JobPosting) -> None:
    """Moderators review only what candidates can apply to."""
    if not (posting.apply_url or posting.apply_email):
        raise ValidationError(
            _("Give an application URL or email address: candidates need a way to apply."),
            code="no_apply_route",
        )


def require_company_access(actor, posting: JobPosting) -> None:
    if actor is not None and not may_access_company(actor, posting.company_id):
        raise PermissionDenied(_("You may only manage your own companies' postings."))


def event_record(
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
        # Its email, written to the outbox in this very transaction (jobs.outbox).
        from jobs.outbox import OutboxMessage, outbox_add

        outbox_add(OutboxMessage.EVENT, event.pk)
    # Whatever moved a posting may change any page a candidate sees: retire them after the
    # commit, counts included.
    transaction.on_commit(invalidate)
    return event


def revision_open(posting: JobPosting) -> PostingRevision | None:
    return (
        PostingRevision.objects.select_for_update()
        .filter(posting=posting, state__in=OPEN_REVISION_STATES)
        .first()
    )


def revision_pending(posting: JobPosting) -> PostingRevision | None:
    revision = revision_open(posting)
    return revision if revision and revision.state == RevisionState.PENDING else None


def revision_snapshot_approved(posting: JobPosting, actor) -> PostingRevision:
    return PostingRevision.objects.create(
        posting=posting,
        author=actor,
        data=posting_content(posting),
        state=RevisionState.APPROVED,
        decided_at=timezone.now(),
    )


def default_expiry(start: datetime) -> datetime:
    return start + timedelta(days=settings.JOBS_DEFAULT_VALIDITY_DAYS)


def policy_expiry(published_at: datetime, chosen: datetime | None = None) -> datetime:
    """The expiry of a posting published at `published_at`: JOBS_DEFAULT_VALIDITY_DAYS later,
    or an earlier date chosen by a moderator; never beyond the policy, never in the past."""
    limit = default_expiry(published_at)
    if chosen is None or chosen <= max(published_at, timezone.now()):
        return limit
    return min(chosen, limit)


LIFE_CYCLE_FIELDS = ("status", "published_at", "expires_at", "submitted_at", "hidden_at")


def posting_lock(posting: JobPosting, *, full: bool = False) -> JobPosting:
    """Re-read the posting's life-cycle fields under a row lock: two moderators clicking at
    once must not both approve. `full` re-reads its content too (a decision is checked
    against the content as it is now, not as the caller read it)."""
    locked = JobPosting.objects.select_for_update(of=("self",)).get(pk=posting.pk)
    names = (
        [f.attname for f in JobPosting._meta.concrete_fields if not f.generated]
        if full
        else LIFE_CYCLE_FIELDS
    )
    for name in names:
        setattr(posting, name, getattr(locked, name))
    return posting


# --- Writing postings -----------------------------------------------------------------------


def posting_derive(*, posting: JobPosting, description_html: str | None = None) -> JobPosting:
    """Set what is derived from a posting's text: its slug and its safe HTML.

    ``description_html`` skips the rendering when the caller (the importer) already did it
    with ``render_description``.
    """
    posting.description = normalise_newlines(posting.description or "")
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
    transaction.on_commit(invalidate)
    return posting


def posting_create(*, actor=None, **fields: Any) -> JobPosting:
    """Create a posting (a draft unless `status` says otherwise)."""
    return posting_create_from(posting=JobPosting(**fields), actor=actor)


class AlreadyCreated(Exception):
    """The add form's token was used already: `posting` is what that first send created."""

    def __init__(self, posting: JobPosting):
        super().__init__(posting.pk)
        self.posting = posting


@transaction.atomic
def posting_create_from(*, posting: JobPosting, actor=None, token=None) -> JobPosting:
    """Store a new posting built elsewhere (an admin form), recording its creation.

    `token` is the add form's one-time token: a second send of the same form (a double
    click, a replayed POST) raises AlreadyCreated with the posting the first one created.
    Two sends at once are ordered by the token's unique index: the second waits for the
    first to commit (or, arriving after it, fails validation), then finds its posting."""
    require_company_access(actor, posting)
    if token is not None:
        first = JobPosting.objects.filter(creation_token=token).first()
        if first is not None:
            raise AlreadyCreated(first)
        posting.creation_token = token
        try:
            with transaction.atomic():
                return posting_insert(posting, actor)
        except (IntegrityError, ValidationError):
            # The token's unique index refuses the second send, or validation's uniqueness
            # check does when the first committed just before it.
            first = JobPosting.objects.filter(creation_token=token).first()
            if first is None:
                raise
            raise AlreadyCreated(first) from None
    return posting_insert(posting, actor)


def posting_insert(posting: JobPosting, actor) -> JobPosting:
    """Store a posting not yet in the database and record its creation (no checks)."""
    if posting.status == Status.PUBLISHED and posting.published_at is None:
        posting.published_at = timezone.now()
    if posting.status == Status.PUBLISHED:
        posting.expires_at = policy_expiry(posting.published_at, posting.expires_at)
    if posting.status == Status.PENDING:
        posting.submitted_at = timezone.now()
    posting_save(posting=posting)
    event_record(posting, EventAction.CREATED, actor=actor)
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
    require_moderator(actor)
    posting_lock(posting)
    source = posting.status
    posting_transition(posting, Status.PUBLISHED)
    posting.published_at = published_at or timezone.now()
    posting.expires_at = policy_expiry(posting.published_at, expires_at)
    posting.full_clean(validate_constraints=False)
    posting.save(update_fields=["status", "published_at", "expires_at", "updated_at"])
    revision_snapshot_approved(posting, actor)
    event_record(posting, EventAction.PUBLISHED, actor=actor, from_status=source)
    return posting


# --- Recruiters: submit, edit, renew --------------------------------------------------------


@transaction.atomic
def posting_submit(*, posting: JobPosting, actor) -> JobPosting:
    """A draft (or a rejected posting, once fixed) goes to the moderators."""
    require_company_access(actor, posting)
    posting_lock(posting)
    require_apply_route(posting)
    source = posting.status
    posting_transition(posting, Status.PENDING)
    posting.submitted_at = timezone.now()
    posting.save(update_fields=["status", "submitted_at", "updated_at"])
    event_record(posting, EventAction.SUBMITTED, actor=actor, from_status=source)
    return posting


@transaction.atomic
def posting_edit_submit(*, posting: JobPosting, actor) -> PostingRevision | None:
    """Keep a recruiter's edit of a published posting for review; the live version stays.

    `posting` carries the edited content in memory; it is validated, stored as the posting's
    one open revision (replacing an earlier one) and never saved onto the posting itself.
    Returns None when the edit changes nothing.
    """
    require_company_access(actor, posting)
    if posting.status != Status.PUBLISHED:
        raise IllegalTransition(
            _("Only a published posting keeps its live version while an edit is reviewed."),
            code="not_published",
        )
    posting.full_clean()
    require_apply_route(posting)
    content = posting_content(posting)
    live = JobPosting.objects.get(pk=posting.pk)
    revision = revision_open(posting)
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
    event_record(
        posting,
        EventAction.EDIT_SUBMITTED,
        actor=actor,
        from_status=Status.PUBLISHED,
        to_status=Status.PUBLISHED,
        revision=revision,
    )
    return revision


def renewable_from(posting: JobPosting) -> datetime | None:
    """When the posting may be renewed: JOBS_EXPIRY_REMINDER_DAYS before it expires (None
    when it cannot be renewed at all)."""
    if posting.status not in (Status.PUBLISHED, Status.EXPIRED) or posting.filled_at:
        return None
    if posting.expires_at is None:
        return timezone.now()
    return posting.expires_at - timedelta(days=settings.JOBS_EXPIRY_REMINDER_DAYS)


def renewed_expiry(posting: JobPosting, now: datetime | None = None) -> datetime:
    """The expiry a renewal sets: a full validity period from today, never earlier than the
    one the posting already has (a renewal never shortens, nor adds up)."""
    now = now or timezone.now()
    return max(posting.expires_at or now, default_expiry(now))


@transaction.atomic
def posting_renew(
    *, posting: JobPosting, actor, expected_expiry: datetime | None = None
) -> JobPosting:
    """Keep a posting online for the validity period from today; an expired posting comes
    back online. Offered only near expiry (`renewable_from`), so a renewal POSTed twice
    renews once; `expected_expiry` is the expiry the renewing page showed, and a renewal
    over another one made meanwhile is refused with the date it now has."""
    require_company_access(actor, posting)
    posting_lock(posting)
    source = posting.status
    if source not in (Status.PUBLISHED, Status.EXPIRED) or posting.filled_at is not None:
        raise IllegalTransition(
            _("Only published or expired postings can be renewed."), code="not_renewable"
        )
    if expected_expiry is not None and posting.expires_at != expected_expiry:
        raise IllegalTransition(
            _("“%(title)s” was already renewed: it stays online until %(date)s.")
            % {"title": posting.title, "date": date_display(posting.expires_at)},
            code="already_renewed",
        )
    start = renewable_from(posting)
    now = timezone.now()
    if start > now:
        raise IllegalTransition(
            _("“%(title)s” stays online until %(date)s; it can be renewed from %(start)s.")
            % {
                "title": posting.title,
                "date": date_display(posting.expires_at),
                "start": date_display(start),
            },
            code="not_due",
        )
    if source == Status.EXPIRED:
        posting_transition(posting, Status.PUBLISHED)
    posting.expires_at = renewed_expiry(posting, now)
    posting.save(update_fields=["status", "expires_at", "updated_at"])
    event_record(posting, EventAction.RENEWED, actor=actor, from_status=source)
    return posting


def date_display(moment: datetime | None) -> str:
    """A date in the active language's format, for messages."""
    if moment is None:
        return "—"
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


# --- Expiry and bulk moves ----------------------------------------------------------------


def postings_bulk_move(
    queryset, *, target: str, action: str, message: str = "", **changes: Any
) -> int:
    """Move every posting of the queryset to ``target`` (skipping rows another transaction
    holds), with one event each, written together; ``message`` says what moved them (an
    import: its source). Returns how many moved."""
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
        _events_write([(pk, action, status, target) for pk, status in rows], message=message)
        transaction.on_commit(invalidate)
    return len(rows)


def _events_write(rows: list[tuple[int, str, str, str]], *, message: str = "") -> None:
    """An event for each (posting id, action, from status, to status), in one statement
    however many there are: no model instance is built per event, where an import writes
    thousands at a time."""
    if not rows:
        return
    ids, actions, sources, targets = (list(column) for column in zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO jobs_postingevent "
            "(posting_id, action, from_status, to_status, reason, message, created_at) "
            "SELECT posting, action, source, target, '', %s, %s "
            "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) "
            "AS event(posting, action, source, target)",
            [message, timezone.now(), ids, actions, sources, targets],
        )


def posting_language_changed(*, posting: JobPosting, previous: str, message: str = "") -> None:
    """Record that ``posting``, saved in its new language already, was written in
    ``previous`` until its source rewrote it: the same posting (its address, the candidates'
    saved links and its history stay), now listed in the other language's version."""
    event_record(
        posting,
        EventAction.LANGUAGE_CHANGED,
        from_status=posting.status,
        message=f"{message} ({previous} → {posting.language})",
    )


@transaction.atomic
def posting_language_hold(
    *, posting: JobPosting, code: str, params: dict[str, Any], text: str, message: str = ""
) -> bool:
    """Flag a stored posting whose source now reads as another language for a moderator,
    for the reason ``code`` (a code of jobs.imports.reasons, shown as ``text``), leaving its
    language and status alone: a posting listed stays listed as it was until a moderator
    decides. False when it is held for that very reason already (the same run delivered
    twice writes one event)."""
    locked = JobPosting.objects.select_for_update(of=("self",)).get(pk=posting.pk)
    reason = [code, params]
    if locked.needs_review and reason in locked.review_reasons:
        return False
    reasons = [*locked.review_reasons, reason]
    review_text = " ".join(filter(None, [locked.review_reason, text]))[:300]
    JobPosting.objects.filter(pk=posting.pk).update(
        needs_review=True, review_reason=review_text, review_reasons=reasons
    )
    posting.needs_review, posting.review_reason = True, review_text
    posting.review_reasons = reasons
    event_record(
        posting, EventAction.LANGUAGE_HELD, from_status=locked.status, message=message or text
    )
    return True


def postings_created_record(postings: list[JobPosting], *, message: str = "") -> None:
    """The events of postings created in bulk by the system (an import writes them through
    COPY): "published" for those that went live at once, "created" for the others."""
    published, created = EventAction.PUBLISHED, EventAction.CREATED
    _events_write(
        [
            (posting.pk, published if posting.status == Status.PUBLISHED else created, "",
             posting.status)
            for posting in postings
            if posting.pk is not None
        ],
        message=message,
    )  # fmt: skip
    transaction.on_commit(invalidate)


def postings_expire_due(*, now: datetime | None = None) -> int:
    """Expire every published posting whose expiry date has passed; return how many.

    Candidates already stop seeing such postings at their expiry instant
    (JobPostingQuerySet.open); this makes the status say so and records it.
    """
    return postings_bulk_move(
        JobPosting.objects.filter(status=Status.PUBLISHED, expires_at__lte=now or timezone.now()),
        target=Status.EXPIRED,
        action=EventAction.EXPIRED,
    )


def postings_archive_stale(*, now: datetime | None = None) -> int:
    """Archive postings that have been expired for JOBS_ARCHIVE_AFTER_DAYS; return how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.JOBS_ARCHIVE_AFTER_DAYS)
    return postings_bulk_move(
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
        event_record(posting, EventAction.EXPIRY_WARNING, from_status=posting.status)
        count += 1
    return count
