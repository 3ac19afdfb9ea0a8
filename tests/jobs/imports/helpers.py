"""Fixture paths and generated feeds shared by the import tests."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"

ENGLISH_BODY = (
    "<p>We are looking for an engineer to build and run the services behind our product. "
    "You will design APIs, improve reliability and mentor colleagues.</p>"
)


def fixture(relative: str) -> Path:
    return FIXTURES / relative


def jsonld_posting(index: int, **overrides) -> dict:
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": f"gen-{index}",
        "url": f"https://jobs.example/gen-{index}",
        "title": f"Platform Engineer {index}",
        "description": ENGLISH_BODY + f"<p>Position {index}.</p>",
        "inLanguage": "en",
        # Recent whatever the day: a posting dated long ago is held as stale (holds.py).
        "datePosted": (datetime.now(UTC) - timedelta(days=5)).date().isoformat(),
        "employmentType": "FULL_TIME",
        "hiringOrganization": {"@type": "Organization", "name": "Generated Inc"},
        "jobLocation": "Berlin, Germany",
    }
    posting.update(overrides)
    return posting


def jsonld_feed(count: int, start: int = 0, **overrides) -> bytes:
    return json.dumps(
        [jsonld_posting(index, **overrides) for index in range(start, start + count)]
    ).encode()


def write_feed(path: Path, count: int) -> Path:
    """A JSON-LD list of ``count`` postings written item by item (memory tests)."""
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for index in range(count):
            out.write(("," if index else "") + json.dumps(jsonld_posting(index)))
        out.write("]")
    return path
