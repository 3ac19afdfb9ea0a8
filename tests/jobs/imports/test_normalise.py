"""Normalisation's shortcuts give the verdicts of what they stand in for."""

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from jobs.imports.normalise import fold, language_requirements, valid_url
from jobs.imports.normalise.language import _LANGUAGE_LEVELS

URLS = [
    "https://jobs.example/bench-1",
    "https://jobs.example",
    "https://jobs.example/",
    "https://jobs.example?ref=feed",
    "https://jobs.example#apply",
    "HTTPS://Jobs.Example/Path?q=1#x",
    "http://localhost:8000/jobs/1",
    "http://127.0.0.1/jobs",
    "http://[::1]:8080/jobs",
    "http://[::zz]/jobs",
    "http://user:secret@jobs.example/apply",
    # An "@" after the host: the validator may read part of the path as a user name.
    "http://us?er@jobs.example/",
    "http://jobs/apply",
    "http://jobs.example/a path",
    "http://jobs.example/a\tpath",
    "http://jobs.example:99999999/",
    "http://-jobs.example/",
    "http://jobs.example./x",
    "ftp://jobs.example/file",
    "jobs.example/path",
    "https://",
    "https:///path",
    "https://jöbs.example/stellen",
    "https://xn--jbs-sna.example/stellen",
    "https://" + "a" * 64 + ".example/x",
    "https://" + ".".join(["abcdefghij"] * 26) + ".example/",
    "https://jobs.example/" + "x" * 3000,
]


def _django_says(url: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("url", URLS)
def test_a_url_is_valid_exactly_when_djangos_validator_says_so(url):
    assert valid_url(url) == _django_says(url)
    assert valid_url(url) == _django_says(url)  # and again, from the cache


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("English C1 and Deutsch (B2)", [("en", "C1"), ("de", "B2")]),
        ("C1-level English is a must", [("en", "C1")]),
        ("Français : niveau B2", [("fr", "B2")]),
        ("English, C1", []),  # a comma is not among the separators
        ("Fluent English; room C12 on floor B1X", []),
        ("Engineer in Berlin, 3+ years", []),
    ],
)
def test_language_levels_are_found_as_before(text, found):
    assert [(r["language"], r["level"]) for r in language_requirements(text)] == found
    # The one-pattern test in front changes no verdict of the five patterns behind it.
    every_pattern = [
        (str(code), (match.group("level") or match.group("level2")).upper())
        for code, pattern in _LANGUAGE_LEVELS
        if (match := pattern.search(fold(text)))
    ]
    assert every_pattern == found


def test_the_detection_sample_tells_every_demo_posting_s_language():
    """The sample lingua reads (DETECTION_SAMPLE characters) is enough for the 100 demo
    postings in five languages, as the whole text would be."""
    import json
    from pathlib import Path

    from jobs.imports.normalise import DETECTION_SAMPLE, detect_language
    from jobs.rendering import detect_format, render_description, summarise

    demo = Path(__file__).resolve().parents[3] / "jobs" / "demo" / "postings.json"
    postings = json.loads(demo.read_text(encoding="utf-8"))["postings"]
    texts = {}
    for posting in postings:
        fmt = posting.get("description_format") or detect_format(posting["description"])
        plain = summarise(render_description(posting["description"], fmt), 100_000)
        texts[posting["key"]] = (posting["language"], f"{posting['title']}\n{plain}")

    assert any(len(text) > DETECTION_SAMPLE for _language, text in texts.values())
    assert {key: detect_language(text) for key, (_language, text) in texts.items()} == {
        key: language for key, (language, _text) in texts.items()
    }


def test_each_fact_comes_with_the_words_that_decided_it():
    """What ``import_jobs --dry-run --explain`` shows: for each fact, where it was read."""
    from jobs.imports.base import Record
    from jobs.imports.normalise import Defaults, normalise

    record = Record(
        external_id="why-1",
        title="Ejecutivo de ventas",
        language="es",
        locations=["Guadalajara, Jalisco, México"],
        employment_type=["Comisiones"],
        description="<p>Buscamos una persona que se sume al equipo comercial y atienda a los "
        "clientes de la zona.</p><p>Sueldo mensual de $12,500. Pago semanal.</p>"
        "<p>Modalidad: HOME OFFICE. Experiencia de 2 años en ventas.</p>",
    )
    result = normalise(record, Defaults())

    assert result.evidence["language"] == {"declared": "es", "detected": "es", "confidence": 1.0}
    assert result.evidence["salary"].startswith("description: Sueldo")
    assert result.evidence["workplace"] == "description: home office"
    assert result.evidence["employment_type"] == "feed: Comisiones"
    assert "2 anos en ventas" in result.evidence["experience"]
    assert result.fields["employment_type"] == ""
    assert (result.fields["salary_currency"], result.fields["salary_period"]) == ("MXN", "month")
