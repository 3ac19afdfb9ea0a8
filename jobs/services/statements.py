"""Statements of reasons (DSA Art. 17): every posting a moderator refuses or takes down gets
one, stored with its decision and emailed to the company's recruiters in their languages.
It replaces the old "not approved" and "taken down" emails."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jobs.choices import ILLEGAL_REASONS
from jobs.models import (
    DetectionSource,
    EventAction,
    PostingEvent,
    StatementDecision,
    StatementGround,
    StatementOfReasons,
    Status,
)
from jobs.notifications import absolute, recruiters_email_send
from jobs.outbox import OutboxMessage, outbox_add

# Art. 20(1): a complaint may be filed for at least six months after the decision.
COMPLAINT_WINDOW = timedelta(days=183)

SUBJECT = _("Statement of reasons: %(title)s")


def _decision(event: PostingEvent) -> str:
    if event.action == EventAction.TAKEN_DOWN:
        return StatementDecision.TAKE_DOWN
    if event.revision_id is not None and event.from_status == Status.PUBLISHED:
        return StatementDecision.EDIT_REFUSED
    return StatementDecision.REMOVAL


def statement_issue(*, event: PostingEvent, notices: int = 0) -> StatementOfReasons:
    """Store the statement of the decision `event` records, in its transaction, and write its
    email to the outbox. `notices`: how many users' notices the decision answers."""
    posting = event.posting
    automated = bool(posting.needs_review)
    if notices:
        detection = DetectionSource.NOTICE
    elif automated:
        detection = DetectionSource.AUTOMATED
    else:
        detection = DetectionSource.OWN_INITIATIVE
    statement = StatementOfReasons.objects.create(
        event=event,
        posting=posting,
        decision=_decision(event),
        ground=(
            StatementGround.ILLEGAL if event.reason in ILLEGAL_REASONS else StatementGround.TERMS
        ),
        reason=event.reason,
        facts=event.message,
        detection=detection,
        automated_detection=automated,
        # A moderator decides every case: nothing here is decided by a machine.
        automated_decision=False,
        notices=notices,
    )
    outbox_add(OutboxMessage.STATEMENT, statement.pk)
    return statement


def complaint_add_url(statement: StatementOfReasons) -> str:
    return absolute(reverse("admin:jobs_complaint_add") + f"?statement={statement.pk}")


def statement_send(*, statement_id: int) -> int:
    """Email the statement to each of the company's recruiters in their language."""
    statement = StatementOfReasons.objects.select_related("posting__company", "event").get(
        pk=statement_id
    )
    posting = statement.posting
    return recruiters_email_send(
        posting=posting,
        subject=SUBJECT,
        template="jobs/email/statement_of_reasons.txt",
        context={
            "statement": statement,
            "statement_url": absolute(
                reverse("admin:jobs_statementofreasons_change", args=[statement.pk])
            ),
            "complaint_url": complaint_add_url(statement),
            "complaint_until": statement.created_at + COMPLAINT_WINDOW,
        },
    )
