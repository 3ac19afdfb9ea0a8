"""The facet read model: how many open postings of a language there are, in total and per
filter value, with the filter form's options named and counted in the language, cached until a
posting changes or expires (`jobs.caching`). List pages, feeds and alerts read it; the filter
set takes it as an argument."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.functions import Now
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs.caching import cached, invalidate
from jobs.models import EmploymentType, FacetCount, JobPosting, Seniority, Status, Workplace
from jobs.querysets import LIST_ORDER
from locales.collation import collation_key
from locales.countries import country_name
from locales.formatting import format_count
from locales.models import ExchangeRate, Region

# The cached counts' own scope: `facets_invalidate` retires them and nothing else.
FACETS_SCOPE = "facets"
FACETS_CACHE_SECONDS = 60 * 60
# More published postings past their expiry date than this means the expiry task is far
# behind; the counts then include the rest until it runs.
PAST_DUE_LIMIT = 10_000


# How many of the language's newest open postings similar ones are looked for among. A title
# whose words are rare in its language ("Backend Engineer" in German) had the list's index
# walked until twenty matched, tens of thousands of rows at a million postings.
SIMILAR_SCAN = 500


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
    # The country filter's options, "Österreich (1,234)", named, counted, sorted and grouped
    # in the language once here rather than on every page (`country_groups`).
    country_options: tuple = ()
    # How many are open to the whole world ("Worldwide"): each country's count includes them,
    # but the country filter offers them once, as "Anywhere", not under 250 countries.
    anywhere: int = 0
    # The countries the filter lists (those with postings of their own), with their counts.
    country_shown: dict[str, int] = field(default_factory=dict)
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


# The filters counted besides the country, by their columns.
CHOICES = {"workplace": Workplace, "employment_type": EmploymentType, "seniority": Seniority}

# The value of the country filter's "Anywhere": the postings open to the whole world. A code
# from ISO 3166-1's user-assigned range (XA-XZ), so every option value stays an alpha-2 code,
# as the stable interface promises (DESIGN.md), and no country will ever be given it.
ANYWHERE = "XW"


def country_option_name(code: str) -> str:
    """A country filter value in words, in the active language ("Anywhere (remote)" too)."""
    return str(_("Anywhere (remote)")) if code == ANYWHERE else country_name(code)


# A country list longer than this shows its TOP_COUNTRIES busiest first, then the rest A-Z.
GROUP_FROM = 12
TOP_COUNTRIES = 5


def country_groups(
    language: str, countries: dict[str, int], anywhere: int, selected: str = ""
) -> tuple:
    """The country filter's options in groups: "Anywhere" for the postings open to the whole
    world, the busiest countries, then the rest alphabetically. `countries` holds the count
    each country leads to (its worldwide postings included) for the countries with postings
    of their own; `selected` stays listed, with its count, whatever it is."""
    with translation.override(language):
        named = [(code, country_name(code), n) for code, n in countries.items()]
        named.sort(key=lambda item: collation_key(item[1]))
        groups = []
        if anywhere or selected == ANYWHERE:
            label = f"{_('Anywhere (remote)')} ({format_count(anywhere)})"
            groups.append((str(_("Remote worldwide")), ((ANYWHERE, label),)))
        if len(named) > GROUP_FROM:
            busiest = sorted(named, key=lambda item: -item[2])[:TOP_COUNTRIES]
            top = {code for code, _name, _n in busiest}
            groups.append((str(_("Most postings")), _labelled(busiest)))
            named = [item for item in named if item[0] not in top]
            groups.append((str(_("Other countries")), _labelled(named)))
        else:
            groups.append((str(_("Countries")), _labelled(named)))
        return tuple(groups)


def _labelled(named) -> tuple[tuple[str, str], ...]:
    return tuple((code, f"{name} ({format_count(n)})") for code, name, n in named)


def own_countries(countries: dict[str, int], anywhere: int) -> dict[str, int]:
    """The countries with postings besides those open to the whole world, with the count
    each leads to."""
    return {code: n for code, n in countries.items() if n > anywhere}


def choice_options(language: str, choices, counts: dict[str, int]) -> tuple[tuple[str, str], ...]:
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
        "total": {}, "country": {}, "workplace": {}, "employment_type": {}, "seniority": {},
        "anywhere": {},
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
    for posting_language, worldwide, countries, *values in queries.past_due[:PAST_DUE_LIMIT]:
        if posting_language != language:
            elsewhere = countries_by_language.setdefault(posting_language, {})
            for code in countries:
                elsewhere[code] = elsewhere.get(code, 0) - 1
            continue
        counts["total"][""] = counts["total"].get("", 0) - 1
        if worldwide:
            counts["anywhere"][""] = counts["anywhere"].get("", 0) - 1
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
    choices = CHOICES
    countries = {code: n for code, n in counts["country"].items() if n > 0}
    anywhere = max(0, counts["anywhere"].get("", 0))
    facets = Facets(
        total=counts["total"].get("", 0),
        countries=countries,
        anywhere=anywhere,
        country_shown=(shown := own_countries(countries, anywhere)),
        country_options=country_groups(language, shown, anywhere),
        **{
            field: {value: counts[field].get(value, 0) for value in values.values}
            for field, values in choices.items()
        },
        **{
            f"{field}_options": choice_options(language, values, counts[field])
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
    (the database's clock judges expiry), and building them was a fifth of a cold
    computation (README, "Speed-ups")."""
    return _FacetQueries(
        counts=FacetCount.objects.filter(Q(language=language) | Q(facet="country")).values_list(
            "language", "facet", "value", "count"
        ),
        # Every language's, sorted out here: with a language condition PostgreSQL may prefer
        # the language's list index and read all its postings. In expiry order and capped:
        # the planner then walks the status-and-expiry index and stops, where a guess of how
        # many are past due (it multiplies "published" by "expired before now", which count
        # the same rows twice) had it launch parallel workers and sort, even for none.
        past_due=JobPosting.objects.filter(
            status=Status.PUBLISHED, hidden_at__isnull=True, expires_at__lte=Now()
        )
        .order_by("expires_at")
        # Worldwide or not tested by a subquery PostgreSQL runs once: a join to the regions
        # had it scan every published posting rather than walk the index and stop.
        .annotate(
            worldwide=ExpressionWrapper(
                Q(region__in=Region.objects.filter(code="worldwide").values("pk")),
                output_field=BooleanField(),
            )
        )
        .values_list(
            "language", "worldwide", "countries", "workplace", "employment_type", "seniority"
        ),
        # The status-and-expiry index finds it at once.
        next_expiry=JobPosting.objects.open()
        .in_language(language)
        .filter(expires_at__isnull=False)
        .order_by("expires_at")
        .values_list("expires_at", flat=True),
        currencies=ExchangeRate.objects.order_by("currency").values_list("currency", flat=True),
        # From the list's index alone (it includes what "open" tests).
        similar_since=JobPosting.objects.open()
        .in_language(language)
        .order_by(*LIST_ORDER)
        .values_list("published_at", flat=True),
    )


def past_due(language: str) -> QuerySet:
    """The published postings already past their expiry date that the hourly task has not
    expired yet, of every language, in expiry order (sliced by the caller): their counts
    are subtracted from those the triggers keep."""
    return _facet_queries(language).past_due.all()


def facets(*, language: str) -> Facets:
    """The language's counts, cached until a posting changes or expires (jobs.caching)."""
    return cached(
        f"facets:{language}", lambda: _compute_facets(language), local=True, scope=FACETS_SCOPE
    )


def facets_invalidate() -> None:
    """Retire every language's cached counts, only them: for postings written outside the
    services (tests, benchmarks). A service's write retires every page along with the counts
    (`jobs.caching.invalidate`)."""
    invalidate(FACETS_SCOPE)


def facets_valid_until() -> float:
    """Until when a page of the active language may be served from the shared cache: no
    later than its first posting's expiry (`jobs.caching.candidate_page`)."""
    return facets(language=translation.get_language()).valid_until
