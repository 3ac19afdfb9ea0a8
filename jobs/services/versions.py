"""Versions of what a person saw: a decision or a save applies to the version it was made on.

A version is a short hash of the content someone had in front of them (a review page, an
admin form), never a counter: every write changes it, bulk imports included, with nothing to
remember to bump. Forms carry it with a signed copy of the content itself (`base_sign`), so
that a refused save can show what the other person changed.

The checks run under the posting's (or company's) row lock, inside the service that writes.
"""

from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from config.versions import StaleVersion, base_read, base_sign, version_of
from jobs.content import posting_content
from jobs.models import EventAction, JobPosting, PostingEvent, Status
from jobs.services.postings import IllegalTransition

__all__ = ["StaleVersion", "base_read", "base_sign", "version_of"]

# The events that end a review: what a late moderator is told about.
DECISIONS = (
    EventAction.APPROVED,
    EventAction.REJECTED,
    EventAction.CHANGES_REQUESTED,
    EventAction.TAKEN_DOWN,
    EventAction.PUBLISHED,
    EventAction.WITHDRAWN,
)


def review_content(posting: JobPosting) -> dict[str, Any]:
    """What a moderator is asked to decide on: the posting's status, its live content and
    the edit awaiting review (if any). The review page's version is this one's hash."""
    from jobs.models import PostingRevision, RevisionState

    pending = (
        PostingRevision.objects.filter(posting=posting, state=RevisionState.PENDING)
        .values_list("data", flat=True)
        .first()
    )
    return {"status": posting.status, "live": posting_content(posting), "pending": pending}


def review_version(posting: JobPosting) -> str:
    return version_of(review_content(posting))


def awaits_review(posting: JobPosting) -> bool:
    from jobs.models import PostingRevision, RevisionState

    if posting.status == Status.PENDING:
        return True
    return (
        posting.status == Status.PUBLISHED
        and PostingRevision.objects.filter(posting=posting, state=RevisionState.PENDING).exists()
    )


def last_decision(posting: JobPosting) -> PostingEvent | None:
    return (
        PostingEvent.objects.filter(posting=posting, action__in=DECISIONS)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )


def decision_sentence(event: PostingEvent | None) -> str:
    """“Approved by alice@example.com on 6 Dec 2026, 03:10. Their words: “...””."""
    if event is None:
        return _("It is no longer awaiting review.")
    when = formats.date_format(timezone.localtime(event.created_at), "DATETIME_FORMAT")
    text = _("%(action)s by %(actor)s on %(when)s.") % {
        "action": event.get_action_display(),
        "actor": event.actor or _("the system"),
        "when": when,
    }
    if event.why:
        text += " " + _("Their words: “%(why)s”") % {"why": event.why}
    return text


class AlreadyDecided(IllegalTransition):
    """A colleague decided first; `event` says who, what and when."""

    def __init__(self, posting: JobPosting, event: PostingEvent | None):
        super().__init__(
            _("“%(title)s” was already decided: %(decision)s")
            % {"title": posting.title, "decision": decision_sentence(event)},
            code="already_decided",
        )
        self.event = event


def review_check(posting: JobPosting, version: str | None) -> None:
    """Under the posting's lock: refuse a decision when the review is over or when what is
    under review is not the version the moderator saw."""
    if not awaits_review(posting):
        event = last_decision(posting)
        if event is None:
            raise IllegalTransition(
                _("There is nothing to review: the posting is %(status)s.")
                % {"status": posting.get_status_display()},
                code="nothing_to_review",
            )
        raise AlreadyDecided(posting, event)
    if version is not None:
        current = review_content(posting)
        if version_of(current) != version:
            raise StaleVersion(
                _("This posting changed after you opened it. Review the new version below."),
                before=None,
                after=current,
            )


def posting_editable_content(posting_id: int, *, via_revision: bool) -> dict[str, Any]:
    """The content an edit form of this posting shows, read under the posting's row lock
    (held until the caller's transaction ends, so the save that follows sees the same): the
    edit awaiting review or sent back, for a recruiter editing a live posting, else the
    posting's own."""
    from jobs.models import PostingRevision, RevisionState

    posting = JobPosting.objects.select_for_update(of=("self",)).get(pk=posting_id)
    if via_revision and posting.status == Status.PUBLISHED:
        data = (
            PostingRevision.objects.filter(
                posting=posting,
                state__in=[RevisionState.PENDING, RevisionState.CHANGES_REQUESTED],
            )
            .values_list("data", flat=True)
            .first()
        )
        if data is not None:
            return data
    return posting_content(posting)
