"""Himalayas' API (``himalayas.app/jobs/api``): ``jobs`` of remote work whose countries are
``locationRestrictions`` (none: anywhere), with a yearly salary range, an expiry date and an
application link; dates are Unix seconds."""

from __future__ import annotations

from jobs.imports.base import Record, strings, text, to_datetime, to_deadline
from jobs.imports.formats.streams import JsonJobsParser
from jobs.imports.normalise import decimal_or_none


class HimalayasParser(JsonJobsParser):
    format = "himalayas"
    paths = frozenset({"jobs.item"})
    label = "Himalayas"

    @classmethod
    def recognises(cls, shape) -> bool:
        return shape.any_of("jobs.item", "applicationLink", "locationRestrictions", "companySlug")

    def record(self, job: dict) -> Record:
        return record_from_job(job)


def record_from_job(job: dict) -> Record:
    url = text(job.get("guid") or job.get("applicationLink"))
    low = decimal_or_none(job.get("minSalary"))
    high = decimal_or_none(job.get("maxSalary"))
    countries = strings(job.get("locationRestrictions"))
    return Record(
        external_id=url,
        url=url,
        title=text(job["title"]),
        description=text(job.get("description") or job.get("excerpt")),
        description_format="html",
        company_name=text(job.get("companyName")),
        locations=[] if countries else ["Worldwide"],
        countries=countries,
        workplace="remote",
        employment_type=strings(job.get("employmentType")),
        seniority=text(job.get("seniority")),
        salary_min=low,
        salary_max=high,
        salary_currency=text(job.get("currency")) if low or high else "",
        salary_period=text(job.get("salaryPeriod")) or ("year" if low or high else ""),
        apply_url=text(job.get("applicationLink")) or url,
        # UTC offsets a candidate may live in: [-5, -4, 1].
        timezones=strings(job.get("timezoneRestrictions")),
        date_posted=to_datetime(job.get("pubDate")),
        valid_through=to_deadline(job.get("expiryDate")),
    )
