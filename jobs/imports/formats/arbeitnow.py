"""Arbeitnow's job board API (``www.arbeitnow.com/api/job-board-api``): ``data`` holds jobs
with their company, one place, a remote flag, tags and job types; dates are Unix seconds."""

from __future__ import annotations

from jobs.imports.base import Record, strings, text, to_datetime
from jobs.imports.formats.streams import JsonJobsParser


class ArbeitnowParser(JsonJobsParser):
    format = "arbeitnow"
    paths = frozenset({"data.item"})
    label = "Arbeitnow"

    @classmethod
    def recognises(cls, shape) -> bool:
        return shape.has("data.item", "company_name", "job_types") or shape.has(
            "data.item", "slug", "company_name", "tags"
        )

    def record(self, job: dict) -> Record:
        return record_from_job(job)


def record_from_job(job: dict) -> Record:
    url = text(job.get("url"))
    return Record(
        external_id=text(job.get("slug")),
        url=url,
        title=text(job["title"]),
        description=text(job.get("description")),
        description_format="html",
        company_name=text(job.get("company_name")),
        locations=strings(job.get("location")),
        remote=bool(job.get("remote")) or None,
        employment_type=strings(job.get("job_types")),
        apply_url=url,
        date_posted=to_datetime(job.get("created_at")),
    )
