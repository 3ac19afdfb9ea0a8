"""The language a posting is written in, and the languages it asks of its candidates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycld2
from django.conf import settings

from jobs.imports.normalise.result import Skip
from locales.collation import fold
from locales.languages import Language

# Enough text for a sure guess; lingua's time grows with the text. On the demo postings, the
# seeds, every fixture and the bench feed (428 texts), 200 characters already gave the same
# verdict as 2,000 for every one, each with confidence 1.0: 1,000 leaves a wide margin and
# halves the detection of a long posting.
DETECTION_SAMPLE = 1_000
DETECTION_MIN_LENGTH = 40
DETECTION_MIN_CONFIDENCE = 0.6
# For the short texts CLD2 declines, decided by lingua: a surer verdict, or a person decides.
SHORT_MIN_CONFIDENCE = 0.9
# The languages job feeds carry, by ISO 639-1 code: the site's own and those a posting may be
# written in though the site does not offer them. A detector that knows only the site's
# languages files a Polish posting under whichever of them is closest; knowing these, it
# tells "Polish" and the posting is skipped. Lingua knows 75; these cover the feeds of Europe,
# the Americas and Asia that boards aggregate, and each one more costs it time (CLD2, which
# reads long texts first, knows them all and more).
DETECTED_LANGUAGES = [
    "en", "fr", "de", "es", "pt", "it", "nl", "pl", "cs", "sk", "hu", "ro", "bg", "hr", "sl",
    "sv", "da", "nb", "fi", "et", "lt", "lv", "tr", "ru", "uk", "el", "ja", "zh", "ko", "ar",
    "he", "hi", "vi", "id",
]  # fmt: skip

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


def site_languages() -> dict[str, str]:
    """The site's language for each primary code it offers ("pt" -> "pt-br"): a setting, so
    a sixth language is one more entry in ``LANGUAGES``."""
    return {code.split("-")[0]: code for code, _name in settings.LANGUAGES}


def language_code(declared: str) -> str | None:
    """Our code for a declared language ("de-DE", "pt_BR", "Deutsch"), None if unsupported.

    Portuguese in any variant is filed under pt-br, the one Portuguese version of the site.
    """
    primary = re.split(r"[-_\s]", fold(declared.strip()), maxsplit=1)[0]
    site = site_languages()
    code = LANGUAGE_ALIASES.get(primary)
    if code is not None and code.split("-")[0] in site:
        return code
    return site.get(primary)


@dataclass(frozen=True, slots=True)
class Detection:
    """What the text says of its language, whether or not the site offers it."""

    # ISO 639-1 code of the likeliest language ("pl", "ja"); empty when the text is too thin.
    language: str = ""
    confidence: float = 0.0
    # The share of the confidence that falls on the site's languages.
    site_share: float = 0.0
    # How sure the detector must be: more for a short text, where a few foreign words (a
    # Spanish line of English tool names) can tip it to a neighbouring language.
    sure_at: float = DETECTION_MIN_CONFIDENCE
    foreign_at: float = 1 - DETECTION_MIN_CONFIDENCE

    @property
    def sure(self) -> bool:
        return bool(self.language) and self.confidence >= self.sure_at

    @property
    def site_language(self) -> str | None:
        """The site's code for the detected language; None when the site does not offer it."""
        return site_languages().get(self.language) if self.language else None

    @property
    def foreign(self) -> bool:
        """Written in languages the site does not offer, though maybe unsure which one."""
        return bool(self.language) and self.site_share <= self.foreign_at


# CLD2 names a few languages by older codes.
_CLD2_CODES = {"iw": "he", "no": "nb", "zh-Hant": "zh"}
# "un" is CLD2's unknown; Latin is the lorem ipsum of templates, never a posting's language.
_PLACEHOLDER = frozenset({"un", "la"})


