"""“Did you mean …?”: a search that finds nothing in this language tries the nearest words of
this language's postings (issue 22).

The words come from the published postings' titles, companies and texts, per language, as
they write them (`SearchWord`), rebuilt by a periodic task. A query's word that is not one
of them is replaced by the nearest that is, by trigrams (pg_trgm's `%` and `similarity`, on
the unaccented lower-case forms: "devloppeur" meets "développeur"); the most common wins a
tie. The suggestion and its count are cached until a posting changes.

The same words complete the word a candidate is still typing (`completions`): "engineeri"
stands for the stems of the commonest words it begins ("engineering": "engin"), which the
stem of "engineeri" itself does not begin.
"""

import hashlib
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.db import connection, connections, router, transaction

from jobs.caching import cached
from jobs.facets import FACETS_SCOPE
from jobs.models import SearchWord
from jobs.search_counts import COMMON_POSTINGS, search_keys_refresh
from locales.languages import SEARCH_CONFIGS, Language

# Words shorter than this are left as typed: trigrams tell little about them.
MIN_LENGTH = 4
MAX_LENGTH = 40
SUGGESTION_SECONDS = 60 * 60
_WORD = re.compile(r"\w+")
# An unfinished word stands for at most this many stems, of the commonest words it begins
# among at most COMPLETION_WORDS of them.
COMPLETIONS = 12
COMPLETION_WORDS = 60
# Each process keeps the completions it looked up, the least recently used dropped first
# past COMPLETIONS_KEPT: a list page asks for them once for each language it counts, and a
# round trip to the shared cache each time cost more than the lookup itself (bench/RESULTS.md).
# The words change only when they are rebuilt, every few hours; a process sees a rebuild
# elsewhere within COMPLETIONS_SECONDS.
COMPLETIONS_KEPT = 4_096
COMPLETIONS_SECONDS = 5 * 60


class _Kept:
    """What a process keeps of the words' lookups: at most COMPLETIONS_KEPT answers, each
    for COMPLETIONS_SECONDS, the least recently used dropped first."""

    def __init__(self) -> None:
        self._answers: OrderedDict[tuple[str, str], tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers share a process

    def get(self, key: tuple[str, str], look_up):
        now = time.monotonic()
        with self._lock:
            held = self._answers.get(key)
            if held is not None and now < held[0]:
                self._answers.move_to_end(key)
                return held[1]
        answer = look_up()
        with self._lock:
            self._answers[key] = (now + COMPLETIONS_SECONDS, answer)
            self._answers.move_to_end(key)
            while len(self._answers) > COMPLETIONS_KEPT:
                self._answers.popitem(last=False)
        return answer

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


_completed = _Kept()
_commonest = _Kept()

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


# How many postings hold the commonest word that begins `typed`: a range of the index
# search_word_prefix, as below.
_COMMONEST = """
SELECT max(known.postings) FROM jobs_searchword AS known
WHERE known.language = %(language)s AND known.folded ~>=~ lower(unaccent(%(typed)s))
    AND known.folded ~<~ (lower(unaccent(%(typed)s)) || chr(1114111))
"""

# The stems of the commonest words that begin `typed` (a range of the index
# search_word_prefix: byte-wise, as the pattern operators compare), unless `typed` is a word
# itself: a finished word keeps its own stem alone.
_COMPLETIONS = """
WITH typed AS (SELECT lower(unaccent(%(typed)s)) AS folded)
SELECT stemmed.lexeme
FROM (
    SELECT known.word, known.postings FROM jobs_searchword AS known, typed
    WHERE known.language = %(language)s
        AND known.folded ~>=~ typed.folded AND known.folded ~<~ (typed.folded || chr(1114111))
        AND NOT EXISTS (  -- of `typed` alone, so tested once
            SELECT 1 FROM jobs_searchword AS whole, typed AS finished
            WHERE whole.language = %(language)s AND whole.folded = finished.folded
        )
    ORDER BY known.postings DESC, known.folded
    LIMIT %(words)s
) AS begun
CROSS JOIN LATERAL unnest(to_tsvector(%(config)s::regconfig, begun.word)) AS stemmed
WHERE stemmed.lexeme ~ '^[[:alpha:]]+$'
GROUP BY stemmed.lexeme
ORDER BY max(begun.postings) DESC, stemmed.lexeme
LIMIT %(stems)s
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
    completions_forget()
    return found


# The language's commonest words that the list searches as one word (stop words give none,
# hyphenated words two), as the postings write them.
_COMMON = """
SELECT word FROM jobs_searchword
WHERE language = %(language)s AND postings >= %(common)s AND numnode(
    to_tsquery(%(config)s::regconfig, trim(jobboard_terms(word, true)) || ':*')
) = 1
ORDER BY postings DESC, word
LIMIT %(most)s
"""


def common_words(language: str, *, most: int) -> list[str]:
    """At most `most` of the language's words in COMMON_POSTINGS postings or more, the
    commonest first: those whose search reads the most matches."""
    with connection.cursor() as cursor:
        cursor.execute(
            _COMMON,
            {
                "language": language,
                "config": SEARCH_CONFIGS[language],
                "common": COMMON_POSTINGS,
                "most": most,
            },
        )
        return [word for (word,) in cursor.fetchall()]


def completions(typed: str, language: str) -> tuple[str, ...]:
    """The stems, in `language`'s search configuration, of the commonest words of its
    postings that begin `typed`, the word a candidate may still be typing; none for a short
    word (too many begin it), a word of the postings itself (it is finished) or a word that
    begins none. Kept by the process (`_completed`)."""
    if not MIN_LENGTH <= len(typed) <= MAX_LENGTH or not typed.isalpha():
        return ()
    return _completed.get((language, typed.lower()), lambda: completions_uncached(typed, language))


def completions_forget() -> None:
    """Drop the words' lookups this process holds: the words were rebuilt."""
    _completed.clear()
    _commonest.clear()


def postings_holding(typed: str, language: str) -> int:
    """How many published postings of `language` hold the commonest word that begins with
    `typed` (`typed` itself included), by the words of the last rebuild: no more than a
    search for `typed` finds, which matches it as a prefix and by its stem. 0 for a word too
    short or long to be kept. Kept by the process, as completions are."""
    if not MIN_LENGTH <= len(typed) <= MAX_LENGTH or not typed.isalpha():
        return 0
    return _commonest.get((language, typed.lower()), lambda: _postings_holding(typed, language))


def _postings_holding(typed: str, language: str) -> int:
    with connections[router.db_for_read(SearchWord)].cursor() as cursor:
        cursor.execute(_COMMONEST, {"typed": typed, "language": language})
        (postings,) = cursor.fetchone()
        return postings or 0


def completions_uncached(typed: str, language: str) -> tuple[str, ...]:
    """`completions` read from the database (the bench times it)."""
    with connections[router.db_for_read(SearchWord)].cursor() as cursor:
        cursor.execute(
            _COMPLETIONS,
            {
                "typed": typed,
                "language": language,
                "config": SEARCH_CONFIGS[language],
                "words": COMPLETION_WORDS,
                "stems": COMPLETIONS,
            },
        )
        # Letters only reach the raw query the stems are put in (jobs.querysets).
        return tuple(lexeme for (lexeme,) in cursor.fetchall() if lexeme.isalpha())


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
