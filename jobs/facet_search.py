"""Facet counts that follow the search: what each option of the country, workplace, type and
seniority filters leads to under the current search and the other filters (issue 22).

Each facet is counted with every filter but its own, so that "Argentina (2)" leads to two
postings whatever else is chosen. One statement reads them all: the matches' countries (the
postings open to the whole world once, as "anywhere", rather than under each of their 250
countries) and the matches' workplace, type and seniority combinations, from which the three
facets and the list's total are summed here. The list's heading then takes its total from
them: a list with facets to show counts no more than it did.

A search's matches are counted once into cells (country × workplace × type × seniority,
`search_cells`) and every filter of it the cells answer is summed from them: "engineer",
"engineer" remote and "engineer" in the US read one count. The cells of a search counted
before are never recounted while a reader waits: after a write, the previous cells answer
while a task counts them again (`jobs.caching.cached`, `later`), and the commonest words'
cells are counted before anyone searches them (`search_cells_warm`).
"""

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import connections, router
from django.db.models import F, QuerySet, TextField
from django.db.models.functions import Cast
from django.db.models.sql import Query
from kombu.exceptions import OperationalError

from jobs.caching import LOCK_SECONDS, cached, cached_holds, cached_refresh
from jobs.facets import ANYWHERE, FACETS_CACHE_SECONDS, FACETS_SCOPE, PAST_DUE_LIMIT, past_due
from jobs.models import JobPosting
from jobs.querysets import RowMatch, search_query
from jobs.search_counts import key_cells
from jobs.spelling import completions

# The filters whose options are counted, as parameters: the columns they test.
COUNTED = {"workplace": "workplace", "type": "employment_type", "seniority": "seniority"}
# The parameters a common word's cells answer (with the search itself), and those that
# filter nothing without a minimum salary or at all; any other falls back to counting.
CELL_PARAMETERS = frozenset(
    {"q", "country", "workplace", "type", "seniority", "sort", "currency", "salary_period",
     "salary_unknown"}
)  # fmt: skip
CHOSEN_ORDER = ("workplace", "employment_type", "seniority")
# Matches of a search or filters keep their counts this long at most (and never past a write
# or the first expiry, `jobs.caching`).
FOLLOWED_SECONDS = 10 * 60
# A search's cells stay this long after their last count, for the next reader to be answered
# from while they are counted again.
CELLS_SECONDS = 24 * 60 * 60
# The cells of a search: (country, workplace, type, seniority) -> matches, the country "*"
# for the postings open to the whole world and "" for every match once.
Cells = dict[tuple[str, str, str, str], int]


@dataclass(frozen=True)
class FollowedCounts:
    total: int
    # Each country with matches of its own, and how many it leads to (the worldwide included).
    countries: dict[str, int]
    anywhere: int
    workplace: dict[str, int]
    employment_type: dict[str, int]
    seniority: dict[str, int]


_STATEMENT = """
SELECT code, '', '', '', count(*) FROM ({countries}) AS matches
CROSS JOIN LATERAL (SELECT DISTINCT unnest(CASE WHEN matches.region_id = (
    SELECT id FROM locales_region WHERE code = 'worldwide'
) THEN ARRAY['*']::varchar(2)[] ELSE matches.countries END)) AS listed (code)
GROUP BY code
UNION ALL
SELECT NULL, workplace, employment_type, seniority, count(*) FROM ({combinations}) AS matches
GROUP BY workplace, employment_type, seniority
"""


def followed_counts(
    filterset_for, data: dict[str, str], cleaned: dict, key: str, valid_until, *, language: str
):
    """The counts of the list `data` asks for, in `language`. `filterset_for(data)` gives the
    filtered queryset of other parameters; `cleaned` holds the values that took effect."""

    def compute():
        counted = _from_cells(cleaned, language)  # kept by PostgreSQL (jobs.search_counts)
        if counted is None and _cells_answer(data, cleaned):
            query_text = cleaned.get("q") or ""
            cells, counted_at = search_cells(filterset_for, query_text, language=language)
            expired = expired_since(counted_at, query_text, language)
            if expired is not None:
                counted = cells_summed(cells, cleaned, expired)
        if counted is None:
            counted = _count(filterset_for, data, cleaned, language=language, cells=False)
        return counted, valid_until()

    return cached(f"followed:{key}", compute, scope=FACETS_SCOPE, keep=FOLLOWED_SECONDS)


def _cells_answer(data: dict[str, str], cleaned: dict) -> bool:
    """Whether a search's cells answer the list `data` asks for: each of its parameters is
    one they answer, and took effect."""
    return all(name in CELL_PARAMETERS and cleaned.get(name) not in (None, "") for name in data)


def search_cells(filterset_for, query_text: str, *, language: str) -> tuple[Cells, float]:
    """The cells of the search `query_text` ("" for the language's every posting), and when
    they were counted: counted when first asked for, then counted again by a task after each
    write while the previous ones answer (`refresh_search_cells`). A closing date that passes
    is no write: the matches past theirs since the count are subtracted (`expired_since`)."""

    return _held_cells(_cells_name(query_text, language), filterset_for, query_text, language)


