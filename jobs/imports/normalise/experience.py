"""The years of experience a posting asks of its candidates."""

from __future__ import annotations

import re
from decimal import Decimal

from locales.collation import fold

MAX_EXPERIENCE_YEARS = 40

# A whole figure: "144 months" is twelve years, not the "44 months" at its end.
_YEARS = r"(?<![\d.,])\d{1,3}(?:[.,]\d)?"
# What joins the ends of a range: "3-5", "3 to 5", "entre 3 y 5", "zwischen 3 und 5".
_RANGE_WORD = r"(?:-|–|—|to|a|bis|à|ate|hasta|and|or|et|ou|y|o|e|und|oder)"
# From the figure (a digit, which the engine finds fast), the floor before it read after.
# "3 or more years", "2 ou plus", "drei oder mehr Jahre": a floor.
_OR_MORE_WORDS = r"(?:or|ou|o|oder) (?:more|plus|mas|mais|mehr)"
_OR_MORE = rf"(?:{_OR_MORE_WORDS}\s*)?"
# A floor written after the figure: "5+ years in", "3 or more years in".
_FLOOR = re.compile(rf"\+|{_OR_MORE_WORDS}")
_EXPERIENCE = re.compile(
    rf"({_YEARS})\s*\\?\+?\s*(?:{_RANGE_WORD}\s*{_YEARS}\s*\\?\+?\s*)?{_OR_MORE}"
    r"-?(?:(?P<years>years?|yrs?|ans?|annees?|jahre?|jahren|jahrige[rn]?|anos?)|"
    r"(?P<months>months?|mois|monate|monaten|meses))(?![\w])",
)
_LEAST = re.compile(
    r"(?<![\w])(?:at least|minimum(?: of)?|au moins|mindestens|minimo(?: de)?|al menos|"
    r"pelo menos|no minimo|min\.|mind\.)\s+$"
)
# Numbers written as words, one to ten, in the site's languages: "at least two years".
_NUMBER_WORDS = {
    word: str(number)
    for number, words in enumerate(
        [
            # "a year or two": English's article counts one, as the others' "un" and "ein".
            "a one un une uno una um uma ein eine einem einer",
            "two deux dos dois duas zwei",
            "three trois tres drei",
            "four quatre cuatro quatro vier",
            "five cinq cinco funf",
            "six seis sechs",
            "seven sept siete sete sieben",
            "eight huit ocho oito acht",
            "nine neuf nueve nove neun",
            "ten dix diez dez zehn",
        ],
        1,
    )
    for word in words.split()
}
_NUMBER_WORD = re.compile(
    rf"(?<![\w])({'|'.join(_NUMBER_WORDS)})(?=\s*{_OR_MORE}(?:\+|-|years?|ans?|annees?|jahre?n?|anos?|months?|"
    r"mois|monate|meses)(?![\w]))"
)
# "two (2) years": the number in words and again in digits, as contracts write it.
_WORD_AND_DIGITS = re.compile(rf"(?<![\w])(?:{'|'.join(_NUMBER_WORDS)})\s*\((\d{{1,2}})\)")
_EXPERIENCE_WORD = (
    r"experience|experiencia|erfahrung|berufserfahrung|professional|relevant|background|exp\b|"
    r"track record|praxis|vivencia|atuacao"
)
# The experience word in the clause after the years ("5 years of experience") or before them
# ("Experiencia: 1.5 años", "experiencia mínima de 1.5 años").
_AFTER = re.compile(rf"^[^.;\n]{{0,40}}?(?:{_EXPERIENCE_WORD})")
_BEFORE = re.compile(rf"(?:{_EXPERIENCE_WORD})[^.;\n]{{0,40}}$")
# The company's years, not the candidate's: "founded 25 years ago", "for over 20 years we".
# Nor a contract's length: "a one year contract".
_COMPANY_AFTER = re.compile(
    r"^\s*(?:ago|old|of history|in business|hace|atras|il y a|contract|contrato|contrat|"
    r"vertrag|befristet|fixed[- ]term)\b"
)
_COMPANY_BEFORE = re.compile(
    r"(?<![\w])(?:founded|established|since|for over|for more than|over the (?:last|past)|we have|"
    r"we've|our|hace|desde hace|fundad[ao]|depuis|fondee|seit|gegrundet|ha mais de|"
    # In the same line: "reviews with our largest accounts" ends a list item, not a clause.
    r"tenemos|contamos con|llevamos|temos|nous avons|wir haben|mit uber)[ \t]*(?:\w+[ \t]+){0,2}$"
)
# A contract's or an assignment's length, not experience: "CDD de 6 mois", "contrato por 12
# meses", "befristet auf 24 Monate", "a 6 months mission".
_DURATION_BEFORE = re.compile(
    r"(?:cdd|contrat|contrato|contractor|contract|contratacion|contratacao|mission|mision|missao|vertrag|"
    r"befristet|laufzeit|duree|duracion|duracao|duration|assignment|projekt|project|stage|"
    r"praktikum|internship|practicas|estagio)\s*(?::\s*)?(?:de|of|d'une|d'un|auf|por|for|fur|"
    r"von)?\s*$"
)
# Years spent doing something are asked of the candidate without the word "experience":
# "8+ years building distributed systems", "5 years leading teams", "3+ years of Python".
_DOING = re.compile(
    r"\s+(?:of\s+)?(?!during\b)(?:[a-z]{3,}ing|[a-z]{3,}(?:ando|iendo|endo|indo))\b"
)
# The years of what the candidate has done, said to them: "you have shipped production
# systems for 5+ years", "you have worked as a product manager for four years or more",
# "Du entwickelst seit mindestens vier Jahren", "vous codez depuis 3 ans". Not the company's
# years, though "since" and "for over" say those too.
_CANDIDATE_BEFORE = re.compile(
    r"(?<![\w])(?:you (?:have|ve|bring)|you'(?:ve)|du (?:hast|bist|arbeitest|entwickelst|"
    r"programmierst|bringst)|vous (?:avez|travaillez|codez|developpez)|tienes|has trabajado|"
    r"voce (?:tem|trabalha))(?![\w])[^.;\n]{0,80}?(?:for|seit|depuis|desde hace|ha|there)"
    r"\s*$"
)
_PLUS_DOING = re.compile(r"\s+(?:of|in|with|as|de|d'|en|em|mit|im|in der|con|com|avec)\b")
# The floor after the unit: "2 años o más con Liquid", "3 ans ou plus en".
_FLOOR_AFTER = re.compile(rf"\s*(?:{_OR_MORE_WORDS}){_PLUS_DOING.pattern}")
_PERSONIO_EXPERIENCE = re.compile(r"^(?:lt-)?(\d{1,2})(?:-\d{1,2}|\+)?$")


