"""A posting's history: the revisions recruiters submit and the audit trail of events."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobs.choices import (
    EventAction,
    ModerationReason,
    RevisionState,
    Status,
)
from jobs.models.posting import JobPosting


class PostingRevision(models.Model):
    """A version of a posting's content: a pending edit, or a version moderators approved.

    A recruiter's edit of a published posting waits here while the live version stays
    online; approval applies it. Approved revisions are the history the review diff starts
    from ("what changed since the last approved version").
    """

    posting = models.ForeignKey(
        JobPosting, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("posting")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    # {field name: value as JSON} for every field of jobs.content.CONTENT_FIELDS.
    data = models.JSONField(_("content"))
    state = models.CharField(_("state"), max_length=20, choices=RevisionState)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("posting revision")
        verbose_name_plural = _("posting revisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=RevisionState.values), name="revision_state_valid"
            ),
            # One open edit per posting: a new edit replaces the one awaiting review.
            models.UniqueConstraint(
                fields=["posting"],
                condition=Q(state__in=["pending", "changes_requested"]),
                name="revision_one_open_per_posting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.posting} ({self.get_state_display()})"


class PostingEvent(models.Model):
    """The audit trail: who moved a posting from which status to which, when and why."""

    posting = models.ForeignKey(
        JobPosting, on_delete=models.CASCADE, related_name="events", verbose_name=_("posting")
    )
    revision = models.ForeignKey(
        PostingRevision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("revision"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=20, choices=EventAction)
    from_status = models.CharField(_("from"), max_length=10, choices=Status, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Status)
    reason = models.CharField(_("reason"), max_length=20, choices=ModerationReason, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("posting event")
        verbose_name_plural = _("posting events")
        indexes = [models.Index(fields=["posting", "action"], name="event_posting_action_idx")]

    def __str__(self) -> str:
        return f"{self.posting}: {self.get_action_display()}"

    @property
    def why(self) -> str:
        parts = [str(self.get_reason_display()) if self.reason else "", self.message]
        return " – ".join(part for part in parts if part)
