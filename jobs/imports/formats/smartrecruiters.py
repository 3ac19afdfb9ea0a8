"""SmartRecruiters' Posting API (``api.smartrecruiters.com/v1/companies/<id>/postings``): a
page of postings under ``content``, each with its job ad in named sections when the feed
carries the details (``/postings/<id>``, also accepted on its own)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from jobs.imports.base import ItemProblem, Parser, Record, build, first, text, to_datetime
from jobs.imports.formats.streams import json_jobs

SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


class SmartRecruitersParser(Parser):
    format = "smartrecruiters"
    label = "SmartRecruiters"

    @classmethod
    def recognises(cls, shape) -> bool:
        return any(
            shape.any_of(path, "refNumber", "typeOfEmployment", "experienceLevel", "jobAd")
            for path in ("content.item", "")
        )

    def parse(self, stream: BinaryIO) -> Iterator[Record | ItemProblem]:
        single = lambda posting: "name" in posting and "jobAd" in posting  # noqa: E731
        for label, posting, _root in json_jobs(stream, {"content.item"}, single):
            yield build(label, record_from_posting, posting)


def _description(posting: dict) -> str:
    sections = ((posting.get("jobAd") or {}).get("sections")) or {}
    parts = []
    for name in SECTIONS:
        section = sections.get(name) or {}
        if body := text(section.get("text")):
            title = text(section.get("title"))
            parts.append(f"<h3>{title}</h3>\n{body}" if title else body)
    return "\n".join(parts)


def record_from_posting(posting: dict) -> Record:
    location = posting.get("location") or {}
    place = text(location.get("fullLocation")) or ", ".join(
        filter(None, [text(location.get(name)) for name in ("city", "region", "country")])
    )
    workplace = ""
    if location.get("remote"):
        workplace = "remote"
    elif location.get("hybrid"):
        workplace = "hybrid"
    return Record(
        external_id=text(posting.get("id") or posting.get("uuid")),
        url=text(posting.get("postingUrl") or posting.get("ref")),
        title=text(posting["name"]),
        description=_description(posting),
        description_format="html",
        company_name=text(first(posting.get("company"), "name", "identifier")),
        language=text(first(posting.get("language"), "code", "label")),
        locations=[place] if place else [],
        countries=[text(location.get("country"))] if location.get("country") else [],
        workplace=workplace,
        employment_type=[text(first(posting.get("typeOfEmployment"), "label", "id"))],
        seniority=text(first(posting.get("experienceLevel"), "label", "id")),
        apply_url=text(posting.get("applyUrl") or posting.get("postingUrl")),
        date_posted=to_datetime(posting.get("releasedDate")),
    )
