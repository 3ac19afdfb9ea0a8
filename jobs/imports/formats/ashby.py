"""Ashby job board API:
``api.ashbyhq.com/posting-api/job-board/<board>?includeCompensation=true``."""

from __future__ import annotations

from jobs.imports.base import Record, text, to_datetime
from jobs.imports.formats.streams import JsonJobsParser
from jobs.imports.normalise import decimal_or_none


class AshbyParser(JsonJobsParser):
    format = "ashby"
    paths = frozenset({"jobs.item"})
    label = "Ashby"

    @classmethod
    def recognises(cls, shape) -> bool:
        return any(
            shape.any_of(path, "jobUrl", "isListed", "secondaryLocations")
            for path in ("jobs.item", "")
        )

    def single(self, root: dict) -> bool:
        return "title" in root and "jobUrl" in root

    def record(self, job: dict) -> Record:
        return record_from_job(job)


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
