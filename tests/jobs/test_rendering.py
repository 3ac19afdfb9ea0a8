import re
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest

from jobs.rendering import (
    ALLOWED_TAGS,
    LINK_REL,
    detect_format,
    render_description,
    summarise,
)

# The seed postings ship with the repository, where the demo data reads them too.
SEEDS = Path(__file__).resolve().parents[2] / "jobs" / "demo" / "seeds"
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class Outline(HTMLParser):
    """Rendered HTML as top-level blocks: (tag, text) for headings and paragraphs, and
    (tag, [item text, ...]) for lists, counting only a list's direct items."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, object]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._text: list[str] | None = None
        self._depth = 0
        self._items: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in {"ul", "ol"}:
            if self._depth == 0:
                self._items = []
            self._depth += 1
        elif tag == "li" and self._depth == 1:
            self._items.append("")
        elif (tag in HEADINGS or tag == "p") and self._depth == 0:
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"ul", "ol"}:
            self._depth -= 1
            if self._depth == 0:
                self.blocks.append((tag, [item.strip() for item in self._items]))
        elif (tag in HEADINGS or tag == "p") and self._text is not None:
            self.blocks.append((tag, "".join(self._text).strip()))
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._depth and self._items:
            self._items[-1] += data
        elif self._text is not None:
            self._text.append(data)


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    parser.close()
    return parser


def headings(html: str) -> list[str]:
    return [text for tag, text in outline(html).blocks if tag in HEADINGS]


def sections(html: str) -> dict[str, list[str]]:
    """Each heading's text mapped to the items of the list right after it."""
    blocks = outline(html).blocks
    return {
        text: following
        for (tag, text), (next_tag, following) in pairwise(blocks)
        if tag in HEADINGS and next_tag in {"ul", "ol"}
    }


def seed_000_posting() -> str:
    # The first line is the board's note about its language filter, not the posting.
    return "\n".join((SEEDS / "000_38a88ba91144b235.txt").read_text().splitlines()[1:])


def seed_001_description() -> str:
    # Title, board label, description, then two lines of the board's footer.
    return (SEEDS / "001_3b4f7fd9d148f95c.txt").read_text().splitlines()[2]


# --- Plain text -----------------------------------------------------------------------


def test_seed_000_plain_text_sections_become_headings_over_lists():
    rendered = render_description(seed_000_posting(), "text")
    blocks = outline(rendered).blocks

    assert blocks[0][0] == "p"
    assert str(blocks[0][1]).startswith("The Senior Backend Engineer II operates")
    assert headings(rendered) == [
        "Job Responsibility",
        "Requirements",
        "Nice to have",
        "What we offer",
    ]
    counts = {heading: len(items) for heading, items in sections(rendered).items()}
    assert counts == {
        "Job Responsibility": 12,
        "Requirements": 10,
        "Nice to have": 2,
        "What we offer": 7,
    }
    assert sections(rendered)["What we offer"][-1] == (
        "The annual international team-building trip, quarterly and monthly online get-togethers"
    )


def test_french_labels_with_space_before_colon_become_headings():
    text = (
        "Nous recrutons un développeur Django.\n"
        "\n"
        "Profil recherché :\n"
        "- Python\n"
        "• Django & PostgreSQL\n"
        "\n"
        "Ce que nous offrons :\n"
        "Télétravail\n"
        "Tickets restaurant\n"
        "Mutuelle\n"
    )
    rendered = render_description(text, "text")

    assert headings(rendered) == ["Profil recherché", "Ce que nous offrons"]
    assert sections(rendered) == {
        "Profil recherché": ["Python", "Django & PostgreSQL"],
        "Ce que nous offrons": ["Télétravail", "Tickets restaurant", "Mutuelle"],
    }
    assert outline(rendered).blocks[0] == ("p", "Nous recrutons un développeur Django.")
    assert "Django &amp; PostgreSQL" in rendered


@pytest.mark.parametrize(
    "label", ["Ihre Aufgaben:", "Requisitos:", "O que oferecemos:", "Job Responsibility:"]
)
def test_section_labels_in_other_languages_become_headings(label):
    rendered = render_description(f"{label}\nFirst\nSecond", "text")

    assert headings(rendered) == [label.rstrip(":").rstrip()]
    assert sections(rendered)[label.rstrip(":").rstrip()] == ["First", "Second"]


def test_sentence_ending_in_colon_and_blank_separated_prose_stay_paragraphs():
    text = (
        "We are looking for someone who brings the following to the team:\n"
        "\n"
        "A first paragraph.\n"
        "\n"
        "A second paragraph."
    )
    rendered = render_description(text, "text")

    assert headings(rendered) == []
    assert [tag for tag, _ in outline(rendered).blocks] == ["p", "p", "p"]


def test_plain_text_is_escaped_not_interpreted():
    rendered = render_description("Use <b>bold</b> & <script>alert(1)</script>", "text")

    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in rendered
    assert [tag for tag, _ in outline(rendered).tags] == ["p"]


# --- Markdown -------------------------------------------------------------------------


