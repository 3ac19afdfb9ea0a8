"""Comparing and sorting words the way readers expect: "Télétravail" equal to "teletravail",
"Émirats" with the E's, "Österreich" with the O's.

The embedded PostgreSQL is built without ICU, so collation happens here, with the Unicode
Collation Algorithm's default table (pyuca); lists we sort this way are short.
"""

import re
import unicodedata
from functools import cache, lru_cache

from pyuca import Collator

_COMBINING = re.compile(r"[\u0300-\u036f]")


def fold(value: str) -> str:
    """Lower case without accents: "Télétravail" and "teletravail" compare equal. Most text
    is ASCII and needs no decomposing."""
    value = value.casefold()
    if value.isascii():
        return value
    return _COMBINING.sub("", unicodedata.normalize("NFKD", value))


@cache
def _collator() -> Collator:
    return Collator()  # loads the collation table once per process


# The same few hundred names (countries, in five languages) are sorted on every list page:
# their keys never change, so each process keeps them.
@lru_cache(maxsize=4096)
def collation_key(text: str) -> tuple[int, ...]:
    return _collator().sort_key(text)
