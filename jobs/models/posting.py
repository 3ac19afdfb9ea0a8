"""The posting itself, and the review queue's view of it."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from jobs.choices import (
    DescriptionFormat,
    EmploymentType,
    Provision,
    SalaryBasis,
    SalaryPeriod,
    Seniority,
    Status,
    Workplace,
)
from jobs.querysets import JobPostingQuerySet, Terms
from jobs.validators import validate_language_requirements
from locales.countries import validate_country_code
from locales.languages import SEARCH_CONFIGS, Language
from locales.models import Region
from locales.money import validate_currency_code


def _weighted_vector(config: str) -> SearchVector:
    # Technical terms as single words (jobs.querysets.Terms); the company's name with the
    # place, so that "Acme" finds all of Acme's postings and ranks them above a mention.
    return (
        SearchVector(Terms("title"), weight="A", config=config)
        + SearchVector(Terms("search_company"), weight="B", config=config)
        + SearchVector(Terms("location"), weight="B", config=config)
        + SearchVector(Terms("description_html"), weight="C", config=config)
    )


def utc_offset_field(verbose_name) -> models.DecimalField:
    """A UTC offset, from -12 to +14, in hours (India is +5.5, Nepal +5.75), or none."""
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(-12), MaxValueValidator(14)],
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
    # Where a remote candidate's working day must fall: the UTC offsets ("UTC-3 to UTC+2")
    # between which they may live. Decimal: India is +5.5, Nepal +5.75.
    remote_utc_min = utc_offset_field(_("earliest time zone (UTC offset)"))
    remote_utc_max = utc_offset_field(_("latest time zone (UTC offset)"))

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
    # What pay-transparency laws ask an ad to say besides the amounts (jobs.compliance.pay).
    salary_basis = models.CharField(
        _("gross or net"), max_length=5, choices=SalaryBasis, blank=True, default=""
    )
    salary_variable = models.CharField(
        _("variable pay"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Bonus, commission or profit share on top of the salary, in words."),
    )
    collective_agreement = models.CharField(
        _("collective agreement"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("The agreement and pay grade the salary follows, if any."),
    )

    apply_url = models.URLField(_("application URL"), max_length=500, blank=True)
    apply_email = models.EmailField(_("application email"), blank=True)

    # Where an imported posting came from: "originally published on LinkedIn".
    source_name = models.CharField(_("source"), max_length=100, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    external_id = models.CharField(_("external id"), max_length=200, blank=True)
    # Company, title and text, normalised and hashed: the same job from two feeds, once.
    duplicate_key = models.CharField(_("duplicate key"), max_length=64, blank=True, editable=False)
    # The same job written in several of our languages: every version carries one group id
    # (jobs.services.translations), so each links to the others and is never a duplicate.
    translation_group = models.UUIDField(
        _("language versions"), null=True, blank=True, editable=False
    )
    # Whether a person set the group (linked or unlinked versions in admin): an import then
    # leaves it alone, where it recomputes a group it computed itself from the feed's key.
    translation_group_manual = models.BooleanField(
        _("language versions set by hand"), default=False, editable=False
    )
    needs_review = models.BooleanField(_("needs review"), default=False)
    review_reason = models.CharField(_("review reason"), max_length=300, blank=True)
    # Why an import held it, as [code, parameters] pairs (jobs.imports.reasons): shown to each
    # moderator in their own language, where review_reason is the worker's text of them.
    review_reasons = models.JSONField(
        _("review reasons"), default=list, blank=True, encoder=DjangoJSONEncoder
    )

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

    # The company's name, which PostgreSQL copies here on every write and after a rename
    # (triggers of migration 0021): the search vector below, computed from the row alone,
    # includes it.
    search_company = models.CharField(max_length=200, blank=True, default="", editable=False)

    # Title, company, place and text, stemmed and unaccented in the posting's own language;
    # PostgreSQL keeps it current on every write, bulk imports included.
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
            # What changed since a moment, in the order it changed: the instant-indexing
            # collector (jobs.indexing) reads it every few minutes; without it, every posting
            # (bench/RESULTS.md, round 8).
            models.Index(fields=["updated_at", "id"], name="posting_updated_idx"),
            models.Index(
                fields=["duplicate_key"],
                name="posting_duplicate_key_idx",
                condition=~Q(duplicate_key=""),
            ),
            models.Index(
                fields=["translation_group"],
                name="posting_translation_group_idx",
                condition=Q(translation_group__isnull=False),
            ),
        ]
        constraints = [
            # A feed's id names one job; each of its language versions is a posting of its own.
            models.UniqueConstraint(
                fields=["source_name", "external_id", "language"],
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
                condition=Q(salary_basis="") | Q(salary_basis__in=SalaryBasis.values),
                name="posting_salary_basis_valid",
            ),
            models.CheckConstraint(
                condition=Q(remote_utc_min__isnull=True)
                | Q(remote_utc_max__isnull=True)
                | Q(remote_utc_min__lte=F("remote_utc_max")),
                name="posting_remote_utc_ordered",
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


class PendingPosting(JobPosting):
    """The moderators' view of postings: the review queue (see jobs.admin)."""

    class Meta:
        proxy = True
        verbose_name = _("posting awaiting review")
        verbose_name_plural = _("review queue")
