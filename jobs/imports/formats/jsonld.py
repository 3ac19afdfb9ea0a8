"""schema.org JobPosting in JSON-LD: a JSON document (one object, a list or a ``@graph``) or
HTML pages that embed it in ``<script type="application/ld+json">``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any, BinaryIO

import json5

from jobs.imports.base import (
    ItemProblem,
    Parser,
    Record,
    build,
    strings,
    text,
    to_datetime,
    to_deadline,
)
from jobs.imports.formats.streams import json_items, json_list_items, skip_bom
from jobs.imports.normalise import decimal_or_none

HTML_CHUNK = 64 * 1024


class JsonLdParser(Parser):
    format = "jsonld"
    label = "schema.org JobPosting (JSON-LD)"

    @classmethod
    def recognises(cls, shape) -> bool:
        return "JobPosting" in shape.types() or any(
            shape.any_of(path, "@context", "@graph") for path in ("", "item")
        )

    def parse(self, stream: BinaryIO) -> Iterator[Record | ItemProblem]:
        skip_bom(stream)
        start = stream.tell()
        head = stream.read(1024).lstrip()
        stream.seek(start)
        if head.startswith(b"<"):
            blocks = _script_blocks(stream)
        elif head.startswith(b"["):
            blocks = json_list_items(stream)  # a plain list of postings: the fast path
        else:
            blocks = _json_values(stream)
        position = 0
        for value in blocks:
            if isinstance(value, ItemProblem):
                yield value
                continue
            for posting in postings_in(value):
                position += 1
                yield build(f"#{position}", record_from_jobposting, posting)


def _json_values(stream: BinaryIO) -> Iterator[Any]:
    for path, value, _root in json_items(stream, {"item", "@graph.item"}):
        if path or isinstance(value, dict):
            yield value


def postings_in(value: Any) -> Iterator[dict]:
    """Every JobPosting object in a JSON-LD value, however it is nested in lists and graphs."""
    if isinstance(value, list):
        for item in value:
            yield from postings_in(item)
    elif isinstance(value, dict):
        if "JobPosting" in strings(value.get("@type")):
            yield value
        if isinstance(value.get("@graph"), list):
            yield from postings_in(value["@graph"])
        if "ItemList" in strings(value.get("@type")):
            # A careers page's list of its openings: each a ListItem with its posting as
            # "item", or the posting itself.
            for element in value.get("itemListElement") or []:
                if isinstance(element, dict) and isinstance(element.get("item"), dict):
                    element = element["item"]
                yield from postings_in(element)


class _ScriptCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._inside = False
        self._parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and (dict(attrs).get("type") or "").strip().lower() == (
            "application/ld+json"
        ):
            self._inside, self._parts = True, []

    def handle_data(self, data: str) -> None:
        if self._inside:
            self._parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._inside:
            self._inside = False
            self.blocks.append("".join(self._parts))


def _script_blocks(stream: BinaryIO) -> Iterator[Any]:
    """The JSON of each ld+json script of an HTML page, read a chunk at a time."""
    collector = _ScriptCollector()
    count = 0
    while chunk := stream.read(HTML_CHUNK):
        collector.feed(chunk.decode("utf-8", "replace"))
        for block in collector.blocks:
            count += 1
            value = lenient_json(block)
            yield ItemProblem(f"script #{count}", "malformed_json_ld") if value is None else value
        collector.blocks.clear()
    collector.close()


# What pages wrap a script's JSON in: CDATA sections and HTML comments (old browsers').
_WRAPPERS = re.compile(r"^\s*(?:<!\[CDATA\[|<!--|//\s*<!\[CDATA\[)|(?://\s*)?(?:\]\]>|-->)\s*$")


def lenient_json(block: str) -> Any:
    """The JSON of a script block as pages really serve it, None if it cannot be read.

    Strict JSON first (nearly every page); then, without the CDATA or comment wrapper, as
    JSON5 (``json5``), which also takes ``//`` and ``/* */`` comments, trailing commas,
    single quotes and unquoted keys."""
    try:
        return json.loads(block)
    except ValueError:
        pass
    unwrapped = _WRAPPERS.sub("", block.strip())
    try:
        return json5.loads(unwrapped)
    except ValueError:
        # Several objects one after another in one block: a list of them.
        try:
            return json5.loads("[" + re.sub(r"\}\s*\{", "},{", unwrapped) + "]")
        except ValueError:
            return None


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return text(value.get("name"))
    if isinstance(value, list):
        return ", ".join(filter(None, (_name(item) for item in value)))
    return text(value)


def _places(value: Any) -> tuple[list[str], list[str]]:
    """(place names, countries) of a jobLocation: a Place, a list of them, or words."""
    locations: list[str] = []
    countries: list[str] = []
    for place in value if isinstance(value, list) else [value]:
        if isinstance(place, str):
            locations.append(place)
            continue
        if not isinstance(place, dict):
            continue
        address = place.get("address")
        if isinstance(address, dict):
            country = _name(address.get("addressCountry"))
            parts = [text(address.get("addressLocality")), text(address.get("addressRegion"))]
            locations.append(", ".join(filter(None, [*parts, country])))
            if country:
                countries.append(country)
        elif address or place.get("name"):
            locations.append(text(address) or text(place.get("name")))
    return [place for place in locations if place], countries


def _salary(value: Any, record: Record) -> None:
    if not isinstance(value, dict):
        if value:
            record.salary_text = text(value)
        return
    record.salary_currency = text(value.get("currency"))
    amount = value.get("value")
    if isinstance(amount, dict):
        record.salary_min = decimal_or_none(amount.get("minValue") or amount.get("value"))
        record.salary_max = decimal_or_none(amount.get("maxValue"))
        record.salary_period = text(amount.get("unitText"))
        if amount.get("value") in (None, "") and record.salary_max is None:
            record.salary_fixed = False  # "minValue" alone: a floor
    else:
        record.salary_min = decimal_or_none(amount)
        record.salary_period = text(value.get("unitText"))
    if record.salary_min is None and record.salary_max is None:
        record.salary_text = text(amount)


def _experience(value: Any) -> str:
    if isinstance(value, dict):
        months = decimal_or_none(value.get("monthsOfExperience"))
        if months is not None:
            return f"{months.normalize():f} months"  # 18 months are 1.5 years, not 1
        return text(value.get("description"))
    return text(value)


def record_from_jobposting(posting: dict) -> Record:
    identifier = posting.get("identifier")
    if isinstance(identifier, dict):
        identifier = identifier.get("value")
    locations, countries = _places(posting.get("jobLocation"))
    required = posting.get("applicantLocationRequirements")
    for area in required if isinstance(required, list) else [required]:
        if name := _name(area):
            countries.append(name)
    # The posting's page; else the page its "sameAs" names as the same posting.
    url = text(posting.get("url")) or next(iter(strings(posting.get("sameAs"))), "")
    record = Record(
        external_id=text(identifier),
        url=url,
        title=text(posting.get("title") or posting.get("name")),
        description=text(posting.get("description")),
        company_name=_name(posting.get("hiringOrganization")),
        language=_name(posting.get("inLanguage")),
        locations=locations,
        countries=countries,
        workplace="remote" if "TELECOMMUTE" in strings(posting.get("jobLocationType")) else "",
        employment_type=strings(posting.get("employmentType")),
        experience=_experience(posting.get("experienceRequirements")),
        apply_url=url,
        # Words, read as the description's are: "Visa sponsorship available", "Relocation".
        visa_sponsorship=text(posting.get("eligibilityToWorkRequirement"))[:300],
        relocation=text(posting.get("jobBenefits"))[:300],
        date_posted=to_datetime(posting.get("datePosted")),
        valid_through=to_deadline(posting.get("validThrough")),
    )
    _salary(posting.get("baseSalary") or posting.get("estimatedSalary"), record)
    return record
