"""“Did you mean …?”: a search that finds nothing in this language tries the nearest words of
this language's postings (issue 22).

The words come from the published postings' titles, companies and texts, per language, as
they write them (`SearchWord`), rebuilt by a periodic task. A query's word that is not one
of them is replaced by the nearest that is, by trigrams (pg_trgm's `%` and `similarity`, on
the unaccented lower-case forms: "devloppeur" meets "développeur"); the most common wins a
tie. The suggestion and its count are cached until a posting changes.
"""

import hashlib
import re
from dataclasses import dataclass

from django.db import connection, connections, router, transaction

from jobs.caching import cached
from jobs.facets import FACETS_SCOPE
from jobs.models import SearchWord
from jobs.search_counts import search_keys_refresh
from locales.languages import Language

# Words shorter than this are left as typed: trigrams tell little about them.
MIN_LENGTH = 4
MAX_LENGTH = 40
SUGGESTION_SECONDS = 60 * 60
_WORD = re.compile(r"\w+")

# Every distinct word of a language's published postings, with how many postings hold it;
# letters only, as "simple" (no stemming) parses them, and the most common spelling of each
# unaccented form.
_CLEAR = "DELETE FROM jobs_searchword WHERE language = %(language)s"
_REFRESH = """
INSERT INTO jobs_searchword (language, word, folded, postings)
SELECT %(language)s, (array_agg(word ORDER BY ndoc DESC, word))[1], folded, max(ndoc)
FROM (
    SELECT word, ndoc, lower(unaccent(word)) AS folded
    FROM ts_stat(format(
        'SELECT to_tsvector(''simple'', title || '' '' || search_company || '' '' '
        '|| description_html) FROM jobs_jobposting WHERE status = ''published'' '
        'AND hidden_at IS NULL AND language = %%L', %(language)s))
    WHERE length(word) BETWEEN %(shortest)s AND %(longest)s AND word !~ '[[:digit:]_]'
) AS words
GROUP BY folded;
"""

_NEAREST = """
SELECT typed.word, (
    SELECT known.word FROM jobs_searchword AS known
    WHERE known.language = %(language)s AND known.folded %% typed.folded
    ORDER BY similarity(known.folded, typed.folded) DESC, known.postings DESC, known.word
    LIMIT 1
), EXISTS (
    SELECT 1 FROM jobs_searchword AS known
    WHERE known.language = %(language)s AND known.folded = typed.folded
)
FROM (SELECT word, lower(unaccent(word)) AS folded FROM unnest(%(words)s::text[]) AS word)
    AS typed
"""


def search_words_refresh(*, language: str | None = None) -> dict[str, int]:
    """Rebuild the words of one language's postings, or of every language's, and choose
    the searches whose counts are kept from them: returns how many words each has."""
    found = {}
    for code in [language] if language else Language.values:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_CLEAR, {"language": code})
            cursor.execute(
                _REFRESH,
                {"language": code, "shortest": MIN_LENGTH - 1, "longest": MAX_LENGTH},
            )
            found[code] = cursor.rowcount
        # The commonest of them have their facet counts kept (jobs.search_counts).
        search_keys_refresh(language=code)
    return found


@dataclass(frozen=True)
class Suggestion:
    query: str
    count: int


def corrected(query: str, language: str) -> str | None:
    """`query` with each word that no posting of the language holds replaced by the nearest
    one that some do; None when there is nothing to correct."""
    words = {
        word
        for word in _WORD.findall(query)
        if MIN_LENGTH <= len(word) <= MAX_LENGTH and not any(c.isdigit() for c in word)
    }
    if not words:
        return None
    # A read: a candidate page's replica when there is one.
    with connections[router.db_for_read(SearchWord)].cursor() as cursor:
        cursor.execute(_NEAREST, {"language": language, "words": sorted(words)})
        replacements = {
            typed: nearest
            for typed, nearest, known in cursor.fetchall()
            if not known and nearest and nearest.lower() != typed.lower()
        }
    if not replacements:
        return None
    return _WORD.sub(lambda match: replacements.get(match.group(0), match.group(0)), query)


def suggestion(
    query: str, language: str, *, parameters: str, count, valid_until
) -> Suggestion | None:
    """The corrected search and how many postings it finds with the list's other filters
    (`parameters`, `count(corrected)`, capped as the list counts), cached; None when no
    correction finds anything."""

    def compute():
        better = corrected(query, language)
        found = count(better) if better else 0
        return (Suggestion(better, found) if found else False), valid_until()

    key = hashlib.sha256(f"{language}?{parameters}".encode()).hexdigest()
    return cached(f"suggest:{key}", compute, scope=FACETS_SCOPE) or None
