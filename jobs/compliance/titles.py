"""Gender-neutral job titles: whether a title names one gender only, and its neutral forms.

The EU Pay Transparency Directive (2023/970, Art. 5(2)) asks for gender-neutral job titles and
ads; in Germany a title without "(m/w/d)" or a neutral form is evidence of discrimination
under the AGG. Each language marks neutrality its own way, so each has its markers (a title
that carries one is neutral) and the endings of its masculine job nouns with their neutral
forms. Only the role nouns of a title are judged: in French, Spanish and Portuguese the
words before the first "de"/"du"/"para" ("Ingeniero de Datos"), in German every word, as its
nouns are compounds ("Softwareentwickler Backend").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Text that makes a title neutral, per language: "(m/w/d)", "Entwickler*in", "(H/F)",
# "Développeur·se", "Desarrollador/a", "Desenvolvedor(a)".
_MARKERS = {
    "de": re.compile(
        r"\((?:[mwfdx]\s*/\s*){2,3}[mwfdx]?\)|\b[mwfd]\s*/\s*[mwfd]\s*/\s*[mwfdx]\b|"
        r"\w[*:_]in(?:nen)?\b|\w\s*/\s*-?in(?:nen)?\b|(?-i:[a-zäöüß](?:In|Innen)\b)|"
        r"\(\s*all genders\s*\)|\((?:gn|d)\)|\*",
        re.IGNORECASE,
    ),
    "fr": re.compile(
        r"\b[hf]\s*/\s*[hf]\b|\([hf]/[hf](?:/\w)?\)|\w[·.•-](?:e|se|euse|rice|ne|ère|ve)s?\b|"
        r"\(e\)|\w/\w*(?:euse|rice|e)\b",
        re.IGNORECASE,
    ),
    "es": re.compile(
        r"\w/a\b|\w\(a\)|\w@|\w/as\b|\b[hmf]\s*/\s*[hmf]\b|\([hmf]/[hmf](?:/\w)?\)|\w/\w+a\b",
        re.IGNORECASE,
    ),
    "pt-br": re.compile(
        r"\w\(a\)|\w/a\b|\w@|\(as\)|\b[hmf]\s*/\s*[hmf]\b|\([hmf]/[hmf](?:/\w)?\)|\w/\w+a\b",
        re.IGNORECASE,
    ),
}

# Masculine endings of German job nouns, longest first where one ends another.
_GERMAN = ("mann", "er", "or", "eur", "ent", "ant", "ist", "loge", "at", "ekt", "är")
_GERMAN_ROLES_EN = frozenset(
    [
        "engineer",
        "developer",
        "manager",
        "designer",
        "consultant",
        "analyst",
        "architect",
        "specialist",
        "scientist",
        "administrator",
        "officer",
        "assistant",
        "director",
        "owner",
        "tester",
        "writer",
        "recruiter",
        "lead",
        "head",
        "representative",
        "agent",
        "coordinator",
    ]
)
# Nouns that end like a role but are none, or are the same for every gender.
_NOT_ROLES = {
    "de": frozenset(
        [
            "oder",
            "über",
            "unter",
            "hinter",
            "junior",
            "senior",
            "partner",
            "teilzeit",
            "vollzeit",
            "der",
            "für",
            "per",
            "nur",
            "manager",
            "management",
            "center",
            "computer",
            "server",
            "cluster",
            "service",
            "student",
        ]
    ),
    "fr": frozenset(["senior", "junior", "chef", "leader", "manager"]),
    "es": frozenset(
        [
            "senior",
            "junior",
            "remoto",
            "medio",
            "tiempo",
            "completo",
            "proyecto",
            "producto",
            "desarrollo",
            "equipo",
            "semi",
            "trabajo",
            "mayor",
        ]
    ),
    "pt-br": frozenset(
        [
            "senior",
            "sênior",
            "junior",
            "júnior",
            "pleno",
            "remoto",
            "meio",
            "tempo",
            "integral",
            "projeto",
            "produto",
            "desenvolvimento",
            "trabalho",
        ]
    ),
}
# French masculine endings -> (inclusive tail after "·", feminine ending).
_FRENCH = (
    ("teur", "rice", "trice"),
    ("eur", "se", "euse"),
    ("ien", "ne", "ienne"),
    ("ier", "ère", "ière"),
    ("if", "ve", "ive"),
    ("ais", "e", "aise"),
    ("ant", "e", "ante"),
    ("ent", "e", "ente"),
    ("é", "e", "ée"),
    ("in", "e", "ine"),
)
# Spanish and Portuguese: "-or" and "-o" take "/a" in Spanish, "(a)" in Portuguese.
_IBERIAN = ("or", "o")
_ENGLISH = {
    "salesman": "salesperson",
    "saleswoman": "salesperson",
    "chairman": "chair",
    "foreman": "supervisor",
    "fireman": "firefighter",
    "waitress": "server",
    "stewardess": "flight attendant",
    "handyman": "maintenance technician",
    "cameraman": "camera operator",
    "spokesman": "spokesperson",
}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_HEAD_END = re.compile(
    r"\s(?:de|du|des|d'|del|da|do|dos|das|en|em|para|pour|chez|at|for|für)\s|[-–—|,(]"
)


@dataclass(frozen=True, slots=True)
class TitleCheck:
    """A title that names one gender: the word that does, and neutral titles to use."""

    word: str
    suggestions: tuple[str, ...]


# Feeds repeat their titles ("Software Engineer" in every run of every board), and an
# import checks each posting's: kept, since the answer depends on the two strings alone.
@lru_cache(maxsize=4096)
def check_title(title: str, language: str) -> TitleCheck | None:
    """Whether `title`, written in `language`, names one gender only (None: it is neutral,
    or the language has no rule here)."""
    language = (language or "").lower()
    if language == "en":
        return _english(title)
    marker = _MARKERS.get(language)
    if marker is None or marker.search(title):
        return None
    return {"de": _german, "fr": _french, "es": _iberian, "pt-br": _iberian}[language](
        title, language
    )


def _english(title: str) -> TitleCheck | None:
    for word in _WORD.findall(title):
        neutral = _ENGLISH.get(word.lower())
        if neutral:
            replaced = re.sub(rf"\b{re.escape(word)}\b", _cased(neutral, word), title, count=1)
            return TitleCheck(word, (replaced,))
    return None


def _german(title: str, language: str) -> TitleCheck | None:
    base = title.strip()
    for word in _WORD.findall(base):
        lower = word.lower()
        if lower in _NOT_ROLES["de"] or len(word) < 4:
            continue
        if lower in _GERMAN_ROLES_EN or (lower.endswith("in") and len(word) > 6):
            # An English role word, or a feminine form ("Entwicklerin"): marker only.
            return TitleCheck(word, (f"{base} (m/w/d)",))
        ending = next((end for end in _GERMAN if lower.endswith(end)), None)
        if ending is None or not word[:1].isupper():
            continue
        if ending == "mann":
            neutral = f"{word}/-frau"
        elif ending == "loge":
            neutral = f"{word[:-1]}*in"
        else:
            neutral = f"{word}*in"
        starred = base.replace(word, neutral, 1)
        return TitleCheck(word, (f"{base} (m/w/d)", starred))
    return None


def _french(title: str, language: str) -> TitleCheck | None:
    base = title.strip()
    for word in _head_words(base):
        lower = word.lower()
        if lower in _NOT_ROLES["fr"]:
            continue
        for ending, tail, feminine in _FRENCH:
            if lower.endswith(ending) and len(word) > len(ending) + 2:
                stem = word[: -len(ending)]
                inclusive = f"{word}·{tail}"  # développeur·se, directeur·rice
                pair = f"{word} / {stem}{feminine}"
                return TitleCheck(
                    word,
                    (
                        f"{base} (H/F)",
                        base.replace(word, inclusive, 1),
                        base.replace(word, pair, 1),
                    ),
                )
    return None


def _iberian(title: str, language: str) -> TitleCheck | None:
    base = title.strip()
    for word in _head_words(base):
        lower = word.lower()
        if lower in _NOT_ROLES[language] or len(word) < 4:
            continue
        ending = next((end for end in _IBERIAN if lower.endswith(end)), None)
        if ending is None:
            continue
        neutral = f"{word}(a)" if language == "pt-br" else f"{word}/a"
        marker = "(M/F)" if language == "pt-br" else "(H/M)"
        return TitleCheck(word, (base.replace(word, neutral, 1), f"{base} {marker}"))
    return None


def _head_words(title: str) -> list[str]:
    """The words before the first preposition or separator: the role in "Ingeniero de
    Datos", "Chef de projet", "Desenvolvedor - Remoto"."""
    head = _HEAD_END.split(f" {title} ", maxsplit=1)[0]
    return _WORD.findall(head)


def _cased(word: str, like: str) -> str:
    return word.capitalize() if like[:1].isupper() else word
