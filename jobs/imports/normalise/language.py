"""The language a posting is written in, and the languages it asks of its candidates."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jobs.imports.normalise.result import Skip
from jobs.imports.normalise.text import fold
from locales.languages import Language

# Enough text for a sure guess; lingua's time grows with the text. On the demo postings, the
# seeds, every fixture and the bench feed (428 texts), 200 characters already gave the same
# verdict as 2,000 for every one, each with confidence 1.0: 1,000 leaves a wide margin and
# halves the detection of a long posting.
DETECTION_SAMPLE = 1_000
DETECTION_MIN_LENGTH = 40
DETECTION_MIN_CONFIDENCE = 0.6


_LANGUAGE_NAMES = {
    Language.ENGLISH: "en eng english anglais englisch ingles",
    Language.FRENCH: "fr fra fre french francais franzosisch frances",
    Language.GERMAN: "de deu ger german deutsch allemand aleman alemao",
    Language.SPANISH: "es spa spanish espanol espagnol spanisch espanhol castellano",
    Language.PORTUGUESE_BR: "pt por portuguese portugues portugais portugiesisch",
}
LANGUAGE_ALIASES = {
    alias: str(code) for code, names in _LANGUAGE_NAMES.items() for alias in names.split()
}


def language_code(declared: str) -> str | None:
    """Our code for a declared language ("de-DE", "pt_BR", "Deutsch"), None if unsupported.

    Portuguese in any variant is filed under pt-br, the one Portuguese version of the site.
    """
    primary = re.split(r"[-_\s]", fold(declared.strip()), maxsplit=1)[0]
    return LANGUAGE_ALIASES.get(primary)


@cache
def _detector():
    # Imported here: the detector's models load on first use, not when Django starts.
    from lingua import Language as Lingua
    from lingua import LanguageDetectorBuilder

    languages = {
        Lingua.ENGLISH: Language.ENGLISH,
        Lingua.FRENCH: Language.FRENCH,
        Lingua.GERMAN: Language.GERMAN,
        Lingua.SPANISH: Language.SPANISH,
        Lingua.PORTUGUESE: Language.PORTUGUESE_BR,
    }
    detector = LanguageDetectorBuilder.from_languages(*languages).build()
    return detector, {language.name: code for language, code in languages.items()}


def detect_language(text: str) -> str | None:
    """The site language the text is written in, or None when the text is too thin to tell."""
    sample = text[:DETECTION_SAMPLE]
    if len(sample.strip()) < DETECTION_MIN_LENGTH:
        return None
    detector, codes = _detector()
    best = detector.compute_language_confidence_values(sample)[0]
    if best.value < DETECTION_MIN_CONFIDENCE:
        return None
    return str(codes[best.language.name])


def resolve_language(
    declared: str, text: str, default: str
) -> tuple[str, tuple[str, dict[str, Any]] | None]:
    """The posting's language, and a reason for review when the text contradicts the feed.

    A declared language is checked against the text; the text wins, so the posting is
    listed where its readers are, and a moderator confirms. With no declaration the text
    decides, and only when it cannot the run's default applies.
    """
    detected = detect_language(text)
    if declared:
        code = language_code(declared)
        if code is None:
            raise Skip("unsupported_language", language=declared[:20])
        if detected and detected != code:
            return detected, ("language_mismatch", {"declared": code, "detected": detected})
        return code, None
    if detected:
        return detected, None
    if default:
        return default, None
    raise Skip("unknown_language")


_LEVEL = r"(?P<level>[abc][12])"
_LANGUAGE_WORDS = {
    Language.ENGLISH: "english|anglais|englisch|ingles",
    Language.FRENCH: "french|francais|franzosisch|frances",
    Language.GERMAN: "german|allemand|deutsch|aleman|alemao",
    Language.SPANISH: "spanish|espagnol|spanisch|espanol|espanhol",
    Language.PORTUGUESE_BR: "portuguese|portugais|portugiesisch|portugues",
}
_LANGUAGE_LEVELS = [
    (
        code,
        re.compile(
            rf"(?<![\w])(?:{words})(?![\w])[\s:*()\-]{{0,6}}(?:\w+[\s:*()\-]{{1,4}}){{0,2}}"
            rf"{_LEVEL}(?![\w])|(?<![\w]){_LEVEL.replace('level', 'level2')}(?![\w])"
            rf"[\s\-]{{0,3}}(?:level\s+|niveau\s+|nivel\s+)?(?:{words})(?![\w])"
        ),
    )
    for code, words in _LANGUAGE_WORDS.items()
]


# Every pattern above needs a level standing alone as a word; most postings name none, and
# this one plain pattern tells so in one pass instead of five.
_ANY_LEVEL = re.compile(r"(?<![\w])[abc][12](?![\w])")


def language_requirements(text: str) -> list[dict[str, str]]:
    """CEFR levels the posting names: "English C1", "C1-level English", "Deutsch (B2)"."""
    folded = fold(text)
    if not _ANY_LEVEL.search(folded):
        return []
    found = []
    for code, pattern in _LANGUAGE_LEVELS:
        if match := pattern.search(folded):
            level = match.group("level") or match.group("level2")
            found.append({"language": str(code), "level": level.upper()})
    return found
