"""Remote OK's API (``remoteok.com/api``): a list whose first element is the API's legal
notice, not a job; every job is remote, its salary yearly in US dollars."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from jobs.imports.base import ItemProblem, Parser, Record, build, strings, text, to_datetime
from jobs.imports.formats.streams import json_list_items
from jobs.imports.normalise import decimal_or_none


class RemoteOkParser(Parser):
    format = "remoteok"
    label = "Remote OK"

    @classmethod
    def recognises(cls, shape) -> bool:
        return shape.root == "list" and (
            shape.any_of("item", "legal") or shape.has("item", "position", "epoch")
        )

    def parse(self, stream: BinaryIO) -> Iterator[Record | ItemProblem]:
        position = 0
        for job in json_list_items(stream):
            if isinstance(job, dict) and "legal" in job and "position" not in job:
                continue  # the notice
            position += 1
            yield build(f"#{position}", record_from_job, job)


def record_from_job(job: dict) -> Record:
    url = text(job.get("url"))
    salary_min = decimal_or_none(job.get("salary_min")) or None
    salary_max = decimal_or_none(job.get("salary_max")) or None
    return Record(
        external_id=text(job.get("id") or job.get("slug")),
        url=url,
        title=text(job["position"]),
        description=text(job.get("description")),
        description_format="html",
        company_name=text(job.get("company")),
        locations=strings(job.get("location")),
        workplace="remote",
        employment_type=[],
        salary_min=salary_min,
        salary_max=salary_max,
        salary_currency="USD" if salary_min or salary_max else "",
        salary_period="year" if salary_min or salary_max else "",
        apply_url=text(job.get("apply_url")) or url,
        date_posted=to_datetime(job.get("date") or job.get("epoch")),
    )
