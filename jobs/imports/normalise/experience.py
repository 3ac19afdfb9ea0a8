"""The years of experience a posting asks of its candidates."""

from __future__ import annotations

import re

from jobs.imports.normalise.text import fold

MAX_EXPERIENCE_YEARS = 40

_EXPERIENCE = re.compile(
    r"(?:(?:at least|minimum(?: of)?|au moins|mindestens|minimo(?: de)?|al menos|pelo menos)"
    r"\s+)?(\d{1,2})\s*\\?\+?\s*(?:(?:-|–|to|a|bis|à)\s*\d{1,2}\s*)?"
    r"(?:years?|yrs?|ans|annees|jahre|jahren|anos|anos?)(?![\w])",
)
_EXPERIENCE_CONTEXT = re.compile(
    r"experience|experiencia|erfahrung|berufserfahrung|professional|relevant|background"
)
_PERSONIO_EXPERIENCE = re.compile(r"^(?:lt-)?(\d{1,2})(?:-\d{1,2}|\+)?$")


def parse_experience(text: str, *, stated: bool = False) -> int | None:
    """Minimum years of experience: "7+ years", "5-7 Jahre", "au moins 3 ans d'expérience".

    In running text the years must sit near a word for experience ("25 days of annual
    leave" is not a requirement); a field that ``stated`` experience needs no such word.
    """
    if not text:
        return None
    folded = fold(text)
    if match := _PERSONIO_EXPERIENCE.match(folded.strip()):
        return 0 if folded.startswith("lt-") else int(match.group(1))
    for match in _EXPERIENCE.finditer(folded):
        around = folded[max(match.start() - 60, 0) : match.end() + 60]
        if stated or _EXPERIENCE_CONTEXT.search(around):
            years = int(match.group(1))
            if years <= MAX_EXPERIENCE_YEARS:
                return years
    return None
