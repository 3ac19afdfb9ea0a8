"""Turn a job posting's description into safe HTML.

Descriptions arrive as Markdown, HTML or plain text, often scraped from other boards and
mangled on the way. Every path ends in the same nh3 clean, so whatever a renderer or a
heuristic below produces, the output only ever contains the allow-listed markup.

Formats are the plain string values of ``jobs.models.DescriptionFormat``; importing the
model here would tie a pure text module to the ORM for no gain.
"""

from __future__ import annotations

import re
from html import escape, unescape

import nh3
from markdown_it import MarkdownIt

MARKDOWN = "markdown"
HTML = "html"
TEXT = "text"

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "hr",
        "strong", "b", "em", "i", "u", "s", "del",
        "ul", "ol", "li",
        "h1", "h2", "h3", "h4",
        "blockquote", "code", "pre",
        "a",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"colspan", "rowspan"}),
    "td": frozenset({"colspan", "rowspan"}),
}
ALLOWED_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
# Dropped together with their content: their text is code or chrome, never posting prose.
STRIPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
        "noscript", "template", "svg", "math", "textarea", "select", "button", "form",
        "head", "title",
    }
)  # fmt: skip
LINK_REL = "noopener noreferrer nofollow"

# Sections of a text description: outline_headings() places them under the page's <h1>.
SECTION_HEADING_TAG = "h2"
_SECTION_HEADING_MARK = "#" * int(SECTION_HEADING_TAG[1])

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(STRIPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(ALLOWED_URL_SCHEMES),
    # A relative link copied from another board points at a page we do not have.
    url_relative="deny",
    link_rel=LINK_REL,
)
_TEXT_ONLY_CLEANER = nh3.Cleaner(
    tags=set(), clean_content_tags=set(STRIPPED_WITH_CONTENT), link_rel=None
)

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)

# Tags that make a description HTML rather than prose that happens to contain a "<".
_HTML_TAG = re.compile(
    r"<\s*/?\s*(?:p|br|hr|div|span|strong|b|em|i|u|s|ul|ol|li|h[1-6]|a|img|table|thead|tbody"
    r"|tr|th|td|blockquote|pre|code|section|article|script|style|iframe)\b[^<>]*>",
    re.IGNORECASE,
)
_HEADING_TAG = re.compile(r"<(/?)\s*h([1-6])\b", re.IGNORECASE)
# The page's own title is its h1; a description's headings start one level below it.
FIRST_HEADING_LEVEL = 2
LAST_HEADING_LEVEL = 4
_BLOCK_BOUNDARY = re.compile(
    r"<\s*/?\s*(?:br|p|div|li|h[1-6]|tr|td|th|ul|ol|blockquote|pre|hr|table)\b[^>]*>",
    re.IGNORECASE,
)

# A lone "*" between whitespace: an inline bullet. Never part of "**" bold or "*emphasis*".
_INLINE_BULLET = re.compile(r"(?<![*\S])\*\s+(?=\S)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_FACT_LABEL = re.compile(r"\*\*[^*]{1,40}?:\*\*")
# Copy-paste leaves "**Ruby on Rails** ." with the punctuation orphaned after the bold.
_ORPHANED_PUNCTUATION = re.compile(r"(?<=\S\*\*) +([.,;:!?])(?=\s|$)")
_FLATTENED_MIN_LENGTH = 200
_FLATTENED_MIN_BULLETS = 3
_SECTION_LABEL_MAX_LENGTH = 60

_MARKDOWN_SIGNALS = (
    re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),
    re.compile(r"\\[-+*_#.!()\[\]`]"),
    re.compile(r"^#{1,6}\s+\S", re.MULTILINE),
    re.compile(r"^[ \t]*[*-][ \t]+\S", re.MULTILINE),
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),
    re.compile(r"^```", re.MULTILINE),
)

