"""The sniff stage: which parser reads a document, chosen by name or recognised from its head.

JSON is recognised by its shape, not by the first field name two formats share: the head is
read as JSON events (however it is cut off) into a ``Shape``: the root's kind and keys, and
for each list the keys of its first elements. Each format's ``recognises(shape)`` looks for
what only that format has (Ashby's ``jobUrl`` and ``isListed``, Lever's ``hostedUrl`` and
``categories``, Remote OK's legal notice as first element...). A document that more than one
format or none claims is refused with a reason, never guessed: a wrong guess would parse
zero postings. XML is recognised by its root element, HTML pages as JSON-LD carriers.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import ijson

from jobs.imports.base import FeedError, Parser
from jobs.imports.formats import PARSERS
from jobs.imports.formats.streams import UTF8_BOM

AUTO = "auto"
FORMATS = [AUTO, *PARSERS]
HEAD = 64 * 1024
# Elements of a list whose keys are kept: Remote OK puts a legal notice first.
SAMPLED_ELEMENTS = 2

# The first element of an XML document, past its declaration, comments and doctype.
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_PROLOGUE = re.compile(
    rb"(?:\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>))*\s*", re.DOTALL
)


@dataclass(slots=True)
class Shape:
    """What a JSON document's head shows of its structure.

    ``keys`` maps a path (ijson's prefixes: ``""`` the root, ``jobs.item`` the elements of
    the root's ``jobs`` list, ``item`` those of a root list) to the keys seen there, in the
    first ``SAMPLED_ELEMENTS`` elements of each list; ``values`` the first scalar at a path.
    """

    root: str = ""  # "object" or "list"
    keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    values: dict[str, Any] = field(default_factory=dict)

    def has(self, path: str, *names: str) -> bool:
        """Whether every one of ``names`` is a key at ``path``."""
        return set(names) <= self.keys.get(path, set())

    def any_of(self, path: str, *names: str) -> bool:
        return bool(set(names) & self.keys.get(path, set()))

    def types(self) -> set[str]:
        """Every ``@type`` value seen (JSON-LD)."""
        return {
            str(value)
            for path, value in self.values.items()
            if path.endswith(("@type", "@type.item"))
        }


def json_shape(head: bytes) -> Shape:
    """The shape of a JSON document from its first bytes (a cut-off head is fine)."""
    shape = Shape()
    started: dict[str, int] = defaultdict(int)
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(head)):
            if not shape.root and event in {"start_map", "start_array"}:
                shape.root = "object" if event == "start_map" else "list"
            if event == "start_map":
                started[prefix] += 1
            elif event == "map_key":
                if started[prefix] <= SAMPLED_ELEMENTS and prefix.count(".") < 4:
                    shape.keys[prefix].add(value)
            elif event not in {"end_map", "start_array", "end_array"}:
                shape.values.setdefault(prefix, value)
    except (ijson.JSONError, UnicodeDecodeError):
        pass  # the head ends mid-document, or the document is malformed: the parser says
    return shape


def parser_for(fmt: str, stream: BinaryIO, location: str = "") -> Parser:
    """The parser for ``fmt``, or the one ``auto`` recognises, for the feed read from
    ``location``; FeedError if none fits."""
    if fmt != AUTO:
        try:
            return PARSERS[fmt](location)
        except KeyError:
            raise FeedError("unknown_format", format=fmt) from None
    return PARSERS[sniff(stream)](location)


def sniff(stream: BinaryIO) -> str:
    start = stream.tell()
    head = stream.read(HEAD)
    stream.seek(start)
    head = head.removeprefix(UTF8_BOM).lstrip()
    if head.startswith((b"{", b"[")):
        return _sniff_json(json_shape(head))
    if head.startswith(b"<"):
        lowered = head[:2048].lower()
        if b"<html" in lowered or b"<!doctype html" in lowered:
            return "jsonld"
        body = head[_PROLOGUE.match(head).end() :]
        if match := _ROOT.match(body):
            root = match.group(2).decode("ascii")
            for fmt, parser in PARSERS.items():
                if root in parser.xml_roots:
                    return fmt
            if b"<job>" in head:
                return "indeed"
    raise FeedError("unrecognised_format")


def _sniff_json(shape: Shape) -> str:
    claims = [fmt for fmt, parser in PARSERS.items() if parser.recognises(shape)]
    if len(claims) == 1:
        return claims[0]
    if len(claims) > 1:
        raise FeedError("ambiguous_format", formats=", ".join(claims))
    lists = any(path.endswith(".item") and path.count(".") == 1 for path in shape.keys)
    if shape.root == "object" and not lists and not shape.any_of("", *LIST_KEYS):
        # One job on its own, of no format we know: say so rather than read nothing.
        raise FeedError("single_object")
    raise FeedError("unrecognised_format")


# Root keys under which the formats we know list their postings.
LIST_KEYS = ("jobs", "offers", "content", "data", "@graph", "postings", "items")