def _said_to_candidate(text: str, start: int) -> bool:
    return bool(_CANDIDATE_BEFORE.search(text, max(start - 110, 0), start))


def parse_experience(
    text: str, *, stated: bool = False, folded: bool = False, evidence: dict | None = None
) -> Decimal | None:
    """Minimum years of experience: "7–10+ years" and "entre 7 y 10 años" are 7, "1.5 años"
    1.5, "au moins 3 ans d'expérience" 3.

    In running text the years must be asked of the candidate: a word for experience in the
    same clause ("25 days of annual leave" is not a requirement), and not the company's own
    ("founded 25 years ago"). A field that ``stated`` experience needs no such word.
    ``folded``: the text is already ``fold``'s (a description's, folded once for every fact).
    """
    if not text:
        return None
    if not folded:
        text = fold(text)
    if len(text) < 40 and (match := _PERSONIO_EXPERIENCE.match(text.strip())):
        return Decimal(0) if text.startswith("lt-") else Decimal(match.group(1))
    if "(" in text:
        text = _WORD_AND_DIGITS.sub(r"\1", text)
    text = _NUMBER_WORD.sub(lambda match: _NUMBER_WORDS[match.group(1)], text)
    for match in _EXPERIENCE.finditer(text):
        start = match.start()
        least = _LEAST.search(text, max(start - 20, 0), start)
        if least:
            start = least.start()  # "contract of at least 6 months": the words before it
        before = text[max(start - 60, 0) : start]
        after = text[match.end() : match.end() + 60]
        if not stated:
            if _COMPANY_AFTER.search(after) or _DURATION_BEFORE.search(before):
                continue
            if _COMPANY_BEFORE.search(before) and not _said_to_candidate(text, start):
                continue
            if not (
                # "At least 5 years in AML compliance": a floor is asked of the candidate.
                # Months at least are a length of time more often ("für mindestens 12
                # Monate", "a minimum of 6 months"): unless what they were spent on follows
                # ("at least 6 months in retail"), their experience must be named.
                (least and (not match.group("months") or _PLUS_DOING.match(after)))
                or _AFTER.search(after)
                or _BEFORE.search(before)
                or _DOING.match(after)
                or (_FLOOR.search(match.group(0)) and _PLUS_DOING.match(after))
                or _FLOOR_AFTER.match(after)
                or _said_to_candidate(text, start)
            ):
                continue
        years = Decimal(match.group(1).replace(",", "."))
        if match.group("months"):
            years = (years / 12).quantize(Decimal("0.1"))
        if years <= MAX_EXPERIENCE_YEARS:
            if evidence is not None:
                evidence["experience"] = text[max(start - 40, 0) : match.end() + 40]
            return years
    return None
