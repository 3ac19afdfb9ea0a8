"""What every parser produces and the one interface they share.

Parsers are pure: a binary stream in, records out, no database and no network. They read
lazily so that memory stays flat however long the feed is, and they never raise for one bad
item: they yield an ``ItemProblem`` instead and carry on. Only a document that cannot be read
any further raises ``FeedError``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any, BinaryIO, ClassVar

from django.utils.dateparse import parse_date, parse_datetime


@dataclass(slots=True)
class Record:
    """One posting as a feed describes it, before normalisation.

    Fields hold the feed's own words ("Full-time", "Berlin, Germany", "per-year-salary");
    normalise.py maps them onto the site's choices.
    """

    external_id: str = ""
    url: str = ""
    title: str = ""
    description: str = ""
    # "html", "markdown" or "text" when the format says so; empty to detect it.
    description_format: str = ""
    company_name: str = ""
    # The language the feed declares for this posting (any spelling: "de-DE", "German").
    language: str = ""
    # Place names as written: "Remote - Latin America", "Berlin, Germany".
    locations: list[str] = field(default_factory=list)
    # Countries from structured fields: codes or names.
    countries: list[str] = field(default_factory=list)
    workplace: str = ""
    remote: bool | None = None
    employment_type: list[str] = field(default_factory=list)
    seniority: str = ""
    experience: str = ""
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    salary_currency: str = ""
    salary_period: str = ""
    # False where the feed names its one amount a minimum (schema.org's minValue alone).
    salary_fixed: bool | None = None
    # A salary given only as words: "€55k–65k per year", "competitive".
    salary_text: str = ""
    apply_url: str = ""
    apply_email: str = ""
    # Eligibility as a feed states it: "yes", true, "Visa sponsorship available", "no".
    visa_sponsorship: str = ""
    relocation: str = ""
    # The time zones or UTC offsets a remote candidate may work from: [-5, 1], ["UTC-3"].
    timezones: list[str] = field(default_factory=list)
    # What the feed calls this job in every language it publishes it in (Personio's position
    # id in each language's feed, an ATS's requisition number): the postings one key names
    # are language versions of one job (jobs.imports.versions). Empty when the feed has none.
    version_key: str = ""
    date_posted: datetime | None = None
    # When the source last changed it (a posting posted long ago but updated lately is live).
    date_updated: datetime | None = None
    valid_through: datetime | None = None

    @property
    def key(self) -> str:
        """Identity within one source: the feed's id, else the posting's canonical URL."""
        return self.external_id or self.url


@dataclass(slots=True)
class ItemProblem:
    """An item the parser could not turn into a record; the run records why and goes on."""

    item: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


class FeedError(Exception):
    """The document cannot be read (any further): malformed, forbidden XML, wrong format."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


class Parser:
    """Turns one feed document into records. Subclasses set ``format`` and ``label``, and say
    how ``auto`` recognises their documents: XML by its root element (``xml_roots``), JSON by
    what only their shape has (``recognises``, given the head's ``sniff.Shape``)."""

    format: ClassVar[str]
    label: ClassVar[str]
    xml_roots: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, location: str = "") -> None:
        # Where the feed was read from: a format whose items name no page of their own
        # (Personio's XML) builds it from the board's address.
        self.location = location

    @classmethod
    def recognises(cls, shape: Any) -> bool:
        return False

    def parse(self, stream: BinaryIO) -> Iterator[Record | ItemProblem]:
        raise NotImplementedError


# What a malformed item may raise while a parser picks it apart; anything else is a bug.
ITEM_ERRORS = (AttributeError, KeyError, IndexError, TypeError, ValueError, ArithmeticError)


def build(item: str, builder: Callable[[Any], Record], raw: Any) -> Record | ItemProblem:
    """``builder(raw)``, or the problem that stops this one item from becoming a record."""
    try:
        return builder(raw)
    except ITEM_ERRORS as error:
        return ItemProblem(item, "unreadable_item", {"error": type(error).__name__})


def first(value: Any, *names: str) -> Any:
    """The first of ``names`` a dict has a value for (None otherwise, or if not a dict)."""
    if isinstance(value, dict):
        for name in names:
            if value.get(name) not in (None, "", [], {}):
                return value[name]
    return None


def text(value: Any) -> str:
    """A feed value as one stripped string: scalars as written, lists joined, None empty."""
    if value is None or isinstance(value, dict):
        return ""
    if isinstance(value, list):
        return ", ".join(part for part in (text(item) for item in value) if part)
    return str(value).strip()


def to_datetime(value: Any) -> datetime | None:
    """A feed's date in any of its usual spellings, as an aware datetime; None if unreadable.

    ISO 8601 (JSON-LD, Greenhouse, Atom), RFC 822 (RSS), milliseconds since the epoch
    (Lever), a bare date (Workable).
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        if isinstance(value, int | float | Decimal):
            seconds = float(value) / (1000 if value > 10**11 else 1)
            return datetime.fromtimestamp(seconds, tz=UTC)
        value = str(value).strip().removesuffix(" UTC")  # Recruitee: "2026-11-03 10:12:00 UTC"
        parsed = parse_datetime(value)
        if parsed is None and (day := parse_date(value)):
            parsed = datetime.combine(day, time.min)
        if parsed is None:
            parsed = parsedate_to_datetime(value)
    except (ValueError, TypeError, OverflowError, OSError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


_BARE_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def to_deadline(value: Any) -> datetime | None:
    """A closing date (``validThrough``, ``close_at``, ``expires_at``) as an aware datetime: a
    bare day ("2026-12-31") is open until that day ends, not closed as it begins."""
    parsed = to_datetime(value)
    if parsed is not None and isinstance(value, str) and _BARE_DAY.fullmatch(value.strip()):
        return datetime.combine(parsed.date(), time.max, tzinfo=UTC)
    return parsed


def strings(value: Any) -> list[str]:
    """A value that feeds give as one string or a list of them, as a list."""
    if value is None:
        return []
    if isinstance(value, list):
        return [t for t in (text(item) for item in value) if t]
    return [t] if (t := text(value)) else []
