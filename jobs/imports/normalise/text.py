"""Text as feeds send it, made plain: one clean line, folded words, checked URLs."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from jobs.rendering import detect_format, unescape_escaped_html
from locales.collation import fold

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


# An address in running text, and the words that make it where to apply: "Bewerbung per
# E-Mail an jobs@…", "envía tu CV a …", "send your résumé to …". Folded.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_APPLYING = re.compile(
    r"apply|application|send|resume|(?<![a-z])cv(?![a-z])|bewerb|bewirb|lebenslauf|unterlagen|"
    r"postul|candidat|envi[ea]|envoy|curricul|inscri|interess"
)
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[^\W\d])|\n")


def email_to_apply(plain: str) -> str:
    """The address a description asks candidates to write to, when the feed gives no other
    way to apply; empty when none is named beside words of applying."""
    if "@" not in plain:
        return ""
    for sentence in _SENTENCES.split(plain):
        if "@" in sentence and _APPLYING.search(fold(sentence)):
            for match in _EMAIL.finditer(sentence):
                address = match.group(0).rstrip(".")
                try:
                    EmailValidator()(address)
                except ValidationError:
                    continue
                return address
    return ""


_HEADING_BLOCK = re.compile(r"<h[1-6][^>]*>.*?</h[1-6]>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def body_text(description_html: str) -> str:
    """The rendered description's text without its headings: what its language is told by
    ("Requirements" over a German text is German)."""
    text = _TAG.sub(" ", _HEADING_BLOCK.sub(" ", description_html))
    return " ".join(html.unescape(text).split())


# --- Descriptions, before they are rendered ----------------------------------------------

_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
# Tags a board uses for text that is never shown to the reader: tracking codes for
# LinkedIn, BeBee and others ("#LI-Remote", "#LI-DNI"), kept in the text for their robots.
_TRACKING_TAGS = re.compile(r"(?<![\w&/])#(?:LI|BI|IND|ZR|J)-[A-Za-z0-9_-]+")
# Block containers that mark paragraphs in the source but are not in the allowed markup:
# without them, Lever's <div> paragraphs run together.


def tracking_tags(description: str) -> str:
    """The tracking hashtags of a description ("#LI-Remote"), dropped from what readers see
    but still saying something of the job."""
    if "#" not in description:
        return ""
    return " ".join(_TRACKING_TAGS.findall(description))


_BLOCK_OPEN = re.compile(r"<(?:div|section|article|header|footer|main|aside)\b[^>]*>", re.I)
_BLOCK_CLOSE = re.compile(r"</(?:div|section|article|header|footer|main|aside)\s*>", re.I)
_DOUBLE_BREAK = re.compile(r"(?:\s*<br\s*/?>\s*){2,}", re.I)
_ANY_BLOCK = re.compile(r"<(?:p|div|ul|ol|h[1-6]|table|section|article|blockquote|pre)\b", re.I)
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|<br\s*/?>|&nbsp;)*</p>", re.I)
# Cheap signs that a description may hide something, before it is parsed to find out.
_HIDDEN_HINT = re.compile(
    r"display|visibility|font-size|opacity\s*:|color\s*:\s*transparent|\bhidden\b|"
    r"class\s*=\s*[\"'][^\"'>]*\b(?:invisible|d-none|hide)\b"
)  # searched in lower-cased text: a case-blind regex is three times slower


# An accented letter's or a typographic sign's entity encoded twice: nobody writes
# "&amp;eacute;" to be read as such, so a text that has one was encoded twice throughout.
# ("&amp;lt;div&amp;gt;" alone may be a posting about HTML: it stays as written.)
_DOUBLE_ENCODED = re.compile(
    r"&amp;(?:[A-Za-z]{1,2}(?:acute|grave|circ|uml|tilde|cedil|ring|slash|lig)|[rl]squo|"
    r"[rlb]dquo|[nm]dash|nbsp|euro|pound|hellip|#\d{2,5}|#[xX][0-9A-Fa-f]{2,4});"
)
_ENCODED_ENTITY = re.compile(
    r"&amp;(?=(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});)"
)
# Characters that show nothing and break words for search and reading ("Content\u200b-Strategie").
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]|&#(?:8203|x200[bB]|65279|x[fF][eE][fF][fF]);")


def prepare_description(description: str, fmt: str) -> tuple[str, str]:
    """A feed's description as the site should render it, and its format.

    Entities in text that is not HTML are decoded once ("Operaci&oacute;n"); an encoded
    entity in HTML stays text ("&amp;lt;div&amp;gt;" shows "&lt;div&gt;", never a tag).
    Elements the source hides are dropped, as are boards' tracking hashtags; block
    containers become paragraphs.
    """
    if "&amp;" in description and _DOUBLE_ENCODED.search(description):
        # Encoded twice ("soci&amp;eacute;t&amp;eacute;", "R&amp;amp;D"): once is undone
        # here, the other by the page as for any HTML (or just below for text).
        description = _ENCODED_ENTITY.sub("&", description)
    if fmt == "text" and _ENTITY.search(description):
        description = html.unescape(description)
        if detect_format(description) == "html":
            fmt = "html"
    if "#" in description:
        description = _TRACKING_TAGS.sub("", description)
    description = _INVISIBLE.sub("", description)
    if fmt == "markdown" and "\n" in description:
        description = keep_short_lines(description)
    if fmt == "html":
        # HTML sent entity-escaped (Greenhouse's "&lt;p&gt;") is markup: unescaped here, its
        # hidden elements are found like any other's, not revealed when the page renders it.
        description = unescape_escaped_html(description)
        lowered = description.lower()
        # Hidden only through an attribute, paragraphs of breaks only with a "<br": looked
        # for as substrings first, which most descriptions lack (patterns tried at every
        # position were a tenth of normalising).
        if ("style" in lowered or "class" in lowered or "hidden" in lowered) and (
            _HIDDEN_HINT.search(lowered)
        ):
            description = drop_hidden(description)
        if (
            "<br" in lowered
            and _DOUBLE_BREAK.search(description)
            and not _ANY_BLOCK.search(description)
        ):
            # Paragraphs written as blank lines of <br>: paragraphs, as containers become.
            chunks = _DOUBLE_BREAK.split(description)
            description = "".join(f"<p>{chunk}</p>" for chunk in chunks if chunk.strip())
        if _BLOCK_OPEN.search(description):
            description = _BLOCK_CLOSE.sub("</p>\n", _BLOCK_OPEN.sub("\n<p>", description))
            description = _EMPTY_PARAGRAPH.sub("", description)
    return description, fmt


_HIDDEN_STYLE = re.compile(
    r"(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*(?:0|1px|0\.\d+)"
    r"(?:px|em|rem|pt|%)?|opacity\s*:\s*0(?:\.0+)?|(?<![\w-])color\s*:\s*transparent)"
    r"\s*(?:;|$|!)",
    re.I,
)
# The classes CSS frameworks hide an element with (Bootstrap's d-none, Tailwind's hidden and
# invisible); screen-reader-only text (sr-only) is still meant to be read, so it stays.
_HIDDEN_CLASSES = frozenset({"hidden", "invisible", "d-none", "is-hidden", "hide"})
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


class _HiddenFilter(HTMLParser):
    """Copies HTML but for the elements the source hides from its readers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.hidden_depth = 0

    @staticmethod
    def hides(attrs: list[tuple[str, str | None]]) -> bool:
        for name, value in attrs:
            if name == "hidden" or (name == "style" and value and _HIDDEN_STYLE.search(value)):
                return True
            if name == "class" and value and _HIDDEN_CLASSES.intersection(value.split()):
                return True
        return False

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if not self.hidden_depth:
                self.out.append(self.get_starttag_text() or "")
            return
        if self.hidden_depth or self.hides(attrs):
            self.hidden_depth += 1
            return
        self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag, attrs):
        if not self.hidden_depth:
            self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if self.hidden_depth:
            self.hidden_depth -= 1
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.hidden_depth:
            self.out.append(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")


def drop_hidden(fragment: str) -> str:
    """The fragment without the elements an inline style or ``hidden`` hides."""
    parser = _HiddenFilter()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)


# A line that Markdown would not join to the next: blank, a list item, a heading, a quote, a
# table row, a fence, or one that already ends in a hard break.
_MARKDOWN_BLOCK_LINE = re.compile(r"^\s*(?:$|[-*+]\s|\d+[.)]\s|#|>|\||```|~~~)|  $|\\$")
_SHORT_LINE = 60
_VERY_SHORT_LINE = 40


def keep_short_lines(text: str) -> str:
    """Markdown whose paragraphs are blocks of short lines ("Salary: …", "Benefits", "City")
    keeps a line break after each: Markdown would run them into one line. Prose wrapped at a
    fixed width (lines of similar, longer length) is left to flow as Markdown means it."""
    lines = text.split("\n")
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if (
            len(block) > 1
            and all(len(line.strip()) < _SHORT_LINE for line in block)
            and any(len(line.strip()) < _VERY_SHORT_LINE for line in block)
        ):
            out.extend(f"{line.rstrip()}  " for line in block[:-1])
            out.append(block[-1])
        else:
            out.extend(block)
        block.clear()

    for line in lines:
        if _MARKDOWN_BLOCK_LINE.search(line):
            flush()
            out.append(line)
        else:
            block.append(line)
    flush()
    return "\n".join(out)
