"""The indexing ledger. Imported into jobs/models.py so that Django registers it with the jobs
app."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IndexingNotice(models.Model):
    """One version of a posting's page that search engines are to hear about: a posting that
    opened or changed (`removed` false), or closed, expired or went offline (`removed` true).

    A version is the page's state and the posting's last change, so the same URL with the
    same version is recorded, and sent, once (the unique constraint); each sender stamps the
    rows it has delivered.
    """

    url = models.CharField(_("URL"), max_length=500)
    version = models.CharField(_("version"), max_length=64)
    removed = models.BooleanField(_("removed"), default=False)
    # The posting's `updated_at` this version was read from: the collector's watermark.
    changed_at = models.DateTimeField(_("changed"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    indexnow_sent_at = models.DateTimeField(_("sent to IndexNow"), null=True, blank=True)
    google_sent_at = models.DateTimeField(_("sent to Google"), null=True, blank=True)

    class Meta:
        verbose_name = _("indexing notice")
        verbose_name_plural = _("indexing notices")
        constraints = [
            models.UniqueConstraint(fields=["url", "version"], name="indexing_url_version_unique")
        ]
        indexes = [
            models.Index(fields=["changed_at"], name="indexing_changed_idx"),
            models.Index(
                fields=["id"], name="indexing_indexnow_due_idx", condition=Q(indexnow_sent_at=None)
            ),
            models.Index(
                fields=["id"], name="indexing_google_due_idx", condition=Q(google_sent_at=None)
            ),
            models.Index(
                fields=["google_sent_at"],
                name="indexing_google_sent_idx",
                condition=Q(google_sent_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.url} ({self.version})"