# Stripped from list items; a line only counts as a bullet when the mark stands apart.
_TEXT_BULLET = re.compile(r"^[-•*\u2013·]\s*")
_TEXT_BULLET_LINE = re.compile(r"^(?:[•·]\s*|[-*\u2013]\s+)\S")
_SENTENCE_PUNCTUATION = re.compile(r"[.!?;]")
_SECTION_LABEL_MAX_WORDS = 6


def render_description(text: str, fmt: str) -> str:
    """Render a description stored in ``fmt`` ("markdown", "html" or "text") to safe HTML."""
    text = _normalise_newlines(text or "")
    if fmt == MARKDOWN:
        rendered = _MARKDOWN.render(_restore_flattened_markdown(text))
    elif fmt == HTML:
        rendered = unescape_escaped_html(text)
    elif fmt == TEXT:
        rendered = _render_text(text)
    else:
        raise ValueError(f"Unknown description format: {fmt!r}")
    cleaned = _clean(rendered)
    return _bold_titles(cleaned) if fmt == HTML else cleaned


# A paragraph that is only a short bold phrase ("<p><strong>Vos missions</strong></p>", as
# editors and Word write a section's title), or such a phrase before a break at a
# paragraph's start ("<p><b>What you bring</b><br>…").
_BOLD_TITLE = re.compile(r"<p>\s*<(strong|b)>([^<]{2,60}?)\s*:?\s*</\1>\s*:?\s*(?:</p>|<br>\s*)")
_SENTENCE_END_MARK = re.compile(r"[.!?;,]$")
_ANY_HEADING = re.compile(r"<h[1-6]\b")


def _bold_titles(html: str) -> str:
    """A description written without headings gets its bold section titles as headings, so
    that a screen reader and the page's outline find its parts; one that has headings keeps
    its bold text as emphasis."""
    if ("<strong>" not in html and "<b>" not in html) or _ANY_HEADING.search(html):
        return html

    def heading(match: re.Match[str]) -> str:
        title = match.group(2).strip()
        if _SENTENCE_END_MARK.search(title):
            return match.group(0)
        rest = "" if match.group(0).rstrip().endswith("</p>") else "<p>"
        return f"<{SECTION_HEADING_TAG}>{title}</{SECTION_HEADING_TAG}>\n{rest}"

    return _BOLD_TITLE.sub(heading, html)


def detect_format(text: str) -> str:
    """Best guess of the format a description was written in."""
    if _HTML_TAG.search(text) or _HTML_TAG.search(unescape(text)):
        return HTML
    if any(signal.search(text) for signal in _MARKDOWN_SIGNALS):
        return MARKDOWN
    if any(_looks_flattened(line) for line in text.splitlines()):
        return MARKDOWN
    return TEXT


def summarise(html: str, length: int = 240) -> str:
    """Plain-text summary of rendered HTML, at most ``length`` characters.

    The result is unescaped text: let the template escape it.
    """
    spaced = _BLOCK_BOUNDARY.sub(" ", _clean(html))
    text = " ".join(unescape(_TEXT_ONLY_CLEANER.clean(spaced)).split())
    if len(text) <= length:
        return text
    limit = max(length - 1, 0)  # room for the ellipsis
    # One extra character shows whether the cut falls between words or inside one.
    window = text[: limit + 1]
    cut = window.rsplit(" ", 1)[0] if " " in window else text[:limit]
    cut = cut.rstrip(" ,;:.-\u2013\u2014") or text[:limit]
    return f"{cut}…"


_ANY_TAG = re.compile(r"<[^>]*>")


def text_lines(html: str) -> str:
    """The text of ``render_description``'s HTML, a line for each block (paragraph, list
    item, heading, line break): what the import reads its facts in, so that a phrase ends
    with its item ("TJM : 600 €" is not paid by the week of the next item's "2 jours par
    semaine")."""
    text = unescape(_ANY_TAG.sub("", _BLOCK_BOUNDARY.sub("\n", html)))
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def _clean(fragment: str) -> str:
    return _CLEANER.clean(outline_headings(fragment))


