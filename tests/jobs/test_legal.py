"""The accessibility statement and the privacy notice: in every language, linked from every
page's footer, and the statement's state of conformance read from the checks' own results."""

import json
import re
from http import HTTPStatus

import pytest

from jobs.accessibility import results_record
from tests.factories import PublishedPostingFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr", "de", "es", "pt-br"]
HTML_LANG = {"en": "en", "fr": "fr", "de": "de", "es": "es", "pt-br": "pt-BR"}
STATEMENT = {
    "en": "Accessibility statement",
    "fr": "Déclaration d’accessibilité",
    "de": "Erklärung zur Barrierefreiheit",
    "es": "Declaración de accesibilidad",
    "pt-br": "Declaração de acessibilidade",
}
FOOTER_LINK = {
    "en": "Accessibility",
    "fr": "Accessibilité",
    "de": "Barrierefreiheit",
    "es": "Accesibilidad",
    "pt-br": "Acessibilidade",
}
NOT_MEASURED = {
    "en": "Not yet measured",
    "fr": "Pas encore mesuré",
    "de": "Noch nicht gemessen",
    "es": "Aún no medido",
    "pt-br": "Ainda não medido",
}


@pytest.fixture
def results(settings, tmp_path):
    settings.ACCESSIBILITY_RESULTS = str(tmp_path / "accessibility.json")
    return tmp_path / "accessibility.json"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_s_footer_links_the_statement_in_its_language(client, language):
    posting = PublishedPostingFactory(language=language)
    for path in [f"/{language}/", posting.get_absolute_url(), f"/{language}/no-such-page/"]:
        html = client.get(path).content.decode()
        footer = html.split('<footer class="site-footer">')[1]
        assert f'href="/{language}/accessibility/"' in footer, path


def test_without_results_the_statement_says_not_yet_measured(client, results):
    response = client.get("/en/accessibility/")

    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert "WCAG 2.2" in page and "EN 301 549" in page
    assert "Not yet measured" in page
    assert "<table" not in response.content.decode()
    assert "Known exceptions" in page
    assert "mailto:" in response.content.decode()


def test_the_statement_reports_what_the_checks_wrote(client, results, settings):
    settings.JOBS_ACCESSIBILITY_CONTACT = "access@jobs.example.com"
    for language in ("en", "fr"):
        results_record(
            tool="axe",
            version="axe-core 4.14.1",
            language=language,
            pages=[f"/{language}/", f"/{language}/accessibility/"],
            problems=[],
        )
    results_record(
        tool="nu",
        version="vnu 26.9.27",
        language="en",
        pages=["/en/"],
        problems=[{"rule": "html", "help": "Stray end tag div.", "pages": ["/en/"]}],
    )
    results_record(
        tool="lighthouse",
        version="lighthouse 13.5.0",
        language="de",
        pages=["/de/"],
        problems=[],
        scores={"/de/": 0.97, "/de/jobs/1/x/": 1.0},
    )

    response = client.get("/en/accessibility/")

    page = text(response)
    assert "Not yet measured" not in page
    assert "found 1 problem, listed below" in page
    assert "Stray end tag div." in page
    rows = dict(
        re.findall(r'<tr data-tool="(\w+)">(.*?)</tr>', response.content.decode(), re.DOTALL)
    )
    assert set(rows) == {"axe", "nu", "lighthouse"}
    cells = {tool: re.findall(r"<td>(.*?)</td>", row) for tool, row in rows.items()}
    assert cells["axe"] == ["en, fr", "4", "0"]
    assert cells["nu"] == ["en", "1", "1"]
    assert cells["lighthouse"] == ["de", "1", "0"]
    assert "97/100" in rows["lighthouse"]
    assert "axe-core 4.14.1" in rows["axe"]
    assert 'href="mailto:access@jobs.example.com"' in response.content.decode()


def test_a_clean_run_still_claims_only_partial_conformance(client, results):
    results_record(tool="axe", version="4", language="en", pages=["/en/"], problems=[])

    page = text(client.get("/en/accessibility/"))

    assert "partially conformant" in page
    assert "found no problems" in page


def test_a_damaged_results_file_reads_as_not_measured(client, results):
    results.write_text("{not json")
    assert "Not yet measured" in text(client.get("/en/accessibility/"))
    results.write_text(json.dumps({"axe": "nonsense"}))
    assert "Not yet measured" in text(client.get("/en/accessibility/"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_statement_exists_in_every_language(client, results, language):
    response = client.get(f"/{language}/accessibility/")

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f'<html lang="{HTML_LANG[language]}">' in html
    assert f"<h1>{STATEMENT[language]}</h1>" in html
    assert NOT_MEASURED[language] in html
    assert html.count('hreflang="') >= 6  # each version and x-default
    footer = html.split('<footer class="site-footer">')[1]
    assert f'<a href="/{language}/accessibility/">{FOOTER_LINK[language]}</a>' in footer
