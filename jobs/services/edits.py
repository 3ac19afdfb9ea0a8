"""Changes to a posting beside its review: a moderator's direct edit (which rebases the
recruiters' pending edit), a submission withdrawn, a job closed as filled, a posting
duplicated into a new draft. Built on the life cycle (`jobs.services.postings`).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.content import CONTENT_FIELDS, content_apply, posting_content
from jobs.models import (
    EventAction,
    JobPosting,
    PostingRevision,
    RevisionState,
    Status,
)
from jobs.services.postings import (
    OPEN_REVISION_STATES,
    IllegalTransition,
    event_record,
    posting_insert,
    posting_lock,
    posting_save,
    posting_transition,
    require_company_access,
    require_moderator,
    revision_open,
)


@transaction.atomic
def posting_withdraw(*, posting: JobPosting, actor, message: str = "") -> JobPosting:
    """Take a submitted posting back out of review: it is a draft again, with an event."""
    require_company_access(actor, posting)
    posting_lock(posting)
    if posting.status != Status.PENDING:
        raise IllegalTransition(
            _("Only a posting awaiting review can be withdrawn from it."), code="not_pending"
        )
    posting_transition(posting, Status.DRAFT)
    posting.save(update_fields=["status", "updated_at"])
    event_record(
        posting, EventAction.WITHDRAWN, actor=actor, from_status=Status.PENDING, message=message
    )
    return posting


@transaction.atomic
def posting_moderator_edit(*, posting: JobPosting, actor) -> PostingRevision | None:
    """Save a moderator's direct edit of a posting, recording what changed.

    A live posting's edit awaiting review (or sent back) is rebased on the new live version:
    the fields the moderator changed and the recruiter did not take the moderator's values,
    so approving the edit later never undoes the moderator's. Where both changed the same
    field the edit is sent back to its recruiters, who are told why. Returns that edit.
    """
    require_moderator(actor)
    before = posting_content(JobPosting.objects.select_for_update(of=("self",)).get(pk=posting.pk))
    posting_save(posting=posting)
    after = posting_content(posting)
    changed = [name for name in CONTENT_FIELDS if before.get(name) != after.get(name)]
    if not changed:
        return None
    labels = ", ".join(str(JobPosting._meta.get_field(name).verbose_name) for name in changed)
    revision = revision_open(posting) if posting.status == Status.PUBLISHED else None
    if revision is not None:
        clashes = [
            name
            for name in changed
            if revision.data.get(name) not in (before.get(name), after.get(name))
        ]
        for name in changed:
            if name not in clashes:
                revision.data[name] = after[name]
        if clashes:
            revision.state = RevisionState.CHANGES_REQUESTED
        revision.save(update_fields=["data", "state"])
        if clashes:
            event_record(
                posting,
                EventAction.CHANGES_REQUESTED,
                actor=actor,
                from_status=posting.status,
                revision=revision,
                message=_(
                    "A moderator changed the live posting's %(fields)s, which your edit "
                    "changes too. Check your edit against the live version and submit it again."
                )
                % {
                    "fields": ", ".join(
                        str(JobPosting._meta.get_field(name).verbose_name) for name in clashes
                    )
                },
            )
    event_record(
        posting,
        EventAction.EDITED,
        actor=actor,
        from_status=posting.status,
        revision=revision,
        message=_("Changed: %(fields)s.") % {"fields": labels},
    )
    return revision


@transaction.atomic
def posting_close_filled(*, posting: JobPosting, actor) -> JobPosting:
    """The job is filled: the posting leaves the lists, feeds and sitemap at once, and its
    page answers 410 saying so. It is never renewed again (a new posting is: duplicate it)."""
    require_company_access(actor, posting)
    posting_lock(posting)
    if posting.status != Status.PUBLISHED or posting.filled_at is not None:
        raise IllegalTransition(
            _("Only a published posting can be closed as filled."), code="not_open"
        )
    now = timezone.now()
    posting_transition(posting, Status.EXPIRED)
    posting.filled_at = now
    posting.expires_at = max(now, posting.published_at + timedelta(seconds=1))
    posting.save(update_fields=["status", "filled_at", "expires_at", "updated_at"])
    PostingRevision.objects.filter(posting=posting, state__in=OPEN_REVISION_STATES).update(
        state=RevisionState.REJECTED, decided_at=now
    )
    event_record(posting, EventAction.FILLED, actor=actor, from_status=Status.PUBLISHED)
    return posting


@transaction.atomic
def posting_duplicate(*, posting: JobPosting, actor) -> JobPosting:
    """A new draft with the posting's content (its pending edit's, where a recruiter has
    one), for the same company: a filled job posted again, a similar one."""
    require_company_access(actor, posting)
    revision = revision_open(posting) if posting.status == Status.PUBLISHED else None
    copy = JobPosting(company_id=posting.company_id)
    content_apply(copy, revision.data if revision else posting_content(posting))
    copy.status = Status.DRAFT
    posting_insert(copy, actor)
    copy.events.filter(action=EventAction.CREATED).update(
        message=_("Duplicated from posting #%(id)s.") % {"id": posting.pk}
    )
    return copy