def _held_cells(name: str, filterset_for, query_text: str, language: str):
    def later() -> bool:
        return _hand_over(language, query_text)

    return cached(
        name, _cells_counter(filterset_for, query_text), scope=FACETS_SCOPE,
        keep=CELLS_SECONDS, later=later,
    )  # fmt: skip


def _cells_counter(filterset_for, query_text: str):
    """The computation of a search's cells, as `cached` takes it: fresh for as long as the
    language's counts, whatever closing dates pass meanwhile."""

    def compute():
        counted_at = time.time()
        cells = _cells(filterset_for({"q": query_text} if query_text else {}))
        return (cells, counted_at), counted_at + FACETS_CACHE_SECONDS

    return compute


def expired_since(counted_at: float, query_text: str, language: str) -> list | None:
    """The matches of a search whose closing date has passed since its cells were counted
    (and that the hourly task has not expired yet), as the facets' past-due rows; None when
    there are too many to subtract: the list is then counted directly."""
    matches = past_due(language).filter(
        language=language, expires_at__gt=datetime.fromtimestamp(counted_at, tz=UTC)
    )
    if query_text:
        query = search_query(query_text, language, completions)
        matches = matches.filter(RowMatch(F("search_vector"), query))
    rows = list(matches[: PAST_DUE_LIMIT + 1])
    return None if len(rows) > PAST_DUE_LIMIT else rows


def _cells_name(query_text: str, language: str) -> str:
    """The cache's name for a search's cells: the query PostgreSQL runs, so that the words
    of one stem ("engineers", "Engineer") share them."""
    key = ""
    if query_text.strip():
        query = Query(None)
        text = Cast(search_query(query_text, language, completions), output_field=TextField())
        # Where the list's own queries read (a replica for a candidate page).
        database = connections[router.db_for_read(JobPosting)]
        compiler = query.get_compiler(connection=database)
        sql, params = compiler.compile(text.resolve_expression(query))
        with database.cursor() as cursor:
            cursor.execute(f"SELECT {sql}", params)
            key = cursor.fetchone()[0]
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"cells:{language}:{digest}"


def _hand_over(language: str, query_text: str) -> bool:
    """Queue the count of a search's cells; False when it cannot be (tasks run in this
    process, or the broker is unreachable): the reader then counts them itself."""
    from config.celery import app

    if app.conf.task_always_eager:
        return False
    try:
        # By name (jobs.tasks imports the filters, which import this module). Not run at all
        # once the entry's lock has lapsed: the next reader queues another.
        app.send_task(
            "jobs.tasks.refresh_search_cells", (language, query_text), expires=LOCK_SECONDS
        )
    except OperationalError:
        return False
    return True


def search_cells_refresh(filterset_for, query_text: str, *, language: str) -> None:
    """Count a search's cells again, for the reader that handed them over."""
    cached_refresh(
        _cells_name(query_text, language), _cells_counter(filterset_for, query_text),
        scope=FACETS_SCOPE, keep=CELLS_SECONDS,
    )  # fmt: skip


def search_cells_warm(filterset_for, words: list[str], *, language: str) -> int:
    """Count the cells of those `words` (and of the language's every posting) that the cache
    does not hold yet, current or not: returns how many were counted."""
    counted = 0
    for query_text in ["", *words]:
        name = _cells_name(query_text, language)
        if not cached_holds(name):
            _held_cells(name, filterset_for, query_text, language)
            counted += 1
    return counted


# The matches grouped by what their cells tell apart: in one reading of the matches.
_CELLS = """
SELECT matches.region_id IS NOT DISTINCT FROM (
    SELECT id FROM locales_region WHERE code = 'worldwide'
), countries, workplace, employment_type, seniority, count(*)
FROM ({matches}) AS matches
GROUP BY 1, 2, 3, 4, 5
"""


def _cells(matches: QuerySet) -> Cells:
    matches = matches.order_by().values("region_id", "countries", *CHOSEN_ORDER)
    sql, params = matches.query.sql_with_params()
    with connections[matches.db].cursor() as cursor:
        cursor.execute(_CELLS.format(matches=sql), params)
        rows = cursor.fetchall()
    cells: Cells = {}
    for worldwide, countries, *values, n in rows:
        _count_into(cells, worldwide, countries, values, n)
    return cells


def _count_into(cells: Cells, worldwide: bool, countries, values, n: int) -> None:
    """Add `n` postings of those values to the cells: under each of their countries, or
    under "*" open to the whole world, and once under ""."""
    for code in ({"*"} if worldwide else set(countries)) | {""}:
        cell = (code, *values)
        cells[cell] = cells.get(cell, 0) + n


