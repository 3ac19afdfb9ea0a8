"""Remotive's API (``remotive.com/api/remote-jobs``): a legal notice and a count, then
``jobs``, all remote; where a candidate may live is ``candidate_required_location``, the
salary words as the company wrote them."""

from __future__ import annotations

from jobs.imports.base import Record, strings, text, to_datetime
from jobs.imports.formats.streams import JsonJobsParser


class RemotiveParser(JsonJobsParser):
    format = "remotive"
    paths = frozenset({"jobs.item"})
    label = "Remotive"

    @classmethod
    def recognises(cls, shape) -> bool:
        return shape.any_of("jobs.item", "candidate_required_location") or shape.any_of(
            "", "0-legal-notice", "job-count"
        )

    def record(self, job: dict) -> Record:
        return record_from_job(job)


def record_from_job(job: dict) -> Record:
    url = text(job.get("url"))
    return Record(
        external_id=text(job.get("id")),
        url=url,
        title=text(job["title"]),
        description=text(job.get("description")),
        description_format="html",
        company_name=text(job.get("company_name")),
        locations=strings(job.get("candidate_required_location")),
        workplace="remote",
        employment_type=[text(job.get("job_type")).replace("_", " ")],
        salary_text=text(job.get("salary")),
        apply_url=url,
        date_posted=to_datetime(job.get("publication_date")),
    )
