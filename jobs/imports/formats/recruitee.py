"""Recruitee's careers site API (``<company>.recruitee.com/api/offers/``): ``offers``, each
with its description and requirements as HTML, places, a structured salary and the three
workplace flags (``remote``, ``hybrid``, ``on_site``). ``{"offer": {...}}`` is one offer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from jobs.imports.base import ItemProblem, Parser, Record, build, text, to_datetime, to_deadline
from jobs.imports.formats.streams import json_jobs
from jobs.imports.normalise import decimal_or_none

# Recruitee's employment_type_code, in the words the normaliser reads.
_TYPES = {
    "fulltime": "Full-time",
    "fulltime_permanent": "Full-time",
    "fulltime_fixed_term": "Full-time",
    "parttime": "Part-time",
    "parttime_permanent": "Part-time",
    "parttime_fixed_term": "Part-time",
    "contract": "Contract",
    "freelance": "Contract",
    "temporary": "Temporary",
    "internship": "Internship",
    "traineeship": "Internship",
}


class RecruiteeParser(Parser):
    format = "recruitee"
    label = "Recruitee"

    @classmethod
    def recognises(cls, shape) -> bool:
        return shape.any_of(
            "offers.item", "careers_url", "careers_apply_url", "employment_type_code"
        ) or shape.any_of("offer", "careers_url", "careers_apply_url")

    def parse(self, stream: BinaryIO) -> Iterator[Record | ItemProblem]:
        single = lambda root: isinstance(root.get("offer"), dict)  # noqa: E731
        for label, offer, root in json_jobs(stream, {"offers.item"}, single):
            yield build(
                label, record_from_offer, offer.get("offer", offer) if offer is root else offer
            )


def _workplace(offer: dict) -> str:
    if offer.get("remote"):
        return "remote"
    if offer.get("hybrid"):
        return "hybrid"
    return "onsite" if offer.get("on_site") else ""


def record_from_offer(offer: dict) -> Record:
    places = [text(offer.get("location"))]
    countries = [text(offer.get("country_code") or offer.get("country"))]
    for place in offer.get("locations") or []:
        if isinstance(place, dict):
            parts = [text(place.get(name)) for name in ("city", "state", "country")]
            places.append(", ".join(filter(None, parts)))
            countries.append(text(place.get("country_code") or place.get("country")))
    salary = offer.get("salary") or {}
    requirements = text(offer.get("requirements"))
    return Record(
        external_id=text(offer.get("id") or offer.get("slug")),
        url=text(offer.get("careers_url")),
        title=text(offer["title"]),
        description="\n".join(filter(None, [text(offer.get("description")), requirements])),
        description_format="html",
        company_name=text(offer.get("company_name")),
        language=text(offer.get("language_code") or offer.get("lang_code")),
        locations=list(dict.fromkeys(place for place in places if place)),
        countries=list(dict.fromkeys(country for country in countries if country)),
        workplace=_workplace(offer),
        employment_type=[_TYPES.get(text(offer.get("employment_type_code")), "")],
        seniority=text(offer.get("experience_code")).replace("_", " "),
        salary_min=decimal_or_none(salary.get("min")),
        salary_max=decimal_or_none(salary.get("max")),
        salary_currency=text(salary.get("currency")),
        salary_period=text(salary.get("period")),
        apply_url=text(offer.get("careers_apply_url") or offer.get("careers_url")),
        date_posted=to_datetime(offer.get("published_at") or offer.get("created_at")),
        date_updated=to_datetime(offer.get("updated_at")),
        valid_through=to_deadline(offer.get("close_at")),
    )
