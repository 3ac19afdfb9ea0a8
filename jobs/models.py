from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from jobs.choices import (
    AlertFrequency,
    DescriptionFormat,
    EmploymentType,
    EventAction,
    ModerationReason,
    Provision,
    ReportReason,
    ReportResolution,
    RevisionState,
    SalaryPeriod,
    Seniority,
    Status,
    Workplace,
)
from jobs.querysets import JobPostingQuerySet, ListedCountryQuerySet
from jobs.validators import validate_language_requirements
from locales.countries import validate_country_code
from locales.languages import SEARCH_CONFIGS, Language
from locales.models import Region
from locales.money import validate_currency_code


def _weighted_vector(config: str) -> SearchVector:
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("location", weight="B", config=config)
        + SearchVector("description_html", weight="C", config=config)
    )


class JobPosting(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, allow_unicode=False)
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="postings", verbose_name=_("company")
    )

    # The description exactly as written or received, and the safe HTML rendered from it
    # (jobs.rendering); pages only ever show the latter.
    description = models.TextField(_("description"))
    description_format = models.CharField(
        _("description format"),
        max_length=10,
        choices=DescriptionFormat,
        default=DescriptionFormat.MARKDOWN,
    )
    description_html = models.TextField(_("rendered description"), blank=True, editable=False)
    language = models.CharField(_("language"), max_length=5, choices=Language)

    # Where: every country a candidate may work from (a region's countries included), the
    # place as the posting words it, and the region for "Latin America (Remote)".
    countries = ArrayField(
        models.CharField(max_length=2, validators=[validate_country_code]),
        verbose_name=_("countries"),
        default=list,
        blank=True,
        help_text=_("ISO 3166-1 alpha-2 codes."),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
        verbose_name=_("region"),
    )
    workplace = models.CharField(_("workplace"), max_length=10, choices=Workplace)
    # Blank when the source states a type the site has no name for (commission only, "other")
    # or none at all: a type is never guessed.
    employment_type = models.CharField(
        _("employment type"),
        max_length=12,
        choices=EmploymentType,
        default=EmploymentType.FULL_TIME,
        blank=True,
    )
    seniority = models.CharField(_("seniority"), max_length=10, choices=Seniority, blank=True)
    # Decimal: "1.5 años" asks a year and a half, not one year or fifteen.
    experience_years_min = models.DecimalField(
        _("minimum years of experience"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # [{"language": "en", "level": "C1"}, ...]: CEFR levels where the posting names one.
    language_requirements = models.JSONField(
        _("language requirements"),
        default=list,
        blank=True,
        validators=[validate_language_requirements],
    )
    # Eligibility: whether the employer sponsors a work visa and helps with relocation.
    visa_sponsorship = models.CharField(
        _("visa sponsorship"), max_length=3, choices=Provision, blank=True, default=""
    )
    relocation_support = models.CharField(
        _("relocation support"), max_length=3, choices=Provision, blank=True, default=""
    )

    salary_min = models.DecimalField(
        _("minimum salary"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    salary_max = models.DecimalField(
        _("maximum salary"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    salary_currency = models.CharField(
        _("salary currency"),
        max_length=3,
        blank=True,
        validators=[validate_currency_code],
        help_text=_("ISO 4217 code."),
    )
    salary_period = models.CharField(
        _("salary period"), max_length=5, choices=SalaryPeriod, blank=True
    )

    apply_url = models.URLField(_("application URL"), max_length=500, blank=True)
    apply_email = models.EmailField(_("application email"), blank=True)

    # Where an imported posting came from: "originally published on LinkedIn".
    source_name = models.CharField(_("source"), max_length=100, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    external_id = models.CharField(_("external id"), max_length=200, blank=True)
    # Company, title and text, normalised and hashed: the same job from two feeds, once.
    duplicate_key = models.CharField(_("duplicate key"), max_length=64, blank=True, editable=False)
    needs_review = models.BooleanField(_("needs review"), default=False)
    review_reason = models.CharField(_("review reason"), max_length=300, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # When it last went to moderators (a submission or an edit): the review queue's order.
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    # Set when enough candidates report it: off the site until a moderator decides.
    hidden_at = models.DateTimeField(
        _("hidden after reports"), null=True, blank=True, editable=False
    )
    # Closed by its recruiters because the job is filled: its page says so (410).
    filled_at = models.DateTimeField(_("filled"), null=True, blank=True, editable=False)
    # The add form's one-time token: the same form sent twice creates one posting.
    creation_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Title, place and text, stemmed and unaccented in the posting's own language; PostgreSQL
    # keeps it current on every write, bulk imports included.
    search_vector = models.GeneratedField(
        expression=Case(
            *[
                When(language=language, then=_weighted_vector(config))
                for language, config in SEARCH_CONFIGS.items()
            ],
            output_field=SearchVectorField(),
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = JobPostingQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")
        permissions = [("moderate_jobposting", _("Can approve, reject and take down postings"))]
        indexes = [
            # The candidate list: published postings of one language, newest first. The
            # columns "open" and the country filter test are included, so a deep page skips
            # its first thousands of postings in the index alone (jobs.pagination).
            models.Index(
                "language",
                F("published_at").desc(),
                F("id").desc(),
                name="posting_open_list_idx",
                include=["expires_at", "hidden_at", "countries"],
                condition=Q(status="published"),
            ),
            # Lists filtered on workplace, type and seniority, and their counts: read from the
            # index alone (the rows are wide), the country tested on the included array.
            models.Index(
                fields=["language", "workplace", "employment_type", "seniority"],
                include=["countries", "published_at", "expires_at", "hidden_at"],
                name="posting_open_filters_idx",
                condition=Q(status="published"),
            ),
            GinIndex(fields=["countries"], name="posting_countries_gin"),
            # One search index per language, of its published postings: a list's search names
            # both, and the planner read a language's matches straight from it, where with one
            # index for all it ANDed that with every posting of the language.
            *[
                GinIndex(
                    fields=["search_vector"],
                    name=f"posting_search_{code.replace('-', '_')}",
                    condition=Q(language=code, status="published"),
                )
                for code in SEARCH_CONFIGS
            ],
            models.Index(fields=["company", "status"], name="posting_company_status_idx"),
            models.Index(fields=["status", "expires_at"], name="posting_status_expiry_idx"),
            models.Index(
                fields=["duplicate_key"],
                name="posting_duplicate_key_idx",
                condition=~Q(duplicate_key=""),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_name", "external_id"],
                condition=~Q(external_id=""),
                name="posting_unique_external_id_per_source",
            ),
            models.CheckConstraint(
                condition=Q(language__in=Language.values), name="posting_language_valid"
            ),
            models.CheckConstraint(
                condition=Q(workplace__in=Workplace.values), name="posting_workplace_valid"
            ),
            models.CheckConstraint(
                condition=Q(employment_type="") | Q(employment_type__in=EmploymentType.values),
                name="posting_employment_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(seniority="") | Q(seniority__in=Seniority.values),
                name="posting_seniority_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="posting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(visa_sponsorship__in=Provision.values),
                name="posting_visa_sponsorship_valid",
            ),
            models.CheckConstraint(
                condition=Q(relocation_support__in=Provision.values),
                name="posting_relocation_support_valid",
            ),
            models.CheckConstraint(
                condition=Q(description_format__in=DescriptionFormat.values),
                name="posting_description_format_valid",
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=F("salary_max")),
                name="posting_salary_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(salary_min__gte=0) | Q(salary_min__isnull=True),
                name="posting_salary_min_not_negative",
            ),
            # A salary means nothing without its currency and period.
            models.CheckConstraint(
                condition=(Q(salary_min__isnull=True) & Q(salary_max__isnull=True))
                | (Q(salary_currency__regex=r"^[A-Z]{3}$") & ~Q(salary_period="")),
                name="posting_salary_has_currency_and_period",
            ),
            models.CheckConstraint(
                condition=Q(salary_period="") | Q(salary_period__in=SalaryPeriod.values),
                name="posting_salary_period_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="posting_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(expires_at__gt=F("published_at")),
                name="posting_expires_after_publication",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The posting's one address, under its own language's prefix."""
        with translation.override(self.language):
            return reverse("jobs:job_detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def is_open(self) -> bool:
        """What JobPostingQuerySet.open() selects, for a posting already in hand."""
        return (
            self.status == Status.PUBLISHED
            and self.hidden_at is None
            and (self.expires_at is None or self.expires_at > timezone.now())
        )

    @property
    def experience_years_count(self) -> int:
        """The number that chooses the plural of "years" for experience_years_min: a whole
        number as it is, a fraction ("1.5") with the plural, as most of our languages do."""
        years = self.experience_years_min
        if years is None:
            return 0
        return int(years) if years == int(years) else 2

    @property
    def has_salary(self) -> bool:
        return self.salary_min is not None or self.salary_max is not None


class ListedCountry(models.Model):
    """A published posting under one of the countries it is listed in (a regional posting
    under each country of its region), with the columns the list filters and orders by.

    The candidate list's country filter walks these rows newest first in one index and
    stops at the page it needs (`JobPostingQuerySet.listed_in_country`): a common word
    ("engineer") matches most postings, and intersecting its full-text match with a country's
    postings cost PostgreSQL far more at a million postings than this walk of a
    few thousand index entries. PostgreSQL keeps the rows itself, through statement triggers on
    jobs_jobposting (migration 0013), so bulk imports and COPY keep them too.
    """

    pk = models.CompositePrimaryKey("posting", "country")
    posting = models.ForeignKey(
        JobPosting,
        on_delete=models.DO_NOTHING,  # the triggers remove the rows of a deleted posting
        db_constraint=False,
        db_index=False,  # the primary key's index starts with it
        related_name="listed_countries",
    )
    country = models.CharField(max_length=2)
    language = models.CharField(max_length=5)
    published_at = models.DateTimeField()
    workplace = models.CharField(max_length=10)
    employment_type = models.CharField(max_length=12)
    seniority = models.CharField(max_length=10, blank=True)
    # Whether it is open, as the posting says: a deep page reads its ids from the rows alone.
    expires_at = models.DateTimeField(null=True)
    hidden_at = models.DateTimeField(null=True)

    objects = ListedCountryQuerySet.as_manager()

    class Meta:
        verbose_name = "listed country"
        indexes = [
            models.Index(
                "language",
                "country",
                F("published_at").desc(),
                F("posting").desc(),
                name="listed_country_list_idx",
                include=["workplace", "employment_type", "seniority", "expires_at", "hidden_at"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.posting_id} in {self.country}"


class FacetCount(models.Model):
    """How many published, unhidden postings of a language carry each filter value: what the
    list's facets read instead of counting a million rows (README, "Speed-ups").

    PostgreSQL keeps the counts itself, through statement triggers on jobs_jobposting (see
    migration 0006), so bulk imports and COPY update them too. Expiry is not a write: the
    selectors subtract the published postings already past their expiry date.
    """

    language = models.CharField(max_length=5)
    # "total", "country", "workplace", "employment_type" or "seniority".
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=20, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = "facet count"
        constraints = [
            models.UniqueConstraint(
                fields=["language", "facet", "value"], name="facet_count_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.facet}={self.value}: {self.count}"


# --- Moderation -----------------------------------------------------------------------------


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


class Report(models.Model):
    """A candidate's report of a posting. The client is kept only as a keyed hash."""

    posting = models.ForeignKey(
        JobPosting, on_delete=models.CASCADE, related_name="reports", verbose_name=_("posting")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason)
    message = models.TextField(_("message"), blank=True)
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


class PendingPosting(JobPosting):
    """The moderators' view of postings: the review queue (see jobs.admin)."""

    class Meta:
        proxy = True
        verbose_name = _("posting awaiting review")
        verbose_name_plural = _("review queue")


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


# Import sources, runs and posting sources live with the pipeline; Django finds them here.
from jobs.imports.models import (  # noqa: E402
    ImportChunk,
    ImportLease,
    ImportRun,
    ImportSource,
    PostingSource,
)
from jobs.indexing.models import IndexingNotice  # noqa: E402
from jobs.outbox import OutboxMessage  # noqa: E402

# Every model of the app, those of the import pipeline included (their choices: jobs.choices).
__all__ = [
    "FacetCount",
    "ImportChunk",
    "ImportLease",
    "ImportRun",
    "ImportSource",
    "IndexingNotice",
    "JobAlert",
    "JobPosting",
    "ListedCountry",
    "OutboxMessage",
    "PendingPosting",
    "PostingEvent",
    "PostingRevision",
    "PostingSource",
    "Report",
]
