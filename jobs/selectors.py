"""Reads composed for the candidate pages."""

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from operator import attrgetter

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Now
from django.utils import timezone, translation

from companies.models import Company
from jobs.caching import cached, invalidate
from jobs.content import posting_content
from jobs.models import (
    CONTENT_FIELDS,
    EmploymentType,
    FacetCount,
    JobPosting,
    PostingRevision,
    RevisionState,
    Seniority,
    Status,
    Workplace,
)
from jobs.querysets import CARD_VALUES, LIST_ORDER, any_word_query
from locales.collation import collation_key
from locales.countries import country_name
from locales.formatting import format_count
from locales.models import ExchangeRate

FACETS_CACHE_SECONDS = 60 * 60
# More published postings past their expiry date than this means the expiry task is far
# behind; the counts then include the rest until it runs.
PAST_DUE_LIMIT = 10_000
# Open postings of the language, newest first, among which similar ones are ranked: a
# title's words are common, so the list's index finds this many after reading a few hundred
# rows (200 read thousands: 12 ms at a million postings, 3 ms for 20).
SIMILAR_WINDOW = 20
# How many of the language's newest open postings similar ones are looked for among. A title
# whose words are rare in its language ("Backend Engineer" in German) had the list's index
# walked until twenty matched: 18,000 rows and 41 ms at a million postings. 500 rows take 4.
SIMILAR_SCAN = 500


def job_list(*, language: str) -> QuerySet[JobPosting]:
    """The language's open postings. Every list page starts from this query: it is built once
    per process and copied for each use (building its conditions cost more than running it)."""
    return _job_list(language).all()


@cache
def _job_list(language: str) -> QuerySet[JobPosting]:
    return JobPosting.objects.open().in_language(language).select_related("company", "region")


def job_cards(*, language: str) -> QuerySet:
    """The language's open postings as the rows their cards show (jobs.fragments), the list's
    base query: built once per process too, as resolving its columns cost as much again."""
    return _job_cards(language).all()


@cache
def _job_cards(language: str) -> QuerySet:
    return _job_list(language).cards()


def job_detail_queryset() -> QuerySet[JobPosting]:
    """Every posting a candidate may have a link to: open, expired (410) or taken down.
    Its page shows the rendered description, never the source or the search vector."""
    return JobPosting.objects.select_related("company", "region").defer(
        "description", "search_vector"
    )


def similar_postings(*, posting: JobPosting, limit: int = 4) -> list:
    """Open postings in the same language whose text shares the most with this title, as
    card rows: the best matches first, the newer first where they match as well."""
    query = any_word_query(posting.title, posting.language)
    if query is None:
        return []
    # A title's words match most postings of its language: rank only the newest of them,
    # which the list's index yields in order, rather than every match; and look among the
    # newest SIMILAR_SCAN only, where words rare in the language would have it walk them all.
    postings = job_cards(language=posting.language).exclude(pk=posting.pk)
    matches = postings.search_row_by_row(query)
    since = facets(language=posting.language).similar_since
    if since is not None:
        matches = matches.filter(published_at__gte=since)
    # The window's rows, ranked here: one plain query, where ranking them in PostgreSQL took
    # the window as a subquery and its conditions compiled twice (bench/RESULTS.md, item 22).
    newest = matches.values_list(*CARD_VALUES, "rank", named=True).order_by(*LIST_ORDER)
    return sorted(newest[:SIMILAR_WINDOW], key=attrgetter("rank"), reverse=True)[:limit]


def company_postings(*, company: Company, language: str) -> QuerySet[JobPosting]:
    return job_list(language=language).of_company(company).order_by(*LIST_ORDER)


def company_cards(*, company: Company, language: str) -> QuerySet:
    return job_cards(language=language).of_company(company).order_by(*LIST_ORDER)


@dataclass(frozen=True)
class Facets:
    """How many open postings of one language there are, in total and per filter value."""

    total: int
    countries: dict[str, int]
    workplace: dict[str, int]
    employment_type: dict[str, int]
    seniority: dict[str, int]
    # When the first open posting of the language reaches its expiry date and leaves the
    # lists without any write (as time.time()): no cached count or page may outlive it.
    valid_until: float
    # The country filter's options, "Österreich (1,234)", named, counted and sorted in the
    # language once here rather than on every page.
    country_options: tuple[tuple[str, str], ...] = ()
    # The same for the workplace, type and seniority filters: "Remote (1,234)", in order.
    workplace_options: tuple[tuple[str, str], ...] = ()
    employment_type_options: tuple[tuple[str, str], ...] = ()
    seniority_options: tuple[tuple[str, str], ...] = ()
    # The countries with open postings in each language (this one included), for the
    # language switcher; as fresh as this language's counts.
    countries_by_language: dict[str, frozenset[str]] = field(default_factory=dict)
    # The currencies staff keep an exchange rate for, for the salary filter: a rate's change
    # retires the counts with everything else (jobs.apps), and every list page reads them.
    currencies: tuple[str, ...] = ()
    # When the SIMILAR_SCAN-th newest open posting of the language was published (None while
    # there are fewer): similar postings are looked for among those published since.
    similar_since: datetime | None = None