def test_seed_001_flattened_markdown_gets_its_structure_back():
    description = seed_001_description()
    rendered = render_description(description, "markdown")
    found = sections(rendered)

    assert "7+" in rendered
    assert "7\\+" not in rendered
    assert "high-traffic" in rendered
    assert "\\" not in rendered
    assert "**" not in rendered
    assert "<strong>Ruby on Rails</strong>" in rendered
    assert headings(rendered) == [
        "About the Role",
        "Responsibilities",
        "Requirements",
        "Preferred Qualifications",
        "Compensation",
    ]
    assert len(found["Responsibilities"]) == 10
    assert len(found["Preferred Qualifications"]) == 4
    assert found["Compensation"] == ["$8,000 USD per month", "Full-time, remote position."]
    assert found["Responsibilities"][0] == (
        "Design, build, and maintain scalable backend services and APIs using Ruby on Rails."
    )
    # The leading facts line becomes one fact per item.
    facts = outline(rendered).blocks[0]
    assert facts[0] == "ul"
    assert facts[1] == [
        "Location: Latin America (Remote)",
        "Experience: 7+ years",
        "English: C1 level",
        "Compensation: $8,000 USD / month",
    ]
    # "About the Role" introduces prose, not a list.
    blocks = outline(rendered).blocks
    about = blocks.index(("h2", "About the Role"))
    assert blocks[about + 1][0] == "p"
    assert str(blocks[about + 1][1]).startswith("We are seeking an exceptional")


def test_seed_001_nested_bullets_are_nested_list_items():
    rendered = render_description(seed_001_description(), "markdown")
    requirements = sections(rendered)["Requirements"]

    assert len(requirements) == 8
    understanding = next(i for i in requirements if i.startswith("Strong understanding of:"))
    assert "Concurrency control" in understanding
    assert "High-traffic scaling techniques" in understanding
    assert requirements[-1] == "Located in Latin America."
    assert rendered.count("<li>") == 4 + 10 + 8 + 5 + 4 + 2


def test_ordinary_multiline_markdown_keeps_its_structure():
    text = (
        "## About us\n"
        "\n"
        "We build **tools** for hiring. Our stack: Python * Django * Postgres * Redis and\n"
        "a few other things.\n"
        "\n"
        "- Python\n"
        "- Django\n"
        "- PostgreSQL\n"
    )
    rendered = render_description(text, "markdown")

    assert [tag for tag, _ in outline(rendered).blocks] == ["h2", "p", "ul"]
    assert headings(rendered) == ["About us"]
    assert sections(rendered) == {}  # the paragraph sits between heading and list
    assert outline(rendered).blocks[2] == ("ul", ["Python", "Django", "PostgreSQL"])
    assert "Python * Django * Postgres * Redis" in rendered
    assert "<strong>tools</strong>" in rendered


def test_markdown_h1_is_demoted_and_tables_and_strikethrough_work():
    text = "# Title\n\n~~old~~ new\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    rendered = render_description(text, "markdown")

    assert "<h2>Title</h2>" in rendered
    assert "<h1>" not in rendered
    assert "<s>old</s>" in rendered or "<del>old</del>" in rendered
    assert "<td>1</td>" in rendered


def test_markdown_links_get_rel_and_javascript_links_are_not_links():
    rendered = render_description(
        "[apply](https://example.com/apply) or [click](javascript:alert(1))", "markdown"
    )
    anchors = [attrs for tag, attrs in outline(rendered).tags if tag == "a"]

    assert anchors == [{"href": "https://example.com/apply", "rel": LINK_REL}]


# --- HTML and hostile input -----------------------------------------------------------

HOSTILE = (
    '<p onclick="steal()">Hello <b>world</b></p>'
    "<script>alert('script')</script>"
    '<img src="x" onerror="alert(\'img\')">'
    "<a href=\"javascript:alert('href')\">bad link</a>"
    '<iframe src="https://evil.example">framed</iframe>'
    "<style>body { display: none }</style>"
)


@pytest.mark.parametrize("fmt", ["html", "markdown", "text"])
def test_hostile_html_never_survives_as_markup(fmt):
    rendered = render_description(HOSTILE, fmt)
    tags = outline(rendered).tags

    assert {tag for tag, _ in tags} <= ALLOWED_TAGS - {"h1"}
    assert not {tag for tag, _ in tags} & {"script", "img", "iframe", "style"}
    for _, attrs in tags:
        assert not any(name.startswith("on") for name in attrs)
        assert not (attrs.get("href") or "").startswith("javascript:")
    assert "<script" not in rendered
    assert "<iframe" not in rendered


def test_html_is_sanitised_with_script_style_and_iframe_content_removed():
    rendered = render_description(HOSTILE, "html")

    assert rendered.startswith("<p>Hello <b>world</b></p>")
    assert "alert" not in rendered
    assert "framed" not in rendered
    assert "display" not in rendered
    assert "onerror" not in rendered
    assert "onclick" not in rendered
    assert "bad link" in rendered


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_raw_html_in_markdown_and_text_is_shown_escaped(fmt):
    rendered = render_description(HOSTILE, fmt)

    assert "&lt;script&gt;" in rendered
    assert "&lt;iframe" in rendered


