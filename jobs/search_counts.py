"""Facet counts of the common searches, kept by PostgreSQL (SearchKey, SearchCount; migration
0027): a word in a tenth of a language's postings matches a hundred thousand of them at a
million, and no plan that visits every match counts them in the time of a page.

The keys are the language's commonest words as the list searches a single word (its stem as
a prefix: "engineer", "engineers" and "engineering" are all `'engin':*`), chosen from the
words "did you mean" keeps (`jobs.spelling`). A search is read from the cells when it is
one of them; any other is counted row by row (`jobs.facet_search`), where a rarer word keeps
the index's intersection small.

Changing the keys must lose no write: a posting written by a transaction whose trigger ran
before a new key existed, and committed after the key's fill read the table, would be
counted by neither. So the keys change under a SHARE ROW EXCLUSIVE lock of jobs_jobposting,
which waits for every writing transaction to end and holds new ones back for the moment it
takes to write the keys; every trigger after it counts the new keys. The fill then runs
without the lock, as one statement that adds what its snapshot sees less what the triggers
had already added by then: the cells end equal to a count of the postings whatever commits
meanwhile. Fills take turns (the keys' rows locked), each seeing what the last added.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.db import connection, connections, router, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from jobs.models import SearchCount, SearchKey
from locales.languages import SEARCH_CONFIGS

# A word in this many postings is counted from the cells; a rarer one directly (a bitmap of
# a few thousand rows).
COMMON_POSTINGS = 2_000

# The language's commonest words as the list's search of that one word: a single prefix
# (stop words give none, hyphenated words two: neither is a key).
_WANTED = """
SELECT key, query FROM (
    SELECT query::text AS key, query, max(postings) AS postings
    FROM jobs_searchword, LATERAL (
        SELECT to_tsquery(%(config)s::regconfig, trim(jobboard_terms(word, true)) || ':*')
    ) AS typed (query)
    WHERE language = %(language)s AND postings >= %(common)s AND numnode(query) = 1
    GROUP BY query
) AS keys
ORDER BY postings DESC, key
LIMIT %(most)s
"""

# What the postings visible now hold for the keys being filled, less what the cells held
# for them in the same snapshot: added to the cells as they are when written, the writes
# committed since (which their triggers added) stay counted once.
_FILL = """
WITH filling AS (
    SELECT key, query FROM jobs_searchkey WHERE language = %(language)s AND NOT ready
),
matched AS (
    SELECT key, region_id = (SELECT id FROM locales_region WHERE code = 'worldwide') AS worldwide,
           countries, workplace, employment_type, seniority, count(*) AS n
    FROM jobs_jobposting JOIN filling ON search_vector @@ filling.query
    WHERE language = %(language)s AND status = 'published' AND hidden_at IS NULL
    GROUP BY 1, 2, 3, 4, 5, 6
),
seen AS (
    SELECT key, country, workplace, employment_type, seniority, count AS n
    FROM jobs_searchcount JOIN filling USING (key)
    WHERE language = %(language)s
),
visible AS (
    SELECT key, ''::varchar(2) AS country, workplace, employment_type, seniority, sum(n) AS n
    FROM matched GROUP BY key, workplace, employment_type, seniority
    UNION ALL
    SELECT key, code, workplace, employment_type, seniority, sum(n)
    FROM matched, LATERAL (SELECT DISTINCT unnest(
        CASE WHEN worldwide THEN ARRAY['*']::varchar(2)[] ELSE countries END
    )) AS listed (code)
    GROUP BY key, code, workplace, employment_type, seniority
),
deltas AS (
    SELECT key, country, workplace, employment_type, seniority,
           coalesce(visible.n, 0) - coalesce(seen.n, 0) AS n
    FROM visible FULL JOIN seen USING (key, country, workplace, employment_type, seniority)
)
INSERT INTO jobs_searchcount (language, key, country, workplace, employment_type, seniority, count)
SELECT %(language)s, key, country, workplace, employment_type, seniority, n
FROM deltas WHERE n <> 0
ORDER BY key, country, workplace, employment_type, seniority
ON CONFLICT (language, key, country, workplace, employment_type, seniority)
DO UPDATE SET count = jobs_searchcount.count + EXCLUDED.count
"""


def search_keys_refresh(*, language: str) -> dict[str, int]:
    """Count the language's commonest searches from now on (and no longer the others):
    returns how many keys were added and dropped."""
    added, dropped = _changes(language)
    if added or dropped:
        with transaction.atomic(), connection.cursor() as cursor:
            # SHARE ROW EXCLUSIVE: it waits for every writer, as SHARE would, and for another
            # refresh too, which may have changed the keys meanwhile.
            cursor.execute("LOCK TABLE jobs_jobposting IN SHARE ROW EXCLUSIVE MODE")
            added, dropped = _changes(language)
            SearchKey.objects.filter(language=language, key__in=dropped).delete()
            SearchCount.objects.filter(language=language, key__in=dropped).delete()
            SearchKey.objects.bulk_create(
                SearchKey(language=language, key=key, query=query) for key, query in added.items()
            )
    search_keys_fill(language=language)
    return {"added": len(added), "dropped": len(dropped)}


def _changes(language: str) -> tuple[dict[str, str], list[str]]:
    """The keys to add (with their queries) and to drop."""
    with connection.cursor() as cursor:
        cursor.execute(
            _WANTED,
            {
                "config": SEARCH_CONFIGS[language],
                "language": language,
                "common": COMMON_POSTINGS,
                # At most this many keys per language: each is tested against every posting a
                # statement writes (settings.JOBS_COUNTED_SEARCHES).
                "most": settings.JOBS_COUNTED_SEARCHES,
            },
        )
        wanted = dict(cursor.fetchall())
    current = set(SearchKey.objects.filter(language=language).values_list("key", flat=True))
    added = {key: query for key, query in wanted.items() if key not in current}
    return added, [key for key in current if key not in wanted]


def search_keys_fill(*, language: str) -> None:
    """Count the postings of the keys not yet filled, and let the lists read them."""
    with transaction.atomic(), connection.cursor() as cursor:
        # One fill at a time: a second one's snapshot would not see what the first added.
        # Waiting here, it then finds the keys filled (READ COMMITTED reads them again).
        cursor.execute(
            "SELECT id FROM jobs_searchkey WHERE language = %s AND NOT ready FOR UPDATE",
            [language],
        )
        if not cursor.fetchall():
            return
        cursor.execute(_FILL, {"language": language})
        SearchKey.objects.filter(language=language, ready=False).update(ready=True)


# A key's cells summed as the facets need them: per country (with the workplace, type and
# seniority chosen) and per combination of those three (in the chosen country's cells).
_SUMS = """
WITH chosen AS ({chosen}),
cells AS (
    SELECT jobs_searchcount.* FROM jobs_searchcount JOIN chosen USING (key)
    WHERE language = %(language)s AND count <> 0
)
SELECT '#', NULL, NULL, NULL, 0 FROM chosen
UNION ALL
SELECT country, NULL, NULL, NULL, sum(count) FROM cells
WHERE country <> '' AND (%(workplace)s::text IS NULL OR workplace = %(workplace)s)
  AND (%(employment_type)s::text IS NULL OR employment_type = %(employment_type)s)
  AND (%(seniority)s::text IS NULL OR seniority = %(seniority)s)
