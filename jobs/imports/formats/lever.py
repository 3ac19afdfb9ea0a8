"""Lever postings API (``api.lever.co/v0/postings/<company>?mode=json``): a list of postings
whose description comes in parts (opening, lists, closing)."""

from __future__ import annotations

from jobs.imports.base import Record, strings, text, to_datetime
from jobs.imports.formats.streams import JsonJobsParser
from jobs.imports.normalise import decimal_or_none


class LeverParser(JsonJobsParser):
    paths = frozenset({"item"})
    format = "lever"
    label = "Lever"

    @classmethod
    def recognises(cls, shape) -> bool:
        # A list of postings, or one (the single-posting endpoint): its hosted page and its
        # title under "text" beside "categories". (Ashby shares "descriptionPlain".)
        return any(
            shape.any_of(path, "hostedUrl") or shape.has(path, "text", "categories")
            for path in ("item", "")
        )

    def single(self, root: dict) -> bool:
        return "text" in root and ("hostedUrl" in root or "categories" in root)

    def record(self, job: dict) -> Record:
        return record_from_posting(job)


def _description(posting: dict) -> str:
    parts = [text(posting.get("description") or posting.get("opening"))]
    for section in posting.get("lists") or []:
        parts.append(
            f"<h3>{text(section.get('text'))}</h3><ul>{text(section.get('content'))}</ul>"
        )
    parts.append(text(posting.get("additional")))
    return "\n".join(part for part in parts if part)


def record_from_posting(posting: dict) -> Record:
    categories = posting.get("categories") or {}
    salary = posting.get("salaryRange") or {}
    locations = strings(categories.get("allLocations")) or strings(categories.get("location"))
    return Record(
        external_id=text(posting["id"]),
        url=text(posting.get("hostedUrl")),
        title=text(posting.get("text")),
        description=_description(posting),
        description_format="html",
        language=text(posting.get("language")),
        locations=locations,
        countries=strings(posting.get("country")),
        workplace=text(posting.get("workplaceType")).replace("unspecified", ""),
        employment_type=strings(categories.get("commitment")),
        salary_min=decimal_or_none(salary.get("min")),
        salary_max=decimal_or_none(salary.get("max")),
        salary_currency=text(salary.get("currency")),
        salary_period=text(salary.get("interval")),
        salary_text=text(posting.get("salaryDescriptionPlain")),
        apply_url=text(posting.get("applyUrl")),
        date_posted=to_datetime(posting.get("createdAt")),
        date_updated=to_datetime(posting.get("updatedAt")),
    )