def detect(text: str) -> Detection:
    """The language the text is written in, among all the languages feeds carry.

    CLD2 reads a long text in tens of microseconds and knows 80 languages; it tells how much
    of the text is in each, so a body half in one language, half in another, is unsure. It
    refuses to guess on short or muddled text, and lingua, slower but made for short text,
    decides those among ``DETECTED_LANGUAGES``. (Lingua alone over that wider set took 1.5 ms
    a posting, five times the import's whole share for normalising: bench/normalise_speed.py.)
    """
    sample = text[:DETECTION_SAMPLE]
    if len(sample.strip()) < DETECTION_MIN_LENGTH:
        return Detection()
    try:
        reliable, _found, details = pycld2.detect(sample, isPlainText=True)
    except pycld2.error:
        reliable, details = False, ()
    shares: dict[str, float] = {}
    site = site_languages()
    if reliable:
        for _name, code, percent, _score in details:
            code = _CLD2_CODES.get(code, code).split("-")[0]
            if percent and code not in _PLACEHOLDER:
                shares[code] = shares.get(code, 0) + percent
    total = sum(shares.values())
    if not total:
        # A template's lorem ipsum reads as Latin: no language to tell, as a text too short.
        return Detection() if reliable else _detect_short(sample)
    best = max(shares, key=shares.__getitem__)
    in_site = sum(share for code, share in shares.items() if code in site)
    return Detection(best, shares[best] / total, in_site / total)


@cache
def _detector():
    # Imported here: the detector's models load on first use, not when Django starts.
    from lingua import IsoCode639_1, LanguageDetectorBuilder
    from lingua import Language as Lingua

    codes = dict.fromkeys([*DETECTED_LANGUAGES, *site_languages()])
    languages = [Lingua.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in codes]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def _detect_short(sample: str) -> Detection:
    values = _detector().compute_language_confidence_values(sample)
    site = site_languages()
    in_site = sum(
        value.value for value in values if value.language.iso_code_639_1.name.lower() in site
    )
    best = values[0]
    return Detection(
        best.language.iso_code_639_1.name.lower(),
        best.value,
        in_site,
        sure_at=SHORT_MIN_CONFIDENCE,
        foreign_at=1 - SHORT_MIN_CONFIDENCE,
    )


def detect_language(text: str) -> str | None:
    """The site language the text is written in, or None when it is too thin to tell or in a
    language the site does not offer."""
    detection = detect(text)
    return detection.site_language if detection.sure else None


def resolve_language(
    declared: str,
    body: str,
    default: str,
    *,
    title: str = "",
    evidence: dict[str, Any] | None = None,
) -> tuple[str, tuple[str, dict[str, Any]] | None]:
    """The posting's language, and a reason for review when the text contradicts the feed or
    cannot tell. Raises ``Skip("unsupported_language")`` for a text the site cannot list.

    The body decides, not the title or the headings ("Senior Engineer" over a German text is
    German): the caller passes the body's paragraphs, and the title counts only when the body
    is too thin alone. The text wins over a declaration, so the posting is listed where its
    readers are, and a moderator confirms; with no declaration the text decides, and only
    when it cannot the run's default applies.
    """
    detection = detect(body)
    if not detection.language and title:
        detection = detect(f"{title}\n{body}")
    declared_code = language_code(declared) if declared else None
    if evidence is not None:
        evidence["language"] = {
            "declared": declared[:20],
            "detected": detection.language,
            "confidence": round(detection.confidence, 2),
        }
    if detection.sure or detection.foreign:
        code = detection.site_language
        if code is None or detection.foreign:
            confidence = f"{detection.confidence:.2f}"
            raise Skip("unsupported_language", language=detection.language, confidence=confidence)
        if declared and declared_code != code:
            return code, ("language_mismatch", {"declared": declared[:20], "detected": code})
        return code, None
    if declared:
        if declared_code is None:
            raise Skip("unsupported_language", language=declared[:20])
        code = declared_code
    elif detection.site_language:
        code = detection.site_language
    elif default:
        code = default
    else:
        raise Skip("unknown_language")
    if detection.language:
        # Long enough to tell, yet split between languages: a person decides.
        confidence = f"{detection.confidence:.2f}"
        return code, (
            "language_uncertain",
            {"language": code, "detected": detection.language, "confidence": confidence},
        )
    return code, None


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


def language_requirements(text: str, evidence: dict | None = None) -> list[dict[str, str]]:
    """CEFR levels the posting names: "English C1", "C1-level English", "Deutsch (B2)"."""
    folded = fold(text)
    if not _ANY_LEVEL.search(folded):
        return []
    found = []
    phrases = []
    for code, pattern in _LANGUAGE_LEVELS:
        if match := pattern.search(folded):
            level = match.group("level") or match.group("level2")
            found.append({"language": str(code), "level": level.upper()})
            phrases.append(match.group(0).strip()[:40])
    if evidence is not None and phrases:
        evidence["language_requirements"] = "description: " + "; ".join(phrases)
    return found