def cells_summed(cells: Cells, cleaned: dict, expired=()) -> FollowedCounts:
    """The counts of the list `cleaned` chose, from its search's cells less the `expired`
    rows (`expired_since`)."""
    if expired:
        cells = dict(cells)
        for _language, worldwide, countries, *values in expired:
            _count_into(cells, worldwide, countries, values, -1)
    country = cleaned.get("country") or None
    chosen = [cleaned.get(name) or None for name in COUNTED]
    # The postings a chosen country leads to: its own and those open to the whole world.
    slices = {None: {""}, ANYWHERE: {"*"}}.get(country, {country, "*"})
    by_country: dict[str, int] = {}
    combinations: dict[tuple[str, str, str], int] = {}
    for (code, *values), n in cells.items():
        if code and all(want in (None, value) for want, value in zip(chosen, values, strict=True)):
            by_country[code] = by_country.get(code, 0) + n
        if code in slices:
            combinations[tuple(values)] = combinations.get(tuple(values), 0) + n
    return _summed(by_country, [(*values, n) for values, n in combinations.items()], cleaned)


def _count(
    filterset_for, data: dict[str, str], cleaned: dict, *, language: str, cells: bool = True
) -> FollowedCounts:
    """From the common search's cells when it is one (`jobs.search_counts`), else counted
    (always, without `cells`: what the benchmark compares them with)."""
    counted = _from_cells(cleaned, language) if cells else None
    if counted is not None:
        return counted
    without_country = {name: value for name, value in data.items() if name != "country"}
    without_columns = {name: value for name, value in data.items() if name not in COUNTED}
    countries: QuerySet = (
        filterset_for(without_country).order_by().values("region_id", "countries")
    )
    combinations: QuerySet = (
        filterset_for(without_columns)
        .order_by()
        .values("workplace", "employment_type", "seniority")
    )
    sql_countries, countries_params = countries.query.sql_with_params()
    sql_combinations, combinations_params = combinations.query.sql_with_params()
    statement = _STATEMENT.format(countries=sql_countries, combinations=sql_combinations)
    # Where the filter set's queries would read (the replica for a candidate page).
    with connections[countries.db].cursor() as cursor:
        cursor.execute(statement, (*countries_params, *combinations_params))
        rows = cursor.fetchall()
    by_country = {code: n for code, _w, _t, _s, n in rows if code is not None}
    combined = [(w, t, s, n) for code, w, t, s, n in rows if code is None]
    return _summed(by_country, combined, cleaned)


def _summed(by_country: dict[str, int], combinations, cleaned: dict) -> FollowedCounts:
    """The counts from the matches' countries (each counted with the other filters) and
    their workplace, type and seniority combinations (counted with the search and the
    country): each facet with the other two's choices, the total with all three."""
    by_country = dict(by_country)
    anywhere = by_country.pop("*", 0)
    chosen = {column: cleaned.get(name) or None for name, column in COUNTED.items()}
    sums: dict[str, dict[str, int]] = {column: {} for column in COUNTED.values()}
    total = 0
    for workplace, employment_type, seniority, n in combinations:
        values = {
            "workplace": workplace,
            "employment_type": employment_type,
            "seniority": seniority,
        }
        for column, value in values.items():
            others = all(
                chosen[other] in (None, values[other]) for other in values if other != column
            )
            if others:
                sums[column][value] = sums[column].get(value, 0) + n
        if all(chosen[column] in (None, value) for column, value in values.items()):
            total += n
    return FollowedCounts(
        total=total,
        countries={code: n + anywhere for code, n in by_country.items() if n},
        anywhere=anywhere,
        **{
            column: {value: n for value, n in found.items() if n} for column, found in sums.items()
        },
    )


def _from_cells(cleaned: dict, language: str) -> FollowedCounts | None:
    """The counts of a common word's search with any of the counted filters, from its cells
    less its matches already past their expiry date (as the language's facets, `jobs.facets`);
    None for any other search, or while too many are past due."""
    query_text = cleaned.get("q")
    if (
        not settings.JOBS_COUNTED_SEARCHES
        or not query_text
        or any(
            value not in (None, "") and name not in CELL_PARAMETERS
            for name, value in cleaned.items()
        )
    ):
        return None
    country = cleaned.get("country") or None
    chosen = {column: cleaned.get(name) or None for name, column in COUNTED.items()}
    # The postings a chosen country leads to: its own and those open to the whole world.
    slices = {None: [""], ANYWHERE: ["*"]}.get(country, [country, "*"])
    query = search_query(query_text, language)
    cells = key_cells(query, language, chosen=chosen, slices=slices)
    if cells is None:
        return None
    by_country, combinations = cells
    expired = list(
        past_due(language).filter(RowMatch(F("search_vector"), query))[: PAST_DUE_LIMIT + 1]
    )
    if len(expired) > PAST_DUE_LIMIT:
        return None
    for posting_language, worldwide, countries, *values in expired:
        if posting_language != language:
            continue
        codes = {"*"} if worldwide else set(countries)
        if all(
            chosen[column] in (None, value)
            for column, value in zip(CHOSEN_ORDER, values, strict=True)
        ):
            for code in codes:
                by_country[code] = by_country.get(code, 0) - 1
        if country is None or codes & set(slices):
            combinations[tuple(values)] = combinations.get(tuple(values), 0) - 1
    return _summed(by_country, [(*values, n) for values, n in combinations.items()], cleaned)


__all__ = ["ANYWHERE", "FollowedCounts", "followed_counts"]
