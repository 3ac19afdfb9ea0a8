"""Every kind of candidate page in every language, rendered by the real server: zero axe-core
violations in Chromium, zero errors from the Nu HTML checker."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from jobs.models import JobPosting
from tests.browser.conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGUAGES = ["en", "fr", "de", "es", "pt-br"]


def pages_of(language: str) -> list[str]:
    posting = JobPosting.objects.open().filter(language=language).order_by("pk").first()
    return [
        f"/{language}/",
        f"/{language}/?q=zzzznothing",  # the empty state, with other languages' counts
        f"/{language}/?workplace=moon&page=1",  # a bad filter and its note
        posting.get_absolute_url(),
        f"/{language}/companies/{posting.company.slug}/",
        f"/{language}/no-such-page/",  # the error pages share one template: 404 stands for all
    ]


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


def nu_errors(documents: dict[str, str], folder: Path) -> list[str]:
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
        f"{urls.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: {m['message']}"
        f" [{m.get('extract', '')}]"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_have_no_accessibility_violations_and_valid_html(
    browser, site, demo, language, tmp_path
):
    # axe is injected as a script: the page's own policy would rightly refuse it.
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

    print(json.dumps(violations, indent=1))
    assert violations == {}
    assert nu_errors(documents, tmp_path) == []
