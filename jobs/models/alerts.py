"""Job alerts: candidates' standing searches."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.choices import (
    AlertFrequency,
)
from locales.languages import Language


class JobAlert(models.Model):
    """A candidate's standing search, emailed as a digest of new postings; no account.

    The address is only ever used to send to: pages and URLs name an alert by a signed
    token, and lookups go through `email_hash`.
    """

    email = models.EmailField(_("email address"), max_length=254)
    email_hash = models.CharField(_("email hash"), max_length=64, editable=False)
    language = models.CharField(_("language"), max_length=5, choices=Language)
    # The list's GET parameters as JobFilter validated them: {"q": "python", "country": "BR"}.
    parameters = models.JSONField(_("search"), default=dict, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=6, choices=AlertFrequency, default=AlertFrequency.DAILY
    )
    # When the candidate asked (again) for the alert, which is when they consented to what
    # `consent_text` says (in their language, under that version of the privacy notice);
    # unconfirmed ones expire from here. `confirmed_at` is the double opt-in's proof.
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    consent_text = models.TextField(_("consent given"), blank=True)
    consent_version = models.CharField(_("privacy notice version"), max_length=20, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    # The publication time of the newest posting a digest has carried (at first, the
    # confirmation time): the next digest only looks at postings published after it.
    sent_through = models.DateTimeField(_("sent through"), null=True, blank=True)

    class Meta:
        verbose_name = _("job alert")
        verbose_name_plural = _("job alerts")
        indexes = [
            models.Index(
                fields=["frequency", "last_sent_at"],
                name="alert_confirmed_due_idx",
                condition=Q(confirmed_at__isnull=False),
            ),
            models.Index(
                fields=["created_at"],
                name="alert_unconfirmed_idx",
                condition=Q(confirmed_at__isnull=True),
            ),
        ]
        constraints = [
            # One alert per address, language and search: asking twice changes nothing.
            models.UniqueConstraint(
                fields=["email_hash", "language", "parameters"], name="alert_unique_search"
            ),
            models.CheckConstraint(
                condition=Q(language__in=Language.values), name="alert_language_valid"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=AlertFrequency.values), name="alert_frequency_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} alert #{self.pk} ({self.language})"
