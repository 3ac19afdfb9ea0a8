"""Recruiters' complaints against a moderator's decision (DSA Art. 20), inside admin.

A recruiter of the posting's company files one against a statement of reasons within
COMPLAINT_WINDOW; another moderator than the one who decided (unless there is no other)
upholds it, which reverses the decision and records its event, or rejects it with reasons.
The recruiters hear the outcome, and so do the notifiers whose notices led to a take-down
that is reversed."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.roles import may_access_company
from jobs.content import content_apply
from jobs.models import (
    Complaint,
    ComplaintState,
    EventAction,
    Report,
    ReportResolution,
    RevisionState,
    StatementDecision,
    StatementOfReasons,
    Status,
)
from jobs.notifications import (
    absolute,
    moderators,
    posting_email_send,
    recruiters_email_send,
)
from jobs.outbox import OutboxMessage, outbox_add
from jobs.services.notices import notices_decided
from jobs.services.postings import (
    event_record,
    policy_expiry,
    posting_lock,
    posting_save,
    posting_transition,
    require_moderator,
    revision_open,
    revision_snapshot_approved,
)
from jobs.services.statements import COMPLAINT_WINDOW

FILED_SUBJECT = gettext_lazy("Complaint to decide: %(title)s")
DECIDED_SUBJECT = gettext_lazy("Decision on your complaint: %(title)s")


class AlreadyDecided(ValidationError):
    pass


@transaction.atomic
def complaint_file(
    *, statement: StatementOfReasons, actor, text: str, language: str = ""
) -> Complaint:
    """File a recruiter's complaint. The same complaint sent twice, or by two colleagues at
    once, is one: the second is refused while the first awaits its decision."""
    statement = (
        StatementOfReasons.objects.select_for_update()
        .select_related("posting")
        .get(pk=statement.pk)
    )
    if not may_access_company(actor, statement.posting.company_id):
        raise PermissionDenied(_("You may only manage your own companies' postings."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Say why the decision is wrong."), code="text")
    if timezone.now() > statement.created_at + COMPLAINT_WINDOW:
        raise ValidationError(
            _("The time to contest this decision has passed."), code="complaint_too_late"
        )
    if statement.complaints.filter(state=ComplaintState.OPEN).exists():
        raise ValidationError(
            _("A complaint about this decision is already awaiting a decision."),
            code="complaint_open",
        )
    complaint = Complaint(statement=statement, filed_by=actor, text=text, language=language)
    complaint.full_clean(exclude=["statement"], validate_constraints=False)
    complaint.save()
    outbox_add(OutboxMessage.COMPLAINT_FILED, complaint.pk)
    return complaint


def _other_moderator_exists(actor) -> bool:
    return moderators().exclude(pk=actor.pk).exists()


@transaction.atomic
def complaint_decide(*, complaint: Complaint, actor, upheld: bool, reply: str) -> Complaint:
    """Decide a complaint: upheld reverses the decision (with its event), rejected keeps it.
    Either way the reasons are stored and sent. A complaint decided already is refused."""
    require_moderator(actor)
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("statement__event", "statement__posting")
        .get(pk=complaint.pk)
    )
    if complaint.state != ComplaintState.OPEN:
        raise AlreadyDecided(
            _("This complaint was decided already: %(state)s.")
            % {"state": complaint.get_state_display()},
            code="already_decided",
        )
    reply = reply.strip()
    if not reply:
        raise ValidationError(_("Give the reasons of your decision."), code="reply")
    statement = complaint.statement
    if statement.event.actor_id == actor.pk and _other_moderator_exists(actor):
        raise PermissionDenied(
            _("Another moderator decides complaints about your own decisions."),
        )
    if upheld:
        _reverse(statement, actor=actor, reply=reply)
    complaint.state = ComplaintState.UPHELD if upheld else ComplaintState.REJECTED
    complaint.decided_by = actor
    complaint.decided_at = timezone.now()
    complaint.reply = reply
    complaint.save(update_fields=["state", "decided_by", "decided_at", "reply"])
    outbox_add(OutboxMessage.COMPLAINT_DECIDED, complaint.pk)
    if upheld and statement.decision == StatementDecision.TAKE_DOWN:
        # The notifiers of a take-down hear that it was reversed.
        notices_decided(_take_down_notices(statement))
    return complaint


def _take_down_notices(statement: StatementOfReasons):
    return Report.objects.filter(
        posting=statement.posting_id,
        resolution=ReportResolution.TAKEN_DOWN,
        resolved_at__lte=statement.event.created_at,
    )


def _moved_on(posting) -> ValidationError:
    return ValidationError(
        _(
            "The posting has changed since the decision (it is now %(status)s): "
            "decide on it in the review queue, then reject this complaint."
        )
        % {"status": posting.get_status_display()},
        code="moved_on",
    )


def _reverse(statement: StatementOfReasons, *, actor, reply: str) -> None:
    posting = statement.posting
    posting_lock(posting, full=True)
    now = timezone.now()
    if statement.decision == StatementDecision.EDIT_REFUSED:
        revision = statement.event.revision
        if (
            posting.status != Status.PUBLISHED
            or revision is None
            or revision.state != RevisionState.REJECTED
            or revision_open(posting) is not None
        ):
            raise _moved_on(posting)
        content_apply(posting, revision.data)
        posting_save(posting=posting)
        revision.state = RevisionState.APPROVED
        revision.decided_at = now
        revision.save(update_fields=["state", "decided_at"])
    else:
        if posting.status != Status.REJECTED:
            raise _moved_on(posting)
        revision = None
        posting_transition(posting, Status.PUBLISHED)
        if posting.published_at is None or posting.expires_at is None or posting.expires_at <= now:
            posting.published_at = now
            posting.expires_at = policy_expiry(now)
        posting.save(update_fields=["status", "published_at", "expires_at", "updated_at"])
        if statement.decision == StatementDecision.REMOVAL:
            revision = revision_snapshot_approved(posting, actor)
    event_record(
        posting,
        EventAction.REINSTATED,
        actor=actor,
        from_status=Status.PUBLISHED
        if statement.decision == StatementDecision.EDIT_REFUSED
        else Status.REJECTED,
        message=reply,
        revision=revision,
    )


# --- Emails -----------------------------------------------------------------------------------


def _complaint(complaint_id: int) -> Complaint:
    return Complaint.objects.select_related("statement__posting", "filed_by").get(pk=complaint_id)


def complaint_filed_send(*, complaint_id: int) -> int:
    """Tell the moderators a complaint waits for them."""
    complaint = _complaint(complaint_id)
    posting = complaint.statement.posting
    url = absolute(reverse("admin:jobs_complaint_change", args=[complaint.pk]))
    return posting_email_send(
        recipients=moderators().select_related("profile").order_by("pk"),
        posting=posting,
        subject=FILED_SUBJECT,
        template="jobs/email/complaint_filed.txt",
        context={"complaint": complaint, "complaint_url": url},
    )


def complaint_decided_send(*, complaint_id: int) -> int:
    """Tell the company's recruiters the outcome and its reasons, each in their language."""
    complaint = _complaint(complaint_id)
    posting = complaint.statement.posting
    return recruiters_email_send(
        posting=posting,
        subject=DECIDED_SUBJECT,
        template="jobs/email/complaint_decided.txt",
        context={"complaint": complaint, "upheld": complaint.state == ComplaintState.UPHELD},
    )