GROUP BY country
UNION ALL
SELECT NULL, workplace, employment_type, seniority, sum(count) FROM cells
WHERE country = ANY(%(slices)s::varchar(2)[])
GROUP BY workplace, employment_type, seniority
"""


def key_cells(query: SearchQuery, language: str, *, chosen: dict, slices: list[str]):
    """When `query` is a key of the language whose counts are filled: how many match per
    country ("*" for the whole world) with the `chosen` workplace, type and seniority (a
    None is any), and per combination of those in the `slices` of countries ("" for every
    posting once). None when it is not one."""
    database = router.db_for_read(SearchCount)
    keys = SearchKey.objects.using(database).filter(
        language=language, ready=True, key=Cast(query, output_field=TextField())
    )
    chosen_sql, chosen_params = keys.values("key").query.sql_with_params()
    with connections[database].cursor() as cursor:
        # The key's own statement, then named parameters: psycopg takes one style only.
        statement = _SUMS.replace(
            "{chosen}",
            chosen_sql % tuple(f"%(chosen_{index})s" for index in range(len(chosen_params))),
        )
        cursor.execute(
            statement,
            {
                **{f"chosen_{index}": value for index, value in enumerate(chosen_params)},
                "language": language,
                "slices": slices,
                **chosen,
            },
        )
        rows = cursor.fetchall()
    if not rows:
        return None
    by_country = {code: n for code, _w, _t, _s, n in rows if code not in (None, "#")}
    combinations = {(w, t, s): n for code, w, t, s, n in rows if code is None}
    return by_country, combinations


__all__ = ["key_cells", "search_keys_fill", "search_keys_refresh"]
