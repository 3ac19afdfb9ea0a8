"""The Digital Services Act's records: the statement of reasons a recruiter gets for each
restriction of their posting (Art. 17) and their complaints against it (Art. 20)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobs.choices import (
    ComplaintState,
    DetectionSource,
    ModerationReason,
    StatementDecision,
    StatementGround,
)
from jobs.models.history import PostingEvent
from jobs.models.posting import JobPosting


class StatementOfReasons(models.Model):
    """Why a moderator removed, refused or took down a posting: stored once per decision
    (its event) and emailed to the company's recruiters, each in their language. The facts
    and grounds are stored as codes and the moderator's own words; the email renders them."""

    event = models.OneToOneField(
        PostingEvent,
        on_delete=models.PROTECT,
        related_name="statement",
        verbose_name=_("decision"),
    )
    posting = models.ForeignKey(
        JobPosting,
        on_delete=models.CASCADE,
        related_name="statements",
        verbose_name=_("posting"),
    )
    decision = models.CharField(_("restriction"), max_length=20, choices=StatementDecision)
    ground = models.CharField(_("ground"), max_length=10, choices=StatementGround)
    reason = models.CharField(_("reason"), max_length=20, choices=ModerationReason)
    facts = models.TextField(_("facts"), blank=True)
    detection = models.CharField(_("detected through"), max_length=20, choices=DetectionSource)
    # Art. 17(3)(c): whether automated means detected the content or took the decision.
    automated_detection = models.BooleanField(_("detected by automated means"), default=False)
    automated_decision = models.BooleanField(_("decided by automated means"), default=False)
    notices = models.PositiveIntegerField(_("notices"), default=0)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("statement of reasons")
        verbose_name_plural = _("statements of reasons")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=StatementDecision.values), name="statement_decision_valid"
            ),
            models.CheckConstraint(
                condition=Q(ground__in=StatementGround.values), name="statement_ground_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.posting}: {self.get_decision_display()}"


class Complaint(models.Model):
    """A recruiter's complaint against a decision (Art. 20), decided by a moderator."""

    statement = models.ForeignKey(
        StatementOfReasons,
        on_delete=models.CASCADE,
        related_name="complaints",
        verbose_name=_("decision contested"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    text = models.TextField(_("why the decision is wrong"))
    language = models.CharField(_("language"), max_length=5, blank=True)
    created_at = models.DateTimeField(_("filed"), auto_now_add=True, db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ComplaintState, default=ComplaintState.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reply = models.TextField(_("reasons of the decision"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            # One open complaint per decision: the same complaint sent twice is one.
            models.UniqueConstraint(
                fields=["statement"],
                condition=Q(state="open"),
                name="complaint_one_open_per_statement",
            ),
            models.CheckConstraint(
                condition=(Q(state="open") & Q(decided_at__isnull=True))
                | (Q(state__in=["upheld", "rejected"]) & Q(decided_at__isnull=False)),
                name="complaint_decision_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement}: {self.get_state_display()}"
