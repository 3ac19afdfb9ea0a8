"""Teamtailor's API (``api.teamtailor.com/v1/jobs?include=locations``), JSON:API: ``data``
holds the jobs (``type: jobs``), their fields under ``attributes`` with dashed names, and
their places as references resolved in ``included``. The places follow the jobs in the
document, so the page is read whole before its jobs come out (the API pages by 30)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from jobs.imports.base import ItemProblem, Parser, Record, build, text, to_datetime, to_deadline
from jobs.imports.formats.streams import json_items
from jobs.imports.normalise import decimal_or_none

_WORKPLACE = {"fully": "remote", "hybrid": "hybrid", "none": "onsite", "temporary": "hybrid"}
_PERIODS = {"monthly": "month", "yearly": "year", "hourly": "hour", "weekly": "week",
            "daily": "day", "annual": "year"}  # fmt: skip


class TeamtailorParser(Parser):
    format = "teamtailor"
    label = "Teamtailor"

    @classmethod
    def recognises(cls, shape) -> bool:
        return "jobs" in {shape.values.get("data.item.type"), shape.values.get("data.type")}

    def parse(self, stream: BinaryIO) -> Iterator[Record | ItemProblem]:
        jobs: list[dict] = []
        included: dict[tuple[str, str], dict] = {}
        for path, value, root in json_items(stream, {"data.item", "included.item"}):
            if path == "data.item" and isinstance(value, dict):
                jobs.append(value)
            elif path == "included.item" and isinstance(value, dict):
                included[(text(value.get("type")), text(value.get("id")))] = value
            elif not path and isinstance(root, dict) and isinstance(root.get("data"), dict):
                jobs.append(root["data"])  # one job: /v1/jobs/<id>
        for position, job in enumerate(jobs, 1):
            if text(job.get("type")) in {"jobs", ""}:
                yield build(f"#{position}", lambda j: record_from_job(j, included), job)


def _related(job: dict, name: str, included: dict) -> list[dict]:
    data = ((job.get("relationships") or {}).get(name) or {}).get("data")
    refs = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    found = [included.get((text(ref.get("type")), text(ref.get("id")))) for ref in refs]
    return [item.get("attributes") or {} for item in found if item]


def record_from_job(job: dict, included: dict[tuple[str, str], Any]) -> Record:
    attributes = job.get("attributes") or {}
    links = job.get("links") or {}
    places, countries = [], []
    for place in _related(job, "locations", included):
        parts = [text(place.get("city")), text(place.get("country"))]
        places.append(", ".join(filter(None, parts)) or text(place.get("name")))
        if place.get("country"):
            countries.append(text(place.get("country")))
    body = "\n".join(filter(None, [text(attributes.get("pitch")), text(attributes.get("body"))]))
    return Record(
        external_id=text(job.get("id")),
        url=text(links.get("careersite-job-url")),
        title=text(attributes["title"]),
        description=body,
        description_format="html",
        language=text(attributes.get("language-code")),
        locations=[place for place in places if place],
        countries=countries,
        workplace=_WORKPLACE.get(text(attributes.get("remote-status")), ""),
        employment_type=[text(attributes.get("employment-type"))],
        seniority=text(attributes.get("employment-level")),
        salary_min=decimal_or_none(attributes.get("min-salary")),
        salary_max=decimal_or_none(attributes.get("max-salary")),
        salary_currency=text(attributes.get("currency")),
        salary_period=_PERIODS.get(text(attributes.get("salary-time-unit")), ""),
        apply_url=text(
            links.get("careersite-job-apply-url") or attributes.get("external-application-url")
        ),
        date_posted=to_datetime(attributes.get("created-at")),
        date_updated=to_datetime(attributes.get("updated-at")),
        valid_through=to_deadline(attributes.get("end-date")),
    )
