"""Sorting words the way readers expect: "Émirats" with the E's, "Österreich" with the O's.

The embedded PostgreSQL is built without ICU, so collation happens here, with the Unicode
Collation Algorithm's default table (pyuca); lists we sort this way are short.
"""

from functools import cache, lru_cache

from pyuca import Collator


@cache
def _collator() -> Collator:
    return Collator()  # loads the collation table once per process


# The same few hundred names (countries, in five languages) are sorted on every list page:
# their keys never change, so each process keeps them.
@lru_cache(maxsize=4096)
def collation_key(text: str) -> tuple[int, ...]:
    return _collator().sort_key(text)