def outline_headings(fragment: str) -> str:
    """Headings renumbered so that the page keeps one h1 (its title) and no level is
    skipped: a description's first heading is h2, each one at most one level below the one
    before, and their relative order kept ("h1, h3, h5" become "h2, h3, h4")."""
    if "<h" not in fragment and "<H" not in fragment:
        return fragment
    levels = sorted({int(level) for _close, level in _HEADING_TAG.findall(fragment)})
    ranks = {level: FIRST_HEADING_LEVEL + index for index, level in enumerate(levels)}
    previous = FIRST_HEADING_LEVEL - 1
    open_levels: list[int] = []

    def renumber(match: re.Match[str]) -> str:
        nonlocal previous
        if match.group(1):
            level = open_levels.pop() if open_levels else previous
            return f"</h{level}"
        level = min(ranks[int(match.group(2))], previous + 1, LAST_HEADING_LEVEL)
        previous = level
        open_levels.append(level)
        return f"<h{level}"

    return _HEADING_TAG.sub(renumber, fragment)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def unescape_escaped_html(text: str) -> str:
    # Some feeds (Greenhouse) send "&lt;p&gt;": unescape once, but only when nothing is a
    # real tag, or we would turn literal "&lt;" in genuine HTML into markup.
    if not _HTML_TAG.search(text):
        unescaped = unescape(text)
        if _HTML_TAG.search(unescaped):
            return unescaped
    return text


# --- Markdown flattened onto one line -------------------------------------------------


def _looks_flattened(line: str) -> bool:
    line = line.strip()
    return (
        len(line) >= _FLATTENED_MIN_LENGTH
        and len(_INLINE_BULLET.findall(line)) >= _FLATTENED_MIN_BULLETS
    )


def _restore_flattened_markdown(text: str) -> str:
    """Give back the newlines another board stripped; other lines are left untouched."""
    if not any(_looks_flattened(line) for line in text.split("\n")):
        return text
    return "\n".join(
        _unflatten(line) if _looks_flattened(line) else line for line in text.split("\n")
    )


def _unflatten(line: str) -> str:
    line = _ORPHANED_PUNCTUATION.sub(r"\1", line.strip())
    blocks: list[str] = []
    position = 0
    for match in _BOLD.finditer(line):
        if _is_section_heading(line, match):
            blocks.append(_unflatten_body(line[position : match.start()]))
            blocks.append(f"{_SECTION_HEADING_MARK} {match.group(1).strip()}")
            position = match.end()
    blocks.append(_unflatten_body(line[position:]))
    return "\n\n".join(block for block in blocks if block) + "\n"


def _is_section_heading(line: str, match: re.Match[str]) -> bool:
    """A bold phrase standing alone between sentences, e.g. "… systems. **Requirements** * …"."""
    label = match.group(1).strip()
    if len(label) > _SECTION_LABEL_MAX_LENGTH or label[-1] in ":.,;":
        return False  # "**Location:** …" is a fact label, not a section
    before = line[: match.start()].rstrip()
    after = line[match.end() :].lstrip()
    starts_block = (
        not before
        or before[-1] in ".!?"
        # Right after another bold phrase, unless that one labelled this as its value.
        or (before.endswith("**") and not before[:-2].rstrip().endswith(":"))
    )
    opens_block = not after or bool(_INLINE_BULLET.match(after)) or after[0].isupper()
    return starts_block and opens_block


def _unflatten_body(body: str) -> str:
    lead, *items = _INLINE_BULLET.split(body.strip())
    blocks = []
    if lead.strip():
        blocks.append(_facts_or_paragraph(lead.strip()))
    items = [item.strip() for item in items if item.strip()]
    if items:
        blocks.append(_bullet_list(items))
    return "\n\n".join(blocks)


