"""Candidates' reports (notices) about a posting."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobs.choices import (
    ReportReason,
    ReportResolution,
)
from jobs.models.posting import JobPosting
from locales.languages import Language


class Report(models.Model):
    """A notice about a posting (DSA Art. 16). The client is kept only as a keyed hash; the
    notifier's name and address only until JOBS_REPORT_RETENTION_DAYS after the decision."""

    posting = models.ForeignKey(
        JobPosting, on_delete=models.CASCADE, related_name="reports", verbose_name=_("posting")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason)
    message = models.TextField(_("explanation"), blank=True)
    # Checked by the notice form (any http(s) address naming a host: this site's own host
    # may be one a URL validator refuses, such as an intranet name).
    url = models.CharField(_("exact URL"), max_length=500, blank=True)
    notifier_name = models.CharField(_("notifier's name"), max_length=200, blank=True)
    notifier_email = models.EmailField(_("notifier's email"), blank=True)
    # The notifier's address as a keyed hash (jobs.services.alerts.email_hash): how "my
    # data" finds their notices.
    notifier_email_hash = models.CharField(max_length=64, blank=True, editable=False)
    good_faith = models.BooleanField(_("good-faith statement"), default=False)
    # The page's language when the notice was sent: its receipt and decision are in it.
    language = models.CharField(_("language"), max_length=5, choices=Language, blank=True)
    client_hash = models.CharField(_("client fingerprint"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.CharField(
        _("resolution"), max_length=20, choices=ReportResolution, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(
                fields=["posting", "client_hash"],
                name="report_open_by_posting_idx",
                condition=Q(resolved_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=ReportReason.values), name="report_reason_valid"
            ),
            models.CheckConstraint(
                condition=(Q(resolved_at__isnull=True) & Q(resolution=""))
                | (Q(resolved_at__isnull=False) & Q(resolution__in=ReportResolution.values)),
                name="report_resolution_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.posting}: {self.get_reason_display()}"
