"""import_jobs --dry-run [--explain]: every stage but the store, and nothing stored."""

import json

import pytest
from django.core.management import CommandError

from companies.models import Company
from jobs.imports.explain import FACTS, Explained, explain
from jobs.imports.models import ImportRun, PostingSource
from jobs.models import JobPosting, PostingEvent
from tests.jobs.imports.helpers import fixture
from tests.jobs.imports.test_command import import_jobs, summary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_fixtures(settings):
    """The fixtures' dates are fixed (late 2026): ten years before they count as stale, so
    that OLD-2013 still is."""
    settings.IMPORT_STALE_AFTER_DAYS = 3650


def stored() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (JobPosting, Company, ImportRun, PostingSource, PostingEvent)
    )


def test_a_dry_run_prints_each_postings_facts_and_stores_nothing():
    before = stored()
    output = import_jobs(fixture("jsonld/held.json"), dry_run=True, publish=True)

    assert stored() == before
    assert "Dry run: nothing was stored." in output
    assert summary(output) == {
        "created": 4, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0
    }  # fmt: skip
    assert "#4 (LIVE-1) created, published: Vendedor de mostrador" in output
    assert "language=es countries=MX workplace=onsite" in output
    assert "#1 (OLD-2013) created, pending" in output
    assert "stale_posting" in output
    assert "no_apply" in output


def test_explain_says_why_each_fact_was_chosen():
    output = import_jobs(fixture("recruitee/offers.json"), dry_run=True, explain=True)

    # The Polish posting (with the structured PLN salary) is in a language the site does not
    # offer: the dry run says it would be skipped, and why.
    assert "skipped: unsupported_language" in output
    assert "workplace: remote (workplace field: remote)" in output
    assert "countries: DE (the feed's countries field: ['DE']; the places" in output
    # every fact with the phrase or field it was read from
    assert "employment_type: part_time (feed: Part-time)" in output
    assert "seniority: junior (title: werkstudent)" in output


def test_explain_names_the_evidence_of_every_fact():
    output = import_jobs(fixture("versions/personio_de.xml"), dry_run=True, explain=True)

    assert "language: de (the text reads as 'de' (1.00))" in output
    assert "countries: DE (the places ['Leipzig'])" in output
    assert "experience: 2 (the phrase: '" in output and "mindestens 2 jahre" in output
    assert "salary: 42000.00–48000.00 EUR year (the feed's structured salary" in output
    assert "employment_type: full_time (feed: full-time)" in output
    assert not Company.objects.exists()


def test_a_dry_run_after_an_import_sees_the_postings_unchanged():
    import_jobs(fixture("jsonld/quirks.html"))
    before = stored()
    output = import_jobs(fixture("jsonld/quirks.html"), dry_run=True)
    assert summary(output)["unchanged"] == 3
    assert stored() == before


def test_dry_run_json_keeps_the_summary_contract_and_adds_the_postings():
    output = import_jobs(fixture("indeed/feed.xml"), dry_run=True, explain=True, json=True)
    document = json.loads(output)

    for key in ("created", "updated", "unchanged", "skipped", "failed", "skips", "failures",
                "notes", "status", "error"):  # fmt: skip
        assert key in document
    assert document["status"] == "dry_run"
    assert document["skipped"] == 1 and len(document["skips"]) == 1
    assert document["skips"][0]["reason"]
    posting = next(p for p in document["postings"] if p["outcome"] == "created")
    assert set(posting["facts"]) == set(FACTS) == set(posting["why"])
    assert not JobPosting.objects.exists()


def test_a_dry_run_of_a_feed_without_postings_fails():
    with pytest.raises(CommandError) as error:
        import_jobs(fixture("greenhouse/board.json"), dry_run=True, format="lever")
    assert "Not one posting" in str(error.value)
    assert not ImportRun.objects.exists()


def test_explain_without_dry_run_is_refused():
    with pytest.raises(CommandError):
        import_jobs(fixture("jsonld/held.json"), explain=True)


def test_a_normalisers_own_explanations_win_fact_by_fact():
    class Normalised:
        fields = {"language": "fr", "countries": ["FR"], "workplace": "remote"}
        explanations = [("language", "fr", "the body is French; the title is English")]

    from jobs.imports.base import Record

    explained = {e.fact: e for e in explain(Record(language="en"), Normalised())}
    assert explained["language"] == Explained(
        "language", "fr", "the body is French; the title is English"
    )
    assert explained["workplace"].why == "read from the places, title or description"