def _country_options(language: str, countries: dict[str, int]) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        named = [(code, country_name(code), n) for code, n in countries.items()]
        named.sort(key=lambda item: collation_key(item[1]))
        return tuple((code, f"{name} ({format_count(n)})") for code, name, n in named)


def _choice_options(language: str, choices, counts: dict[str, int]) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        return tuple(
            (value, f"{label} ({format_count(counts.get(value, 0))})")
            for value, label in choices.choices
        )


def _compute_facets(language: str) -> tuple[Facets, float]:
    """The counts PostgreSQL keeps in FacetCount, less the published postings already past
    their expiry date that the hourly task has not expired yet (few, found by the
    status-and-expiry index): a few milliseconds at a million postings, where counting the
    open postings themselves took hundreds."""
    now = timezone.now()
    counts: dict[str, dict[str, int]] = {
        "total": {}, "country": {}, "workplace": {}, "employment_type": {}, "seniority": {}
    }  # fmt: skip
    # Every language's countries too: the language switcher keeps a country filter only
    # where that language has postings in the country.
    countries_by_language: dict[str, dict[str, int]] = {}
    queries = _facet_queries(language)
    for row_language, facet, value, n in queries.counts.all():
        if facet == "country":
            countries_by_language.setdefault(row_language, {})[value] = n
        if row_language == language:
            counts.setdefault(facet, {})[value] = n
    for posting_language, countries, *values in queries.past_due[:PAST_DUE_LIMIT]:
        if posting_language != language:
            elsewhere = countries_by_language.setdefault(posting_language, {})
            for code in countries:
                elsewhere[code] = elsewhere.get(code, 0) - 1
            continue
        counts["total"][""] = counts["total"].get("", 0) - 1
        for facet, value in zip(
            ("workplace", "employment_type", "seniority"), values, strict=True
        ):
            counts[facet][value] = counts[facet].get(value, 0) - 1
        for code in countries:
            counts["country"][code] = counts["country"].get(code, 0) - 1
    # Postings leave the list at their expiry instant without any write: the cached counts
    # must not outlive the first of them.
    next_expiry = next(iter(queries.next_expiry[:1]), None)
    valid_until = now.timestamp() + FACETS_CACHE_SECONDS
    if next_expiry is not None:
        valid_until = min(valid_until, next_expiry.timestamp())
    choices = {"workplace": Workplace, "employment_type": EmploymentType, "seniority": Seniority}
    countries = {code: n for code, n in counts["country"].items() if n > 0}
    facets = Facets(
        total=counts["total"].get("", 0),
        countries=countries,
        country_options=_country_options(language, countries),
        **{
            field: {value: counts[field].get(value, 0) for value in values.values}
            for field, values in choices.items()
        },
        **{
            f"{field}_options": _choice_options(language, values, counts[field])
            for field, values in choices.items()
        },
        countries_by_language={
            code: frozenset(country for country, n in found.items() if n > 0)
            for code, found in countries_by_language.items()
        },
        valid_until=valid_until,
        currencies=tuple(queries.currencies.all()),
        similar_since=next(iter(queries.similar_since[SIMILAR_SCAN - 1 : SIMILAR_SCAN]), None),
    )
    return facets, valid_until


@dataclass(frozen=True)
class _FacetQueries:
    counts: QuerySet
    past_due: QuerySet
    next_expiry: QuerySet
    currencies: QuerySet
    similar_since: QuerySet


@cache
def _facet_queries(language: str) -> _FacetQueries:
    """What a language's facets read, built once per process and copied for each use (sliced
    there, so the limits are read each time): their conditions hold no value of the moment
    (the database's clock judges expiry), and building the five cost a fifth of a cold
    computation (bench/RESULTS.md, item 22)."""
    return _FacetQueries(
        counts=FacetCount.objects.filter(Q(language=language) | Q(facet="country")).values_list(
            "language", "facet", "value", "count"
        ),
        # Every language's, sorted out here: with a language condition PostgreSQL may prefer
        # the language's list index and read all its postings. In expiry order and capped:
        # the planner then walks the status-and-expiry index and stops, where a guess of how
        # many are past due (it multiplies "published" by "expired before now", which count
        # the same rows twice) had it launch parallel workers and sort, at 5 ms for none.
        past_due=JobPosting.objects.filter(
            status=Status.PUBLISHED, hidden_at__isnull=True, expires_at__lte=Now()
        )
        .order_by("expires_at")
        .values_list("language", "countries", "workplace", "employment_type", "seniority"),
        # The status-and-expiry index finds it at once.
        next_expiry=JobPosting.objects.open()
        .in_language(language)
        .filter(expires_at__isnull=False)
        .order_by("expires_at")
        .values_list("expires_at", flat=True),
        currencies=ExchangeRate.objects.order_by("currency").values_list("currency", flat=True),
        # From the list's index alone (it includes what "open" tests).
        similar_since=job_list(language=language)
        .order_by(*LIST_ORDER)
        .values_list("published_at", flat=True),
    )


