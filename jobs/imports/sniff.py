"""Which parser reads a document: chosen by name, or recognised from its first bytes."""

from __future__ import annotations

import re
from typing import BinaryIO

from jobs.imports.base import FeedError, Parser
from jobs.imports.formats import PARSERS
from jobs.imports.formats.streams import UTF8_BOM

AUTO = "auto"
FORMATS = [AUTO, *PARSERS]
HEAD = 64 * 1024

# The first element of an XML document, past its declaration, comments and doctype.
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_PROLOGUE = re.compile(
    rb"(?:\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>))*\s*", re.DOTALL
)
_JSON_SIGNS = [
    # Most specific first: each ATS's own field names.
    ("greenhouse", (rb'"absolute_url"', rb'"internal_job_id"', rb'"requisition_id"')),
    ("lever", (rb'"hostedUrl"', rb'"descriptionPlain"', rb'"categories"')),
    ("ashby", (rb'"jobUrl"', rb'"descriptionHtml"', rb'"isListed"')),
    ("workable", (rb'"shortcode"', rb'"telecommuting"', rb'"application_url"')),
    ("jsonld", (rb'"JobPosting"', rb'"@context"')),
]


def parser_for(fmt: str, stream: BinaryIO) -> Parser:
    """The parser for ``fmt``, or the one ``auto`` recognises; FeedError if none fits."""
    if fmt != AUTO:
        try:
            return PARSERS[fmt]()
        except KeyError:
            raise FeedError("unknown_format", format=fmt) from None
    return PARSERS[sniff(stream)]()


def sniff(stream: BinaryIO) -> str:
    start = stream.tell()
    head = stream.read(HEAD)
    stream.seek(start)
    head = head.removeprefix(UTF8_BOM).lstrip()
    if head.startswith((b"{", b"[")):
        for fmt, signs in _JSON_SIGNS:
            if any(sign in head for sign in signs):
                return fmt
    elif head.startswith(b"<"):
        lowered = head[:2048].lower()
        if b"<html" in lowered or b"<!doctype html" in lowered:
            return "jsonld"
        body = head[_PROLOGUE.match(head).end() :]
        if match := _ROOT.match(body):
            root = match.group(2).decode("ascii")
            if root in {"rss", "feed", "RDF"}:
                return "rss"
            if root == "workzag-jobs":
                return "personio"
            if root == "source" or b"<job>" in head:
                return "indeed"
    raise FeedError("unrecognised_format")
