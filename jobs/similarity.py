"""What makes two postings similar, for the posting page's "similar open positions".

A title's words first: the words that say what the job is ("DevOps", "controller"), not the
ones every title may carry (seniority, gender markers such as "m/w/d", "h/f", joining words),
which alone made a DevOps engineer's page offer a financial controller. Then the facts a
candidate would filter on: the same seniority, type of employment, country, workplace and
company. PostgreSQL finds the newest postings sharing a telling word (jobs.selectors); they
are ranked here, in Python, over a window of a few rows.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_WORD = re.compile(r"\w+")

# Words that a title may carry whatever the job: seniority, the gender markers of German,
# French and Spanish postings, working time and place, joining words. Casefolded, unaccented.
GENERIC = frozenset(
    _WORD.findall(
        """
    senior junior jr sr lead principal staff mid middle level intern internship trainee
    entry graduate head chief confirme confirmee debutant debutante experimente pleno
    estagiario estagio practicas becario
    m w d f h x gn div all mwd mfd wmd fmd hf fh
    remote hybrid onsite fulltime parttime full part time teilzeit vollzeit
    remoto remota hibrido teletravail
    and or of for the in at with to und oder fur im bei mit et ou de des du la le les en au aux
    pour y o e em para da do das dos na no con el los las
    """
    )
)

# How much each likeness weighs: the title's telling words most (as the share of this
# posting's telling words the other title has), then each fact.
TITLE_WEIGHT = 6.0
GENERIC_WORD_WEIGHT = 0.25
FACT_WEIGHTS = {
    "seniority": 1.0,
    "employment_type": 1.0,
    "countries": 1.0,
    "workplace": 0.5,
    "company_id": 0.5,
}


@lru_cache(maxsize=4096)
def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _stem(word: str) -> str:
    """A crude stem that still tells jobs apart: "engineer" and "engineering", "manager"
    and "management" alike; PostgreSQL's stemmer has already chosen the candidates."""
    return word[:6]


def title_words(title: str) -> tuple[frozenset[str], frozenset[str]]:
    """The title's telling words and its generic ones, folded and stemmed. Numbers say
    nothing of the job ("Engineer 2") and are neither."""
    telling, generic = set(), set()
    for word in _WORD.findall(title):
        if word.isdigit():
            continue
        folded = _fold(word)
        (generic if folded in GENERIC else telling).add(_stem(folded))
    return frozenset(telling), frozenset(generic)


def query_words(title: str) -> list[str]:
    """The words of `title` a similar posting's text must share one of: its telling words,
    or all its words when it has none ("Senior (m/w/d)")."""
    words = [word for word in _WORD.findall(title) if not word.isdigit()]
    telling = [word for word in words if _fold(word) not in GENERIC]
    return telling or words


def score(posting, row) -> float:
    """How similar a candidate `row` (with the card's values and seniority) is to `posting`."""
    telling, generic = title_words(posting.title)
    row_telling, row_generic = title_words(row.title)
    total = 0.0
    if telling:
        total += TITLE_WEIGHT * len(telling & row_telling) / len(telling)
    total += GENERIC_WORD_WEIGHT * len(generic & row_generic)
    for name, weight in FACT_WEIGHTS.items():
        if _alike(getattr(posting, name), getattr(row, name)):
            total += weight
    return total


def _alike(mine, theirs) -> bool:
    if not mine or not theirs:
        return False  # a fact neither states, or one only, says nothing
    if isinstance(mine, list | tuple):
        return bool(set(mine) & set(theirs))
    return mine == theirs


def ranked(posting, rows: Iterable, limit: int) -> list:
    """`rows` (newest first) best first; among equals, the one sharing more of the text
    (PostgreSQL's `rank`), then the newer."""
    rows = list(rows)
    return sorted(rows, key=lambda row: (score(posting, row), row.rank), reverse=True)[:limit]