def facets(*, language: str) -> Facets:
    """The language's counts, cached until a posting changes or expires (jobs.caching)."""
    return cached(f"facets:{language}", lambda: _compute_facets(language), local=True)


def facets_invalidate() -> None:
    """Retire every language's cached counts and pages: the next read recomputes them."""
    invalidate()


def other_language_counts(*, postings: QuerySet[JobPosting]) -> dict[str, int]:
    """How many postings match the same filters in each language: `postings` is the list's
    filtered queryset with its language condition left out."""
    rows = postings.order_by().values_list("language").annotate(n=Count("id"))
    return {language: n for language, n in rows if n}


# --- Moderation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str


def _display(name: str, value) -> str:
    from locales.countries import country_name
    from locales.models import Region

    if value in (None, "", []):
        return "—"
    field = JobPosting._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if name == "countries":
        return ", ".join(country_name(code) for code in value)
    if name == "region":
        region = Region.objects.filter(pk=value).first()
        return str(region) if region else str(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def last_approved_content(posting: JobPosting) -> dict | None:
    revision = (
        PostingRevision.objects.filter(posting=posting, state=RevisionState.APPROVED)
        .order_by("-decided_at", "-id")
        .first()
    )
    return revision.data if revision else None


def sent_back_content(posting: JobPosting) -> dict | None:
    """A posting moderators sent back for changes, as it was then: its resubmission is
    reviewed against it (jobs.services.moderation keeps it)."""
    if posting.status == Status.PUBLISHED:
        return None
    return (
        PostingRevision.objects.filter(posting=posting, state=RevisionState.CHANGES_REQUESTED)
        .values_list("data", flat=True)
        .first()
    )


def open_revision(posting: JobPosting) -> PostingRevision | None:
    """The edit of a published posting that awaits review or was sent back for changes."""
    return PostingRevision.objects.filter(
        posting=posting, state__in=[RevisionState.PENDING, RevisionState.CHANGES_REQUESTED]
    ).first()


def pending_revision(posting: JobPosting) -> PostingRevision | None:
    return PostingRevision.objects.filter(posting=posting, state=RevisionState.PENDING).first()


def posting_review_diff(posting: JobPosting) -> tuple[list[FieldChange], bool]:
    """What a moderator is asked to approve, field by field, against the last approved
    version: a pending edit against the live posting, or a submitted posting against what was
    last approved (everything, for a posting never approved). Returns (changes, is_first)."""
    revision = pending_revision(posting) if posting.status == Status.PUBLISHED else None
    if revision is not None:
        before, after = posting_content(posting), revision.data
    else:
        sent_back = sent_back_content(posting)
        before = sent_back if sent_back is not None else last_approved_content(posting)
        after = posting_content(posting)
    is_first = before is None
    return content_changes(before or {}, after, is_first=is_first), is_first


def content_changes(before: dict, after: dict, *, is_first: bool = False) -> list[FieldChange]:
    """The content fields that differ between two versions, as the diff shows them."""
    return [
        FieldChange(
            name=name,
            label=str(JobPosting._meta.get_field(name).verbose_name),
            before=_display(name, before.get(name)),
            after=_display(name, after.get(name)),
        )
        for name in CONTENT_FIELDS
        if before.get(name) != after.get(name)
        and not (is_first and after.get(name) in (None, "", []))
    ]


def company_languages(*, company: Company) -> set[str]:
    """The languages in which the company has open postings."""
    return set(
        JobPosting.objects.open().of_company(company).order_by().values_list("language", flat=True)
    )


def alert_new_postings(*, alert) -> QuerySet[JobPosting]:
    """Open postings of the alert's language and search, published since its last digest,
    newest first. A stored value that no longer validates (a company gone, a country with
    nothing open) matches nothing rather than widening the search to everything."""
    from jobs.filters import JobFilter

    postings = job_list(language=alert.language).filter(published_at__gt=alert.sent_through)
    filterset = JobFilter(
        alert.parameters,
        queryset=postings,
        language=alert.language,
        facets=facets(language=alert.language),
    )
    if filterset.errors:
        return postings.none()
    return filterset.qs.order_by(*LIST_ORDER)
