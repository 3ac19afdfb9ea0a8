"""Personio's XML feed (``<company>.jobs.personio.de/xml?language=<code>``): positions with
their description in named sections."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import BinaryIO
from urllib.parse import parse_qs, quote, urlencode, urlsplit
from xml.etree.ElementTree import Element

from jobs.imports.base import ItemProblem, Parser, Record, build, to_datetime
from jobs.imports.formats.streams import child_text, children, local_name, xml_elements
from jobs.imports.normalise.money import decimal_or_none

# Where Personio serves companies' boards (``<company>.jobs.personio.de`` and ``.com``).
_BOARD_HOSTS = (".jobs.personio.de", ".jobs.personio.com")

# Personio's employmentType and schedule together say what we call the employment type. Its
# "trainee" is an apprentice (its German boards say "Ausbildung"): no internship; its
# schedule says the hours.
_TYPES = {
    "intern": "internship",
    "freelance": "contract",
    "temporary": "temporary",
    "working_student": "part_time",
}


def _types(kind: str, schedule: str) -> list[str]:
    if kind == "trainee":
        return ["apprenticeship", schedule]
    return [_TYPES.get(kind, schedule or kind)]


class PersonioParser(Parser):
    format = "personio"
    label = "Personio"
    xml_roots = frozenset({"workzag-jobs"})

    def parse(self, stream: BinaryIO) -> Iterator[Record | ItemProblem]:
        board = board_page(self.location)
        for position, (element, _ancestors) in enumerate(xml_elements(stream, {"position"}), 1):
            yield build(f"#{position}", partial(record_from_position, board=board), element)


def board_page(location: str) -> Callable[[str], str] | None:
    """The job page of a position id on the board the feed was read from: Personio's XML
    names no page, but each position has one on its board (``/job/<id>``, in the feed's
    language), where candidates apply. None for a feed not read from a Personio board (a
    saved file): its postings are held for want of a way to apply."""
    parts = urlsplit(location)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host.endswith(_BOARD_HOSTS):
        return None
    language = parse_qs(parts.query).get("language", [""])[0]
    query = f"?{urlencode({'language': language})}" if language else ""
    return lambda external_id: f"https://{host}/job/{quote(external_id, safe='')}{query}"


def _description(position: Element) -> str:
    parts = []
    for section in position.iter():
        if local_name(section.tag) == "jobDescription":
            name, value = child_text(section, "name"), child_text(section, "value")
            if value:
                parts.append(f"<h3>{name}</h3>\n{value}" if name else value)
    return "\n".join(parts)


# Where Personio's XML puts a structured salary, and what each part may be called.
_SALARY_BLOCKS = {"salaryInformation", "salary", "compensation"}
_SALARY_MIN = ("min", "minimum", "from", "salaryMin", "minAmount")
_SALARY_MAX = ("max", "maximum", "to", "salaryMax", "maxAmount")
_SALARY_FIXED = ("amount", "value")
_SALARY_PERIOD = ("period", "interval", "unit", "salaryPeriod", "timeUnit")


def _salary(position: Element, record: Record) -> None:
    """The position's structured salary (``<salaryInformation>``), as the feed states it; the
    normalise stage checks the amounts and maps currency and period."""
    for block in position:
        if local_name(block.tag) not in _SALARY_BLOCKS or not len(block):
            continue
        fixed = decimal_or_none(child_text(block, *_SALARY_FIXED))
        low = decimal_or_none(child_text(block, *_SALARY_MIN))
        high = decimal_or_none(child_text(block, *_SALARY_MAX))
        low, high = (fixed, fixed) if low is None and high is None else (low, high)
        if low is None and high is None:
            continue
        record.salary_min, record.salary_max = low, high
        record.salary_currency = child_text(block, "currency", "currencyCode")
        record.salary_period = child_text(block, *_SALARY_PERIOD)
        return


def record_from_position(position: Element, board: Callable[[str], str] | None = None) -> Record:
    offices = [child_text(position, "office")]
    for extra in children(position, "additionalOffices"):
        offices.extend("".join(office.itertext()).strip() for office in extra)
    kind = child_text(position, "employmentType")
    schedule = child_text(position, "schedule")
    external_id = child_text(position, "id")
    record = Record(
        external_id=external_id,
        # One position id in each language's feed (``?language=de``, ``?language=en``).
        version_key=f"personio:{external_id}" if external_id else "",
        title=child_text(position, "name"),
        description=_description(position),
        description_format="html",
        company_name=child_text(position, "subcompany"),
        locations=[office for office in offices if office],
        employment_type=_types(kind, schedule),
        seniority=child_text(position, "seniority"),
        experience=child_text(position, "yearsOfExperience"),
        date_posted=to_datetime(child_text(position, "createdAt")),
    )
    if board and external_id:
        record.url = record.apply_url = board(external_id)
    _salary(position, record)
    return record
