"""Facet counts that follow the search: what each option of the country, workplace, type and
seniority filters leads to under the current search and the other filters (issue 22).

Each facet is counted with every filter but its own, so that "Argentina (2)" leads to two
postings whatever else is chosen. One statement reads them all: the matches' countries (the
postings open to the whole world once, as "anywhere", rather than under each of their 250
countries) and the matches' workplace, type and seniority combinations, from which the three
facets and the list's total are summed here. The list's heading then takes its total from
them: a list with facets to show counts no more than it did.
"""

from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet

from jobs.caching import cached
from jobs.facets import ANYWHERE, FACETS_SCOPE

# The filters whose options are counted, as parameters: the columns they test.
COUNTED = {"workplace": "workplace", "type": "employment_type", "seniority": "seniority"}
# Matches of a search or filters keep their counts this long at most (and never past a write
# or the first expiry, `jobs.caching`).
FOLLOWED_SECONDS = 10 * 60


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
CROSS JOIN LATERAL unnest(CASE WHEN matches.region_id = (
    SELECT id FROM locales_region WHERE code = 'worldwide'
) THEN ARRAY['*']::varchar(2)[] ELSE matches.countries END) AS code
GROUP BY code
UNION ALL
SELECT NULL, workplace, employment_type, seniority, count(*) FROM ({combinations}) AS matches
GROUP BY workplace, employment_type, seniority
"""


def followed_counts(filterset_for, data: dict[str, str], cleaned: dict, key: str, valid_until):
    """The counts of the list `data` asks for. `filterset_for(data)` gives the filtered
    queryset of other parameters; `cleaned` holds the values that took effect."""

    def compute():
        return _count(filterset_for, data, cleaned), valid_until()

    return cached(f"followed:{key}", compute, scope=FACETS_SCOPE, keep=FOLLOWED_SECONDS)


def _count(filterset_for, data: dict[str, str], cleaned: dict) -> FollowedCounts:
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
    anywhere = by_country.pop("*", 0)
    chosen = {column: cleaned.get(name) or None for name, column in COUNTED.items()}
    sums: dict[str, dict[str, int]] = {column: {} for column in COUNTED.values()}
    total = 0
    for code, workplace, employment_type, seniority, n in rows:
        if code is not None:
            continue
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
        countries={code: n + anywhere for code, n in by_country.items()},
        anywhere=anywhere,
        **sums,
    )


__all__ = ["ANYWHERE", "FollowedCounts", "followed_counts"]
