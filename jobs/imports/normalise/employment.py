"""The site's choices for a feed's words: employment type and seniority."""

from __future__ import annotations

import re

from jobs.imports.normalise.text import fold

_EMPLOYMENT = {
    "full_time": "fulltime permanent cdi vollzeit festanstellung unbefristet tiempocompleto "
    "jornadacompleta tempointegral integral fulltimeemployee clt",
    "part_time": "parttime tempspartiel teilzeit tiempoparcial mediajornada mediotiempo "
    "meioperiodo meiotempo workingstudent werkstudent",
    "contract": "contract contractor freelance freelancer freiberuflich independant contrato "
    "autonomo pj contractual",
    "temporary": "temporary temp fixedterm cdd befristet temporal temporario seasonal interim",
    "internship": "intern internship stage stagiaire praktikum praktikant trainee "
    "apprenticeship alternance ausbildung practicas pasantia becario estagio estagiario",
}
EMPLOYMENT_TYPES = {
    word: choice for choice, words in _EMPLOYMENT.items() for word in words.split()
}


def employment_type(values: list[str]) -> str:
    for value in values:
        for part in re.split(r"[,;/|]", value):
            if choice := EMPLOYMENT_TYPES.get(re.sub(r"[^a-z]", "", fold(part))):
                return choice
    return "full_time"


_SENIORITY_FIELDS = {
    "entrylevel": "junior", "junior": "junior", "associate": "junior", "student": "junior",
    "internship": "junior", "graduate": "junior", "midlevel": "mid", "mid": "mid",
    "midseniorlevel": "mid", "experienced": "mid", "intermediate": "mid", "senior": "senior",
    "director": "lead", "executive": "lead", "lead": "lead", "principal": "lead",
    "staff": "lead", "head": "lead", "manager": "lead",
}  # fmt: skip
_SENIORITY_TITLE = [
    ("lead", r"lead|principal|staff|head of|director|directeur|directrice|leiter|leiterin|"
             r"teamleiter|jefe|jefa|lider|responsable"),
    ("senior", r"senior|sr|snr|confirme|confirmee|experimente|experimentee|erfahren|"
               r"erfahrene|erfahrener"),
    ("mid", r"mid|mid level|intermediate|intermediaire|pleno|semi senior|ssr"),
    ("junior", r"junior|jr|debutant|debutante|entry level|einsteiger|graduate|trainee|"
               r"estagiario|becario|werkstudent|praktikant"),
]  # fmt: skip
_SENIORITY_PATTERN = re.compile(
    "|".join(rf"(?P<{name}>(?<![\w])(?:{words})(?![\w]))" for name, words in _SENIORITY_TITLE)
)


def seniority(value: str, title: str) -> str:
    """The title's word ("Senior", "Pleno", "Staff") first; a feed's level field is coarser."""
    if match := _SENIORITY_PATTERN.search(fold(title)):
        return match.lastgroup or ""
    return _SENIORITY_FIELDS.get(re.sub(r"[^a-z]", "", fold(value)), "")
