"""Jobicy's API (``jobicy.com/api/v2/remote-jobs``): ``jobs`` of remote work, each with
``jobGeo`` (where candidates may live), types and level, and a yearly salary range."""

from __future__ import annotations

from jobs.imports.base import Record, strings, text, to_datetime
from jobs.imports.formats.streams import JsonJobsParser
from jobs.imports.normalise import decimal_or_none


class JobicyParser(JsonJobsParser):
    format = "jobicy"
    paths = frozenset({"jobs.item"})
    label = "Jobicy"

    @classmethod
    def recognises(cls, shape) -> bool:
        return shape.any_of("jobs.item", "jobTitle", "jobGeo", "jobSlug")

    def record(self, job: dict) -> Record:
        return record_from_job(job)


def record_from_job(job: dict) -> Record:
    url = text(job.get("url"))
    low = decimal_or_none(job.get("annualSalaryMin"))
    high = decimal_or_none(job.get("annualSalaryMax"))
    level = text(job.get("jobLevel"))
    return Record(
        external_id=text(job.get("id") or job.get("jobSlug")),
        url=url,
        title=text(job["jobTitle"]),
        description=text(job.get("jobDescription") or job.get("jobExcerpt")),
        description_format="html",
        company_name=text(job.get("companyName")),
        locations=strings(job.get("jobGeo")),
        workplace="remote",
        employment_type=strings(job.get("jobType")),
        seniority="" if level.casefold() == "any" else level,
        salary_min=low,
        salary_max=high,
        salary_currency=text(job.get("salaryCurrency")) if low or high else "",
        salary_period=text(job.get("salaryPeriod")) or ("year" if low or high else ""),
        apply_url=url,
        date_posted=to_datetime(job.get("pubDate")),
    )
