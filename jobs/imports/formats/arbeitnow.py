"""Arbeitnow's job board API (``www.arbeitnow.com/api/job-board-api``): ``data`` holds jobs
with their company, one place, a remote flag, tags and job types; dates are Unix seconds."""

from __future__ import annotations

from typing import Any

from jobs.imports.base import strings
from jobs.imports.formats.streams import BoardJobsParser


class ArbeitnowParser(BoardJobsParser):
    format = "arbeitnow"
    paths = frozenset({"data.item"})
    id_key = "slug"
    date_key = "created_at"
    label = "Arbeitnow"

    @classmethod
    def recognises(cls, shape) -> bool:
        return shape.has("data.item", "company_name", "job_types") or shape.has(
            "data.item", "slug", "company_name", "tags"
        )

    def facts(self, job: dict) -> dict[str, Any]:
        return {
            "locations": strings(job.get("location")),
            "remote": bool(job.get("remote")) or None,
            "employment_type": strings(job.get("job_types")),
        }
