"""Versions of what a person saw: a decision or a save applies to the version it was made on.

A version is a short hash of the content someone had in front of them (a review page, an
admin form), never a counter: every write changes it, bulk imports included, with nothing to
remember to bump. Forms carry it with a signed copy of the content itself (`base_sign`), so
that a refused save can show what the other person changed.

The checks run under the posting's (or company's) row lock, inside the service that writes.
"""

import hashlib
import json
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from jobs.content import posting_content
from jobs.models import EventAction, JobPosting, PostingEvent, Status
from jobs.services.postings import IllegalTransition

_SALT = "jobs.versions.base"

# The events that end a review: what a late moderator is told about.
DECISIONS = (
    EventAction.APPROVED,
    EventAction.REJECTED,
    EventAction.CHANGES_REQUESTED,
    EventAction.TAKEN_DOWN,
    EventAction.PUBLISHED,
    EventAction.WITHDRAWN,
)


def version_of(data: Any) -> str:
    """A short, stable hash of JSON-able data."""
    text = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def base_sign(data: dict[str, Any]) -> str:
    """The content a form was rendered with, signed: it travels with the form unaltered."""
    return signing.dumps(data, salt=_SALT, compress=True)


def base_read(token: str) -> dict[str, Any] | None:
    """The content a form was rendered with, or None for a missing or forged token."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


class StaleVersion(ValidationError):
    """The row changed after the person opened it. `before` is what they saw, `after` what
    is there now: the other person's change is the difference."""

    def __init__(self, message: str, *, before: dict | None, after: dict, code="stale"):
        super().__init__(message, code=code)
        self.before = before or {}
        self.after = after


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
