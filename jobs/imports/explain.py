"""Why a posting got each of its facts: what ``import_jobs --dry-run --explain`` prints.

The contract with the normalise stage is one small value, ``Explained(fact, value, why)``.
A normaliser that knows why it chose a value may attach a list of them to its result as
``Normalised.explanations`` (or plain ``(fact, value, why)`` tuples); ``explain`` prefers
those, fact by fact, and otherwise says where the value came from as far as the record
shows it (a structured field of the feed, or the text). Facts are named as in ``FACTS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jobs.imports.base import Record

FACTS = (
    "language", "countries", "workplace", "employment_type", "seniority", "experience",
    "salary", "language_requirements",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Explained:
    """One fact of a posting, its value as it would be stored, and why."""

    fact: str
    value: Any
    why: str


def fact_values(fields: dict[str, Any]) -> dict[str, Any]:
    """The facts of a normalised posting's fields, as shown to an operator."""
    low, high = fields.get("salary_min"), fields.get("salary_max")
    salary = ""
    if low is not None or high is not None:
        amount = f"{low}" if high in (None, low) else f"{low or ''}–{high}"
        salary = " ".join(
            filter(None, [amount, fields.get("salary_currency"), fields.get("salary_period")])
        )
    return {
        "language": fields.get("language") or "",
        "countries": list(fields.get("countries") or []),
        "workplace": fields.get("workplace") or "",
        "employment_type": fields.get("employment_type") or "",
        "salary": salary,
        "experience": fields.get("experience_years_min"),
        "seniority": fields.get("seniority") or "",
        "language_requirements": [
            f"{need['language']} {need['level']}"
            for need in fields.get("language_requirements") or []
        ],
    }


def explain(record: Record, normalised: Any) -> list[Explained]:
    """Every fact of ``FACTS`` with its value and a reason."""
    values = fact_values(normalised.fields)
    given = {}
    for entry in getattr(normalised, "explanations", None) or ():
        explained = entry if isinstance(entry, Explained) else Explained(*entry)
        given[explained.fact] = explained
    evidence = getattr(normalised, "evidence", None) or {}
    return [
        given.get(fact)
        or Explained(
            fact,
            values[fact],
            _evidence(fact, values[fact], evidence) or _why(fact, values[fact], record),
        )
        for fact in FACTS
    ]


def _evidence(fact: str, value: Any, evidence: dict[str, Any]) -> str:
    """The phrase or field a fact was read from, as the normalise stage noted it."""
    if fact == "language" and (seen := evidence.get("language")):
        parts = [f"declared {seen['declared']!r}"] if seen.get("declared") else []
        if seen.get("detected"):
            parts.append(f"the text reads as {seen['detected']!r} ({seen['confidence']:.2f})")
        return ", ".join(parts)
    if fact == "countries" and value and (places := evidence.get("places")):
        parts = []
        if places.get("countries"):
            parts.append(_field("countries", places["countries"]))
        if places.get("locations"):
            parts.append("the places " + repr(places["locations"]))
        if places.get("region"):
            parts.append(f"the region {places['region']!r}")
        return "; ".join(parts)
    if fact == "experience" and value is not None and (phrase := evidence.get("experience")):
        return f"the phrase: {phrase.strip()!r}"
    if fact == "salary" and evidence.get("salary") == "salary fields":
        return ""  # the record's own fields say it better (_why)
    if value not in ("", None, []) and isinstance(seen := evidence.get(fact), str):
        return seen
    return ""


def _field(name: str, value: Any) -> str:
    return f"the feed's {name} field: {value!r}"


def _why(fact: str, value: Any, record: Record) -> str:
    if value in ("", None, []):
        return "nothing in the feed or the text said it"
    if fact == "language":
        if record.language:
            return _field("language", record.language) + ", checked against the text"
        return "detected in the title and description"
    if fact == "countries":
        if record.countries:
            return _field("countries", record.countries)
        if record.locations:
            return "read from the places " + repr(record.locations)
        return "a place named in the description"
    if fact == "workplace":
        if record.workplace or record.remote is not None:
            return _field("workplace", record.workplace or f"remote={record.remote}")
        return "read from the places, title or description"
    if fact == "employment_type":
        return _field("employment type", record.employment_type)
    if fact == "salary":
        if record.salary_min is not None or record.salary_max is not None:
            return "the feed's structured salary" + (
                f" (currency {record.salary_currency!r}, period {record.salary_period!r})"
            )
        if record.salary_text:
            return _field("salary", record.salary_text)
        return "a salary phrase in the description"
    if fact == "experience":
        if record.experience:
            return _field("experience", record.experience)
        return "a phrase of the description asking for years of experience"
    if fact == "seniority":
        return _field("seniority", record.seniority) if record.seniority else "the title"
    if fact == "language_requirements":
        return "a language and a CEFR level named in the description"
    return ""
