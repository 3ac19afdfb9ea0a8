"""Workable's widget API (``apply.workable.com/api/v1/widget/accounts/<account>?details=true``):
the account's name, then its jobs. The same jobs as its account API (``/spi/v3/jobs``) gives
them come with a ``location`` object, their requirements and benefits apart from the
description, and a salary."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import BinaryIO

from jobs.imports.base import ItemProblem, Parser, Record, build, text, to_datetime
from jobs.imports.formats.streams import json_items
from jobs.imports.normalise import decimal_or_none


class WorkableParser(Parser):
    format = "workable"
    label = "Workable"

    @classmethod
    def recognises(cls, shape) -> bool:
        return shape.any_of("jobs.item", "shortcode", "telecommuting", "application_url")

    def parse(self, stream: BinaryIO) -> Iterator[Record | ItemProblem]:
        for position, (path, job, root) in enumerate(json_items(stream, {"jobs.item"}), 1):
            if path:
                company = text(root.get("name")) if isinstance(root, dict) else ""
                yield build(f"#{position}", partial(record_from_job, company=company), job)


def record_from_job(job: dict, *, company: str) -> Record:
    locations = []
    countries = []
    location = job.get("location") if isinstance(job.get("location"), dict) else {}
    for place in job.get("locations") or ([location] if location else []):
        if place.get("hidden"):
            continue
        locations.append(
            ", ".join(filter(None, [text(place.get("city")), text(place.get("country"))]))
        )
        countries.append(
            text(place.get("countryCode") or place.get("country_code") or place.get("country"))
        )
    if not locations:
        locations = [", ".join(filter(None, [text(job.get("city")), text(job.get("country"))]))]
        countries = [text(job.get("country"))]
    salary = job.get("salary") if isinstance(job.get("salary"), dict) else {}
    # The account API keeps the requirements and benefits apart: they are the posting's text
    # too (its experience, its pay).
    parts = [text(job.get(name)) for name in ("description", "requirements", "benefits")]
    return Record(
        external_id=text(job.get("shortcode") or job.get("code")),
        url=text(job.get("url") or job.get("shortlink")),
        title=text(job["title"]),
        description="\n".join(part for part in parts if part),
        description_format="html",
        company_name=company,
        language=text(job.get("language")),
        locations=[place for place in locations if place],
        countries=[country for country in countries if country],
        remote=bool(job.get("telecommuting") or location.get("telecommuting")) or None,
        workplace=text(job.get("workplace_type") or location.get("workplace_type")),
        employment_type=[text(job.get("employment_type"))],
        seniority=text(job.get("experience")),
        apply_url=text(job.get("application_url")),
        salary_min=decimal_or_none(salary.get("salary_from")),
        salary_max=decimal_or_none(salary.get("salary_to")),
        salary_currency=text(salary.get("salary_currency")),
        date_posted=to_datetime(job.get("published_on") or job.get("created_at")),
    )
