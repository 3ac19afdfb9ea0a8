"""Ashby job board API:
``api.ashbyhq.com/posting-api/job-board/<board>?includeCompensation=true``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from jobs.imports.base import ItemProblem, Parser, Record, build, text, to_datetime
from jobs.imports.formats.streams import json_jobs
from jobs.imports.normalise import decimal_or_none


class AshbyParser(Parser):
    format = "ashby"
    label = "Ashby"

    @classmethod
    def recognises(cls, shape) -> bool:
        return any(
            shape.any_of(path, "jobUrl", "isListed", "secondaryLocations")
            for path in ("jobs.item", "")
        )

    def parse(self, stream: BinaryIO) -> Iterator[Record | ItemProblem]:
        single = lambda job: "title" in job and "jobUrl" in job  # noqa: E731
        for label, job, _root in json_jobs(stream, {"jobs.item"}, single):
            yield build(label, record_from_job, job)


def record_from_job(job: dict) -> Record:
    address = (job.get("address") or {}).get("postalAddress") or {}
    secondary = [text(place.get("location")) for place in job.get("secondaryLocations") or []]
    record = Record(
        external_id=text(job.get("id")),
        url=text(job.get("jobUrl")),
        title=text(job["title"]),
        description=text(job.get("descriptionHtml") or job.get("descriptionPlain")),
        description_format="html" if job.get("descriptionHtml") else "",
        language=text(job.get("language")),
        locations=[place for place in [text(job.get("location")), *secondary] if place],
        countries=[text(address.get("addressCountry"))] if address.get("addressCountry") else [],
        workplace=text(job.get("workplaceType")),
        remote=bool(job.get("isRemote")) or None,
        employment_type=[text(job.get("employmentType"))],
        apply_url=text(job.get("applyUrl")),
        date_posted=to_datetime(job.get("publishedAt")),
    )
    compensation = job.get("compensation") or {}
    for component in compensation.get("summaryComponents") or []:
        if text(component.get("compensationType")).casefold() == "salary":
            record.salary_min = decimal_or_none(component.get("minValue"))
            record.salary_max = decimal_or_none(component.get("maxValue"))
            record.salary_currency = text(component.get("currencyCode"))
            record.salary_period = text(component.get("interval"))
            break
    else:
        record.salary_text = text(compensation.get("compensationTierSummary"))
    return record
