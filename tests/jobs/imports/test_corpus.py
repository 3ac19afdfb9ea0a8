"""Every fact of every posting in the corpus, against its golden expectation.

Each ``tests/fixtures/corpus/<case>.json`` is a record as a parser hands it over (written by
us in the shape of real feeds, never copied) and the facts a careful moderator would give
it: its language or the reason it is skipped, its places, pay, experience, type, and what
its rendered text must and must not hold, and its eligibility facts (visa sponsorship,
relocation, a remote time-zone window). The case goes through ``normalise``, the door the
import pipeline calls for every record, and every expected fact is compared. The run's
accuracy per kind of fact is printed at the end (see conftest.py); any wrong fact fails.

A case may instead give a whole ``feed`` document (``{"format": "auto", "document": ...}``,
the document as text or as the JSON it is): it then goes through the sniff and parse stages
first, so that the format chosen, the number of postings read and the facts of one of them
(``"pick"``, the first by default) are checked too; ``now`` dates the publishing holds
(no way to apply, expired, stale) that the case expects.
"""

import io
import json
import os
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from jobs.imports.base import FeedError, Record, to_datetime, to_deadline
from jobs.imports.holds import holds
from jobs.imports.normalise import Defaults, Skip, decimal_or_none, normalise
from jobs.imports.sniff import parser_for, sniff

# CORPUS_DIR runs the same comparison over another folder of cases: a held-out set, measured
# as found before anything is fixed for it (bench/RESULTS.md, "held-out").
CORPUS = Path(
    os.environ.get("CORPUS_DIR") or Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
)
CASES = sorted(CORPUS.glob("*.json"))
# The kind of fact each expected key belongs to, for the accuracy report.
KINDS = {
    "skip": "language", "language": "language", "review": "language",
    "countries": "places", "region": "places", "workplace": "places", "location": "places",
    "salary": "money", "experience": "experience", "employment_type": "employment",
    "seniority": "employment", "html_contains": "text", "html_excludes": "text",
    "headings": "text", "visa_sponsorship": "eligibility", "relocation_support": "eligibility",
    "remote_utc": "eligibility", "format": "format", "postings": "format",
    "holds": "publishing",
}  # fmt: skip
# kind -> [facts right, facts checked], over the cases run in this process.
TALLY: dict[str, list[int]] = {}


def _record(data: dict) -> Record:
    data = dict(data)
    for name in ("salary_min", "salary_max"):
        # As the parsers read a feed's amounts, in whatever spelling it writes them.
        data[name] = decimal_or_none(data.get(name))
    # And its dates, a closing day open until it ends.
    for name in ("date_posted", "date_updated"):
        data[name] = to_datetime(data.get(name))
    data["valid_through"] = to_deadline(data.get("valid_through"))
    return Record(**data)


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _headings(html: str) -> list[str]:
    import re

    return [f"h{level}" for level in re.findall(r"<h([1-6])\b", html)]


def _parsed(feed: dict) -> tuple[dict, list[Record]]:
    """The format a feed document is read as, how many postings it gives, and their records."""
    document = feed["document"]
    if not isinstance(document, str):
        document = json.dumps(document, ensure_ascii=False)
    stream = io.BytesIO(document.encode("utf-8"))
    fmt = feed.get("format", "auto")
    try:
        chosen = sniff(stream) if fmt == "auto" else fmt
        parsed = list(parser_for(chosen, stream).parse(stream))
    except FeedError as error:
        return {"format": f"error:{error.code}", "postings": 0}, []
    records = [item for item in parsed if isinstance(item, Record)]
    return {"format": chosen, "postings": len(records)}, records


def _facts(case: dict) -> dict:
    """What the pipeline gives the case, under the expectation's names."""
    read: dict = {}
    if "feed" in case:
        read, records = _parsed(case["feed"])
        if not records:
            return {**read, "skip": "no_postings"}
        record = records[case.get("pick", 0)]
    else:
        record = _record(case["record"])
    try:
        result = normalise(record, Defaults(**case.get("defaults", {})))
    except Skip as skip:
        return {**read, "skip": skip.code}
    fields = result.fields
    html = fields["description_html"]
    salary = None
    if fields["salary_min"] is not None or fields["salary_max"] is not None:
        salary = {
            "min": _amount(fields["salary_min"]),
            "max": _amount(fields["salary_max"]),
            "currency": fields["salary_currency"],
            "period": fields["salary_period"],
        }
    experience = fields["experience_years_min"]
    window = None
    if fields["remote_utc_min"] is not None:
        window = [_amount(fields["remote_utc_min"]), _amount(fields["remote_utc_max"])]
    now = datetime.fromisoformat(case.get("now", "2026-12-01T00:00:00+00:00"))
    return {
        **read,
        "skip": "",
        "holds": sorted(code for code, _params in holds(result, record, now)),
        "language": fields["language"],
        "review": result.review_reason,
        "countries": fields["countries"],
        "region": fields["region_code"] or None,
        "workplace": fields["workplace"],
        "location": fields["location"],
        "salary": salary,
        "experience": None if experience is None else float(experience),
        "employment_type": fields["employment_type"],
        "seniority": fields["seniority"],
        "html_contains": html,
        "html_excludes": html,
        "headings": _headings(html),
        "visa_sponsorship": fields["visa_sponsorship"],
        "relocation_support": fields["relocation_support"],
        "remote_utc": window,
    }


def _right(key: str, expected, actual) -> bool:
    if key in ("employment_type", "seniority") and not expected and not actual:
        return True  # not stated, written as null or as the field's blank
    if key == "html_contains":
        return all(part in actual for part in expected)
    if key == "html_excludes":
        return not any(part in actual for part in expected)
    return expected == actual


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_corpus_case(path):
    case = json.loads(path.read_text(encoding="utf-8"))
    expected = case["expected"]
    facts = _facts(case)
    wrong = {}
    for key, value in expected.items():
        kind = KINDS[key]
        tally = TALLY.setdefault(kind, [0, 0])
        if "skip" not in expected and facts["skip"] and kind != "format":
            right = False
        else:
            right = _right(key, value, facts.get(key))
        tally[0] += right
        tally[1] += 1
        if not right:
            shown = facts.get(key)
            wrong[key] = {"expected": value, "got": shown if "html" not in key else facts[key]}
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1, default=str)


def test_the_corpus_covers_every_kind_and_language():
    cases = [json.loads(path.read_text(encoding="utf-8")) for path in CASES]
    assert len(cases) >= 40
    kinds = {KINDS[key] for case in cases for key in case["expected"]}
    assert kinds == set(KINDS.values())
    written_in = {case["written_in"] for case in cases}
    assert {"en", "es-MX", "es-ES", "pt-BR", "de", "fr", "pl", "ja"} <= written_in
