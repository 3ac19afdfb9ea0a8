"""Import sources, their runs, and which source each imported posting came from.

Imported into jobs/models.py so that Django registers them with the jobs app.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from companies.models import Company
from jobs.imports.reasons import reason_text
from locales.languages import Language


class ImportFormat(models.TextChoices):
    AUTO = "auto", _("Recognise automatically")
    JSONLD = "jsonld", _("schema.org JobPosting (JSON-LD)")
    GREENHOUSE = "greenhouse", _("Greenhouse")
    LEVER = "lever", _("Lever")
    ASHBY = "ashby", _("Ashby")
    WORKABLE = "workable", _("Workable")
    PERSONIO = "personio", _("Personio")
    RSS = "rss", _("RSS 2.0 / Atom")
    INDEED = "indeed", _("Indeed XML")


class ImportSource(models.Model):
    """A feed the board imports on a schedule, or when staff press "Run now"."""

    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_('Shown on its postings: "originally published on …".'),
    )
    format = models.CharField(
        _("format"), max_length=12, choices=ImportFormat, default=ImportFormat.AUTO
    )
    url = models.URLField(_("feed URL"), max_length=1000)
    default_company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_sources",
        verbose_name=_("default company"),
        help_text=_("The company of every posting; leave empty when the feed names them."),
    )
    default_language = models.CharField(
        _("default language"),
        max_length=5,
        choices=Language,
        blank=True,
        help_text=_("Used only when neither the feed nor the text tells the language."),
    )
    publish_directly = models.BooleanField(
        _("publish directly"),
        default=False,
        help_text=_("Otherwise new postings wait for a moderator."),
    )
    active = models.BooleanField(_("active"), default=True)
    expire_after_missed_runs = models.PositiveSmallIntegerField(
        _("expire after missed runs"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A posting missing from this many successful runs in a row expires; one that "
            "comes back is reopened."
        ),
    )
    schedule = models.ForeignKey(
        CrontabSchedule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("schedule"),
        help_text=_("When to run; leave empty to run only on demand."),
    )
    periodic_task = models.OneToOneField(
        PeriodicTask,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("import source")
        verbose_name_plural = _("import sources")

    def __str__(self) -> str:
        return self.name


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    # The feed broke off part way: what was read is stored, nothing is expired.
    PARTIAL = "partial", _("Partial")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


FINISHED = {RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED, RunStatus.SKIPPED}


class ProblemKind(models.TextChoices):
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")
    CLEANED = "cleaned", _("Cleaned")
    FLAGGED = "flagged", _("Flagged for review")


class ImportRun(models.Model):
    """One execution of an import, with what it did to each item and why."""

    # Problems kept per run; the counts stay exact beyond it.
    MAX_PROBLEMS = 1000

    source = models.ForeignKey(
        ImportSource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="runs",
        verbose_name=_("source"),
    )
    # What the run was asked to do, copied so a later edit of the source cannot change it.
    source_name = models.CharField(_("source name"), max_length=100)
    location = models.CharField(_("feed"), max_length=1000)
    format = models.CharField(_("format"), max_length=12, choices=ImportFormat)
    company = models.ForeignKey(
        Company,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default company"),
    )
    language = models.CharField(_("default language"), max_length=5, blank=True)
    publish = models.BooleanField(_("publish directly"), default=False)
    expire_after_missed_runs = models.PositiveSmallIntegerField(
        _("expire after missed runs"), default=3
    )

    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus, default=RunStatus.QUEUED
    )
    task_id = models.CharField(_("task id"), max_length=50, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    processed = models.PositiveIntegerField(_("items processed"), default=0)
    bytes_read = models.BigIntegerField(_("bytes read"), default=0)
    bytes_total = models.BigIntegerField(_("bytes in feed"), null=True, blank=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    merged = models.PositiveIntegerField(
        _("merged"), default=0, help_text=_("Postings another source had already brought.")
    )
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    expired = models.PositiveIntegerField(_("expired"), default=0)
    # [{"item": "#3 (id 123)", "kind": "skipped", "code": "missing_title", "params": {}}]
    problems = models.JSONField(_("problems"), default=list, blank=True)
    error_code = models.CharField(_("error"), max_length=40, blank=True)
    error_params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        indexes = [models.Index(fields=["source_name", "-created_at"], name="run_source_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RunStatus.values), name="run_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_name} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def error(self) -> str:
        return reason_text(self.error_code, self.error_params) if self.error_code else ""

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "failed": self.failed,
        }


class ImportChunk(models.Model):
    """A slice of a run's records waiting for, or done by, a worker: how a large run is shared.

    The run's task reads the feed and stores what needs normalising here, a chunk at a time;
    any worker may process a chunk, and does so in one transaction that also marks it done with
    its counts. So a chunk is stored once whatever the retries, and the run's counts are the
    sum of its chunks'. Internal bookkeeping, never shown: rows are deleted when the run ends.
    """

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    # [[12, "<hash>", [<the record's values>]]]: records as the parser gave them, as
    # JSON text. Not jsonb: nothing queries inside it, and PostgreSQL's parsing of 500 records
    # into jsonb and back cost more server time than any other statement of a chunk but the
    # postings' COPY. Emptied once the chunk is done.
    entries = models.TextField(blank=True)
    done = models.BooleanField(default=False)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list)
    # Records whose language changed since the last run, as ``entries``: whether each is the
    # same posting rewritten or a new version depends on the whole feed (is its old language
    # there too?), known only once every chunk is done (chunks.Feeder.settle).
    deferred = models.TextField(blank=True, default="")
    # Which worker is on it, until when: a claim, not a lock, so that nothing depends on the
    # database session (pgbouncer in transaction mode). A killed worker's claim runs out.
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="import_chunk_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.number}"


def last_seen_run_field() -> models.ForeignKey:
    """The run that last read a row's record. Rewritten by every run that reads it, so no
    index covers it (see PostingSource)."""
    return models.ForeignKey(
        ImportRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("last seen in run"),
    )


class PostingSource(models.Model):
    """A feed a posting was imported from. A job two sources list is one posting with two."""

    posting = models.ForeignKey(
        "jobs.JobPosting",
        on_delete=models.CASCADE,
        related_name="import_sources",
        verbose_name=_("posting"),
    )
    source_name = models.CharField(_("source"), max_length=100)
    # The feed's id for the posting, or its canonical URL when the feed has no ids.
    external_key = models.CharField(_("external id or URL"), max_length=500)
    # The posting's language: a feed that publishes one job per language (Personio's feeds
    # per language) gives each version the same id, and each is a posting of its own.
    language = models.CharField(_("language"), max_length=5, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64)
    # The record as the feed gave it (with the rules and run defaults that shape it), hashed:
    # a record seen unchanged is counted as such without normalising it again.
    record_hash = models.CharField(_("record hash"), max_length=64, blank=True)
    # Rewritten for every link a run sees, so no index may cover it: PostgreSQL then keeps
    # the new row version on its page without touching any index (a HOT update), the table
    # leaving room for it (fillfactor 50, migration 0014). Nothing looks links up by run
    # except deleting a run, an operator's rare action that scans the table once.
    last_seen_run = last_seen_run_field()
    missed_runs = models.PositiveSmallIntegerField(_("missed runs"), default=0)
    present = models.BooleanField(
        _("in the feed"),
        default=True,
        help_text=_("False once missing from the feed for the source's grace runs."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("posting source")
        verbose_name_plural = _("posting sources")
        constraints = [
            models.UniqueConstraint(
                fields=["source_name", "external_key", "language"],
                name="posting_source_unique_key",
            ),
        ]
        indexes = [
            models.Index(
                fields=["source_name", "record_hash"],
                name="posting_source_record_idx",
                condition=~models.Q(record_hash=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_name}: {self.external_key}"


class SkippedRecord(models.Model):
    """A record a run skipped for what it says itself (a language the site does not offer, no
    title), by the hash of the record as read. A later run reading it unchanged counts it as
    skipped again for the same reason without normalising it; a run that no longer reads it
    forgets it. Records that share their key with a stored posting are never taken from here:
    they are normalised, so that the posting's own fate is decided as before."""

    source_name = models.CharField(_("source"), max_length=100)
    record_hash = models.CharField(_("record hash"), max_length=64)
    external_key = models.CharField(_("external id or URL"), max_length=500, blank=True)
    code = models.CharField(_("reason"), max_length=50)
    params = models.JSONField(_("details"), default=dict, blank=True)
    last_seen_run = last_seen_run_field()

    class Meta:
        verbose_name = _("skipped record")
        verbose_name_plural = _("skipped records")
        constraints = [
            models.UniqueConstraint(
                fields=["source_name", "record_hash"], name="skipped_record_unique_hash"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_name}: {self.code}"


class ImportLease(models.Model):
    """Who runs a source now: one run of a source at a time, across every worker.

    A row, not an advisory lock, because a session-level lock does not survive pgbouncer in
    transaction mode. The holder renews it as it goes; a killed worker's lease runs out after
    ``IMPORT_LEASE_SECONDS``. Internal bookkeeping, never shown.
    """

    source_name = models.CharField(max_length=100, primary_key=True)
    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="+")
    owner = models.CharField(max_length=100)
    locked_until = models.DateTimeField()

    def __str__(self) -> str:
        return self.source_name
