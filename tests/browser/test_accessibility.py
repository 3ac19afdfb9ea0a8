"""Every kind of candidate page in every language, rendered by the real server: zero axe-core
violations in Chromium, zero errors from the Nu HTML checker. What each run finds is written
to the results file the accessibility statement reads (jobs/accessibility.py), before the
assertions, so a failing run is reported as faithfully as a passing one."""

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from jobs.accessibility import results_record
from jobs.models import JobPosting
from jobs.spelling import search_words_refresh
from tests.browser.conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGUAGES = ["en", "fr", "de", "es", "pt-br"]


def misspelt(title: str) -> str:
    """The title's longest word with its third letter left out: a search for "did you mean"."""
    word = max(re.findall(r"[^\W\d_]{5,}", title) or ["engineer"], key=len)
    return word[:2] + word[3:]


def pages_of(language: str) -> list[str]:
    posting = JobPosting.objects.open().filter(language=language).order_by("pk").first()
    return [
        f"/{language}/",
        f"/{language}/?q=zzzznothing",  # the empty state, with other languages' counts
        f"/{language}/?q={quote(misspelt(posting.title))}",  # "did you mean"
        # Counts that follow a search and a filter, the countries grouped.
        f"/{language}/?q={quote(posting.title.split()[0])}&workplace={posting.workplace}",
        f"/{language}/?workplace=moon&page=1",  # a bad filter and its note
        posting.get_absolute_url(),
        f"/{language}/companies/{posting.company.slug}/",
        f"/{language}/no-such-page/",  # the error pages share one template: 404 stands for all
        f"/{language}/accessibility/",
        f"/{language}/privacy/",
        f"/{language}/privacy/my-data/",
        f"/{language}/transparency/",
        f"/{language}/saved/",
    ]


def tool_version(package: str) -> str:
    manifest = ROOT / "node_modules" / package / "package.json"
    return f"{package} {json.loads(manifest.read_text())['version']}"


def record(tool: str, package: str, language: str, pages: list[str], found: dict, **extra):
    """Write one tool's findings over one language's pages: `found` maps each page to its
    problems as (rule, help) pairs."""
    problems: dict[tuple[str, str], list[str]] = {}
    for path, items in found.items():
        for rule, help_text in items:
            problems.setdefault((rule, help_text), []).append(path)
    results_record(
        tool=tool,
        version=tool_version(package),
        language=language,
        pages=pages,
        problems=[
            {"rule": rule, "help": help_text, "pages": paths}
            for (rule, help_text), paths in problems.items()
        ],
        **extra,
    )


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'wcag22aa', 'best-practice']}
        })"""
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["html"] for n in v["nodes"][:3]]}
        for v in result["violations"]
    ]


def nu_messages(documents: dict[str, str], folder: Path) -> list[dict]:
    """The checker's errors and warnings, each with the page (path) it was found on."""
    java = shutil.which("java")
    assert java, "the Nu HTML checker needs Java (Debian's default-jre-headless)"
    paths = []
    for index, html in enumerate(documents.values()):
        path = folder / f"page{index}.html"
        path.write_text(html, encoding="utf-8")
        paths.append(str(path))
    result = subprocess.run(  # noqa: S603 - the checker from node_modules on our own files
        [java, "-jar", str(VNU), "--format", "json", "--stdout", *paths],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(result.stdout)["messages"]
    urls = dict(zip(paths, documents, strict=True))
    return [
        {
            "page": urls.get(m.get("url", "").removeprefix("file:"), m.get("url")),
            "message": m["message"],
            "extract": m.get("extract", ""),
        }
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
    ]


def nu_errors(documents: dict[str, str], folder: Path) -> list[str]:
    return [
        f"{m['page']}: {m['message']} [{m['extract']}]" for m in nu_messages(documents, folder)
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_have_no_accessibility_violations_and_valid_html(
    browser, site, demo, language, tmp_path
):
    # axe is injected as a script: the page's own policy would rightly refuse it.
    search_words_refresh(language=language)
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    violations, documents = {}, {}
    try:
        for path in pages_of(language):
            response = page.goto(f"{site.url}{path}")
            assert response.ok or response.status in {404, 410}, (path, response.status)
            documents[path] = response.text()
            if found := axe_violations(page):
                violations[path] = found
    finally:
        context.close()

    nu = nu_messages(documents, tmp_path)
    pages = list(documents)
    record(
        "axe",
        "axe-core",
        language,
        pages,
        {path: [(v["id"], v["help"]) for v in found] for path, found in violations.items()},
    )
    by_page: dict[str, list] = {}
    for message in nu:
        by_page.setdefault(message["page"], []).append(("html", message["message"]))
    record("nu", "vnu-jar", language, pages, by_page)

    print(json.dumps(violations, indent=1))
    assert violations == {}
    assert [f"{m['page']}: {m['message']} [{m['extract']}]" for m in nu] == []
