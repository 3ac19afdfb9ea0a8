"""Greenhouse job board API (``boards-api.greenhouse.io/v1/boards/<board>/jobs?content=true``).

Its ``content`` is HTML with the markup entity-escaped ("&lt;p&gt;"); the renderer unescapes
it once.
"""

from __future__ import annotations

from decimal import Decimal

from jobs.imports.base import Record, text, to_datetime
from jobs.imports.formats.streams import JsonJobsParser
from jobs.imports.normalise import decimal_or_none


class GreenhouseParser(JsonJobsParser):
    format = "greenhouse"
    paths = frozenset({"jobs.item"})
    label = "Greenhouse"

    @classmethod
    def recognises(cls, shape) -> bool:
        return any(
            shape.any_of(path, "absolute_url", "internal_job_id", "requisition_id")
            for path in ("jobs.item", "")
        )

    def single(self, root: dict) -> bool:
        return "title" in root and "absolute_url" in root

    def record(self, job: dict) -> Record:
        return record_from_job(job)


def _metadata(job: dict, *names: str) -> str:
    for entry in job.get("metadata") or []:
        if isinstance(entry, dict) and text(entry.get("name")).casefold() in names:
            return text(entry.get("value"))
    return ""


def record_from_job(job: dict) -> Record:
    location = job.get("location") or {}
    offices = [
        text(office.get("location") or office.get("name")) for office in job.get("offices") or []
    ]
    record = Record(
        external_id=text(job.get("id")),
        url=text(job.get("absolute_url")),
        title=text(job["title"]),
        description=text(job.get("content")),
        description_format="html",
        company_name=text(job.get("company_name")),
        language=text(job.get("language")),
        locations=[place for place in [text(location.get("name")), *offices] if place],
        employment_type=[_metadata(job, "employment type", "employment_type", "type")],
        seniority=_metadata(job, "seniority", "level", "experience level"),
        salary_text=_metadata(job, "salary", "salary range", "compensation"),
        apply_url=text(job.get("absolute_url")),
        version_key=f"greenhouse:{req}" if (req := text(job.get("requisition_id"))) else "",
        date_posted=to_datetime(job.get("first_published") or job.get("updated_at")),
        date_updated=to_datetime(job.get("updated_at")),
    )
    for pay in job.get("pay_input_ranges") or []:
        cents = [decimal_or_none(pay.get("min_cents")), decimal_or_none(pay.get("max_cents"))]
        if cents[0] is not None:
            record.salary_min = cents[0] / Decimal(100)
            record.salary_max = cents[1] / Decimal(100) if cents[1] is not None else None
            record.salary_currency = text(pay.get("currency_type"))
            record.salary_period = "YEAR"
            break
    if record.salary_min is None:
        _custom_pay(job, record)
    return record


def _custom_pay(job: dict, record: Record) -> None:
    """Pay a board keeps in a custom field of its own: a currency range ({"unit": "EUR",
    "min_value": "62000.0", "max_value": "74000.0"}) or an amount ({"unit", "amount"}); the
    period, which such a field does not say, is told by the amount's size."""
    for entry in job.get("metadata") or []:
        value = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(value, dict) or entry.get("value_type") not in (
            "currency_range",
            "currency",
        ):
            continue
        low = decimal_or_none(value.get("min_value") or value.get("amount"))
        if low is None:
            continue
        record.salary_min = low
        record.salary_max = decimal_or_none(value.get("max_value") or value.get("amount"))
        record.salary_currency = text(value.get("unit"))
        return
