"""Remotive's API (``remotive.com/api/remote-jobs``): a legal notice and a count, then
``jobs``, all remote; where a candidate may live is ``candidate_required_location``, the
salary words as the company wrote them."""

from __future__ import annotations

from typing import Any

from jobs.imports.base import strings, text
from jobs.imports.formats.streams import BoardJobsParser


class RemotiveParser(BoardJobsParser):
    format = "remotive"
    paths = frozenset({"jobs.item"})
    id_key = "id"
    date_key = "publication_date"
    label = "Remotive"

    @classmethod
    def recognises(cls, shape) -> bool:
        return shape.any_of("jobs.item", "candidate_required_location") or shape.any_of(
            "", "0-legal-notice", "job-count"
        )

    def facts(self, job: dict) -> dict[str, Any]:
        return {
            "locations": strings(job.get("candidate_required_location")),
            "workplace": "remote",
            "employment_type": [text(job.get("job_type")).replace("_", " ")],
            "salary_text": text(job.get("salary")),
        }