def _facts_or_paragraph(lead: str) -> str:
    # "**Location:** X **Experience:** Y" reads far better as one fact per line.
    if _FACT_LABEL.match(lead) and len(_FACT_LABEL.findall(lead)) >= 2:
        facts = re.split(r"\s+(?=" + _FACT_LABEL.pattern + ")", lead)
        return "\n".join(f"- {fact}" for fact in facts)
    return lead


def _bullet_list(items: list[str]) -> str:
    """One Markdown list; items after one ending in ":" nest until a full sentence returns.

    Flattening loses indentation, so nesting is inferred: sub-items of "Strong understanding
    of:" are typically fragments, while their siblings at the top level end with a full stop.
    """
    lines = []
    nested = False
    for item in items:
        if nested and item.endswith((".", "!", "?")):
            nested = False
        lines.append(f"{'  ' if nested else ''}- {item}")
        if not nested and item.endswith(":"):
            nested = True
    return "\n".join(lines)


# --- Plain text -----------------------------------------------------------------------


def _render_text(text: str) -> str:
    """Paragraphs, plus "Label:" lines as headings over a list of the lines that follow."""
    parts: list[str] = []
    items: list[str] = []
    in_section = False

    def close_list() -> None:
        if items:
            parts.append("<ul>\n" + "\n".join(f"<li>{item}</li>" for item in items) + "\n</ul>")
            items.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            close_list()
            in_section = False
        elif _RULE_LINE.fullmatch(line):
            close_list()
            title = _PARAGRAPH_LINE.fullmatch(parts[-1]) if parts and not in_section else None
            if title and _is_title(unescape(title.group(1))):
                # "About the role" underlined with "=====": the line above is a heading.
                parts[-1] = f"<{SECTION_HEADING_TAG}>{title.group(1)}</{SECTION_HEADING_TAG}>"
            elif not (parts and parts[-1].startswith(f"<{SECTION_HEADING_TAG}>")):
                parts.append("<hr>")  # a rule between parts ("----"), not text to read
            in_section = False
        elif _is_section_label(line):
            close_list()
            label = line[:-1].rstrip()
            parts.append(f"<{SECTION_HEADING_TAG}>{escape(label)}</{SECTION_HEADING_TAG}>")
            in_section = True
        elif _is_capitals_title(line):
            close_list()
            parts.append(f"<{SECTION_HEADING_TAG}>{escape(line)}</{SECTION_HEADING_TAG}>")
            in_section = False
        elif _TEXT_BULLET_LINE.match(line):
            items.append(escape(_TEXT_BULLET.sub("", line)))
        elif in_section:
            items.append(escape(line))
        else:
            close_list()
            parts.append(f"<p>{escape(line)}</p>")
    close_list()
    return "\n".join(parts)


# A line drawn under a title or between parts of a plain text: "=====", "-----", "_____".
_RULE_LINE = re.compile(r"([=\-_~*])\1{2,}")
_PARAGRAPH_LINE = re.compile(r"<p>(.*)</p>")


def _is_title(line: str) -> bool:
    return len(line) <= _SECTION_LABEL_MAX_LENGTH and not _SENTENCE_PUNCTUATION.search(line)


def _is_capitals_title(line: str) -> bool:
    """A short line in capitals that heads what follows ("WHAT WE OFFER", "PROFIL"), as
    plain-text postings write their sections; not a line of acronyms ("AWS, GCP")."""
    letters = [char for char in line if char.isalpha()]
    return (
        len(letters) >= 5
        and line.upper() == line
        and line != line.lower()
        and len(line.split()) <= _SECTION_LABEL_MAX_WORDS
        and "," not in line
        and _is_title(line.rstrip(":"))
    )


def _is_section_label(line: str) -> bool:
    if not line.endswith(":") or len(line) > _SECTION_LABEL_MAX_LENGTH:
        return False
    label = line[:-1].rstrip()  # French puts a space before the colon
    return (
        bool(label)
        and label[0].isupper()
        and not _SENTENCE_PUNCTUATION.search(label)
        and len(label.split()) <= _SECTION_LABEL_MAX_WORDS
    )
