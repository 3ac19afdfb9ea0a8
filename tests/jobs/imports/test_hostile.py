"""Hostile and broken input: each bad item is skipped or cleaned with its reason, the rest
import, and nothing already stored is damaged."""

import json

import pytest

from jobs.imports.models import RunStatus
from jobs.imports.normalise import MAX_DESCRIPTION
from jobs.imports.services import import_run_create, import_run_execute
from jobs.models import JobPosting
from tests.jobs.imports.helpers import fixture, jsonld_feed, jsonld_posting

pytestmark = pytest.mark.django_db


def run(path, **options):
    created = import_run_create(location=str(path), source_name="Hostile", **options)
    return import_run_execute(run_id=created.pk)


def codes(result):
    return {(problem["kind"], problem["code"]) for problem in result.problems}


def test_scripts_and_event_handlers_never_reach_the_page():
    result = run(fixture("greenhouse/board.json"))

    posting = JobPosting.objects.get(external_id="4455669")
    assert result.created == 3
    assert "<script" not in posting.description_html
    assert "alert" not in posting.description_html
    assert "onclick" not in posting.description_html
    assert "<p>Salaire : competitive</p>" in posting.description_html


def test_markup_in_plain_fields_is_stripped(tmp_path):
    path = tmp_path / "feed.json"
    posting = jsonld_posting(
        0,
        title='<img src=x onerror="alert(1)">Engineer <b>now</b>',
        hiringOrganization={"name": "<script>steal()</script>Evil &amp; Co"},
    )
    path.write_text(json.dumps([posting]))
    run(path)

    stored = JobPosting.objects.get()
    assert stored.title == "Engineer now"
    assert stored.company.name == "Evil & Co"


def test_a_50_mb_field_is_cut_and_the_rest_imports(tmp_path):
    path = tmp_path / "feed.json"
    huge = "<p>" + "Lorem ipsum dolor sit amet. " * (50 * 1024 * 1024 // 28) + "</p>"
    with path.open("w") as out:
        out.write("[")
        out.write(json.dumps(jsonld_posting(0, description=huge, title="Big " * 100_000)))
        out.write(",")
        out.write(json.dumps(jsonld_posting(1)))
        out.write("]")
    result = run(path, language="en")

    assert result.created == 2
    big = JobPosting.objects.get(external_id="gen-0")
    assert len(big.description) <= MAX_DESCRIPTION
    assert len(big.title) <= 200
    truncated = {p["params"]["field"] for p in result.problems if p["code"] == "truncated"}
    assert truncated == {"title", "description"}


def test_unknown_country_and_competitive_salary_are_cleaned_not_fatal():
    result = run(fixture("indeed/feed.xml"))

    posting = JobPosting.objects.get(external_id="RRJ-102")
    assert posting.countries == []
    assert posting.salary_min is None
    assert ("cleaned", "unknown_country") in codes(result)
    assert ("cleaned", "salary_unparsed") in codes(result)
    assert ("skipped", "missing_title") in codes(result)


def test_bad_urls_and_emails_are_dropped(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([jsonld_posting(0, url="javascript:alert(1)", identifier="x-1")]))
    result = run(path)

    posting = JobPosting.objects.get()
    assert posting.apply_url == ""
    assert ("cleaned", "dropped_bad_url") in codes(result)


def test_a_broken_feed_damages_nothing_already_stored(tmp_path):
    path = tmp_path / "feed.json"
    path.write_bytes(jsonld_feed(3))
    run(path, publish=True)
    before = list(JobPosting.objects.order_by("pk").values())

    for body in [b"\x00\x01garbage", '[{"title": "caf\xe9'.encode("latin-1"), b""]:
        path.write_bytes(body)
        assert run(path, fmt="jsonld").status in {RunStatus.FAILED, RunStatus.PARTIAL}

    assert list(JobPosting.objects.order_by("pk").values()) == before


def test_an_entity_bomb_feed_fails_with_its_reason(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<source><job><title>&b;</title></job></source>"
    )
    result = run(path)

    assert result.status == RunStatus.FAILED
    assert result.error_code == "forbidden_xml"
    assert not JobPosting.objects.exists()


def test_a_posting_in_a_language_the_site_does_not_offer_is_never_stored(tmp_path):
    """Italian, Polish and Japanese texts are skipped whatever the feed declares; an English
    text declared Italian is listed in English, for a moderator to confirm."""
    bodies = {
        "it": "<p>Cerchiamo una persona che progetti e gestisca i servizi del nostro prodotto, "
        "migliori l'affidabilità dei sistemi e sostenga il resto della squadra.</p>",
        "pl": "<p>Szukamy osoby, która będzie rozwijać i utrzymywać usługi naszego produktu, "
        "zadba o niezawodność systemów i wesprze resztę zespołu.</p>",
        "ja": "<p>製品を支えるサービスを設計・運用し、システムの信頼性を高め、"
        "チームを支えてくれる方を募集しています。</p>",
    }
    postings = [
        jsonld_posting(0, inLanguage="it", description=bodies["it"]),
        jsonld_posting(1, inLanguage="en", description=bodies["pl"]),
        jsonld_posting(2, description=bodies["ja"]),
        jsonld_posting(3),
        jsonld_posting(4, inLanguage="it"),
    ]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(postings))
    result = run(path)

    assert (result.created, result.skipped) == (2, 3)
    skipped = [p for p in result.problems if p["code"] == "unsupported_language"]
    assert sorted(problem["params"]["language"] for problem in skipped) == ["it", "ja", "pl"]
    assert ("flagged", "language_mismatch") in codes(result)
    assert set(JobPosting.objects.values_list("external_id", "language")) == {
        ("gen-3", "en"),
        ("gen-4", "en"),
    }