def test_html_links_keep_only_safe_attributes_and_get_rel():
    rendered = render_description(
        '<a href="https://example.com" title="Apply" target="_blank" rel="opener"'
        ' style="color:red">Apply</a> <a href="mailto:jobs@example.com">Mail</a>'
        ' <a href="ftp://example.com">FTP</a>',
        "html",
    )
    anchors = [attrs for tag, attrs in outline(rendered).tags if tag == "a"]

    assert anchors == [
        {"href": "https://example.com", "title": "Apply", "rel": LINK_REL},
        {"href": "mailto:jobs@example.com", "rel": LINK_REL},
        {"rel": LINK_REL},
    ]


def test_html_h1_becomes_h2_and_unknown_tags_are_unwrapped():
    rendered = render_description("<h1>Role</h1><div><span>Body</span></div>", "html")

    assert rendered == "<h2>Role</h2>Body"


def test_entity_escaped_html_is_unescaped_once():
    rendered = render_description("&lt;p&gt;Hello &amp;amp; welcome&lt;/p&gt;", "html")

    assert rendered == "<p>Hello &amp; welcome</p>"


def test_escaped_tags_inside_real_html_stay_text():
    rendered = render_description("<p>Write &lt;p&gt; tags</p>", "html")

    assert rendered == "<p>Write &lt;p&gt; tags</p>"


def test_entity_escaped_hostile_html_is_still_sanitised():
    rendered = render_description(
        "&lt;p&gt;Hi&lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;", "html"
    )

    assert rendered == "<p>Hi</p>"


def test_empty_and_unknown_format():
    assert render_description("", "markdown") == ""
    with pytest.raises(ValueError):
        render_description("Hello", "rtf")


# --- detect_format --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>Hello</p>", "html"),
        ("Line one<br>Line two", "html"),
        ("We offer <strong>great</strong> pay", "html"),
        ("&lt;p&gt;Hello&lt;/p&gt;", "html"),
        ("**Requirements**\n\nPython", "markdown"),
        ("7\\+ years of experience", "markdown"),
        ("# Role\n\nWe hire.", "markdown"),
        ("We need:\n- Python\n- Django", "markdown"),
        ("We need:\n* Python\n* Django", "markdown"),
        ("Apply [here](https://example.com).", "markdown"),
        ("Requirements:\nPython\nDjango\n\nWe offer: fun & 3 < 4.", "text"),
        ("A plain sentence about a role.", "text"),
    ],
)
def test_detect_format(text, expected):
    assert detect_format(text) == expected


def test_detect_format_on_the_seeds():
    assert detect_format(seed_000_posting()) == "text"
    assert detect_format(seed_001_description()) == "markdown"


def test_detect_format_on_flattened_bullets_without_bold():
    line = "We are hiring. You will " + " * ".join(["write code and review it"] * 8)

    assert detect_format(line) == "markdown"


# --- summarise ------------------------------------------------------------------------


def test_summarise_cuts_on_a_word_boundary_with_an_ellipsis():
    summary = summarise("<p>Build reliable backend services for millions of users</p>", 30)

    assert summary == "Build reliable backend…"
    assert len(summary) <= 30


def test_summarise_keeps_short_text_whole_and_flattens_markup():
    html = "<h3>Role</h3>\n<ul><li>Python &amp; Django</li><li>Remote</li></ul><script>x</script>"

    assert summarise(html) == "Role Python & Django Remote"


def test_summarise_separates_adjacent_blocks_and_drops_trailing_punctuation():
    assert summarise("<p>First part.</p><p>Second part here</p>", 17) == "First part…"


def test_summarise_of_a_rendered_seed():
    summary = summarise(render_description(seed_000_posting(), "text"))

    assert summary.startswith("The Senior Backend Engineer II operates beyond")
    assert summary.endswith("…")
    assert len(summary) <= 240
    stem = summary.removesuffix("…")
    opening = " ".join(seed_000_posting().split())
    assert opening.startswith(stem)
    assert opening[len(stem)] in " ,.;:"  # the cut fell between words


@pytest.mark.parametrize(
    ("fragment", "levels"),
    [
        ("<h1>A</h1><h3>B</h3><h5>C</h5>", ["2", "3", "4"]),  # h5 kept as a level, not text
        ("<h4>A</h4><p>x</p><h4>B</h4>", ["2", "2"]),
        ("<h2>A</h2><h4>B</h4><h3>C</h3>", ["2", "3", "3"]),
        ("<h3>A</h3><h1>B</h1><h2>C</h2>", ["2", "2", "3"]),  # never below the page's h1
        ("<H1 class='x'>A</H1><h6>B</h6>", ["2", "3"]),
    ],
)
def test_headings_start_below_the_page_title_and_never_skip_a_level(fragment, levels):
    rendered = render_description(fragment, "html")

    assert re.findall(r"<h([1-6])>", rendered) == levels
    assert len(re.findall(r"</h[1-6]>", rendered)) == len(levels)
    assert "<h1" not in rendered
