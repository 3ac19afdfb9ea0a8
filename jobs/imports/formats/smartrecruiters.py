"""SmartRecruiters' Posting API (``api.smartrecruiters.com/v1/companies/<id>/postings``): a
page of postings under ``content``, each with its job ad in named sections when the feed
carries the details (``/postings/<id>``, also accepted on its own)."""

from __future__ import annotations

from jobs.imports.base import Record, first, text, to_datetime
from jobs.imports.formats.streams import JsonJobsParser

SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


class SmartRecruitersParser(JsonJobsParser):
    format = "smartrecruiters"
    paths = frozenset({"content.item"})
    label = "SmartRecruiters"

    @classmethod
    def recognises(cls, shape) -> bool:
        return any(
            shape.any_of(path, "refNumber", "typeOfEmployment", "experienceLevel", "jobAd")
            for path in ("content.item", "")
        )

    def single(self, root: dict) -> bool:
        return "name" in root and "jobAd" in root

    def record(self, job: dict) -> Record:
        return record_from_posting(job)


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
        # One requisition's postings in several languages share its reference number.
        version_key=f"smartrecruiters:{ref}" if (ref := text(posting.get("refNumber"))) else "",
        date_posted=to_datetime(posting.get("releasedDate")),
    )
