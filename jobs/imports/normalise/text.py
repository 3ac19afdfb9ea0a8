"""Text as feeds send it, made plain: one clean line, folded words, checked URLs."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

MAX_URL = 500

WORDLESS = re.compile(r"\W+")
_STRIP_ALL = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"}, link_rel=None)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: Any) -> str:
    """One line of plain text: no markup, no entities, no control characters."""
    if value is None:
        return ""
    value = str(value)
    if not value:
        return ""
    if "<" in value or "&" in value:
        value = html.unescape(_STRIP_ALL.clean(value))
    return " ".join(_CONTROL.sub(" ", value).split())


_COMBINING = re.compile(r"[\u0300-\u036f]")


def fold(value: str) -> str:
    """Lower case without accents: "Télétravail" and "teletravail" compare equal."""
    value = value.casefold()
    if value.isascii():
        return value
    return _COMBINING.sub("", unicodedata.normalize("NFKD", value))


def cut(value: str, limit: int) -> str:
    head = value[:limit]
    space = head.rfind(" ")
    return (head[:space] if space > limit * 0.8 else head).rstrip()


_URL = URLValidator(schemes=["http", "https"])
_PATH_START = re.compile(r"[/?#]")
_SPACE = re.compile(r"\s")


def valid_url(value: str) -> bool:
    """``URLValidator``'s verdict, reached once per origin: a feed's URLs share a few.

    Its pattern allows anything but white space after the host, and its other checks read
    only the part before the path; so a URL is valid when its origin is and the rest has no
    white space. (Unless an "@" follows: then the pattern may read part of the path as a
    user name, and the whole URL goes to the validator.)
    """
    separator = value.find("://")
    if separator >= 0 and len(value) <= _URL.max_length:
        path = _PATH_START.search(value, separator + 3)
        end = path.start() if path else len(value)
        rest = value[end:]
        if "@" not in rest:
            return _valid_origin(value[:end]) and not _SPACE.search(rest)
    return _validates(value)


@lru_cache(maxsize=4096)
def _valid_origin(origin: str) -> bool:
    return _validates(origin)


def _validates(value: str) -> bool:
    try:
        _URL(value)
    except ValidationError:
        return False
    return True


def checked_url(value: str, name: str, note) -> str:
    value = clean_text(value)
    if not value:
        return ""
    if len(value) > MAX_URL:
        note("dropped_long_url", field=name, length=len(value), limit=MAX_URL)
        return ""
    if not valid_url(value):
        note("dropped_bad_url", field=name, value=value[:100])
        return ""
    return value


_HEADING_BLOCK = re.compile(r"<h[1-6][^>]*>.*?</h[1-6]>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def body_text(description_html: str) -> str:
    """The rendered description's text without its headings: what its language is told by
    ("Requirements" over a German text is German)."""
    text = _TAG.sub(" ", _HEADING_BLOCK.sub(" ", description_html))
    return " ".join(html.unescape(text).split())
