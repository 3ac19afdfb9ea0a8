"""Records skipped for what they say (a language the site does not offer, no title) are
remembered by the hash of the record as read: the next run reading one unchanged counts it as
skipped again, for the same reason, without normalising it (unchanged runs at speed, issue
17). A record that changed is normalised again; one that is gone is forgotten; one whose key a
stored posting has is always normalised, so that the posting's fate is decided as before."""

import json

import pytest
from django.db import transaction

import jobs.imports.identity
from jobs.imports.models import PostingSource, RunStatus, SkippedRecord
from jobs.imports.services import import_run_create, import_run_execute
from jobs.imports.skips import skips_remember
from jobs.models import JobPosting, Status
from tests.jobs.imports.helpers import jsonld_posting

pytestmark = pytest.mark.django_db

SOURCE = "Skips"
POLISH_BODY = (
    "<p>Szukamy osoby, która będzie projektować i utrzymywać usługi naszego produktu, "
    "dbać o niezawodność systemów i wspierać resztę zespołu w codziennej pracy.</p>"
)


@pytest.fixture
def normalised(monkeypatch) -> list[str]:
    """The keys of the records normalised, in order: the stage itself runs, only watched."""
    seen: list[str] = []
    original = jobs.imports.identity.normalise

    def watched(record, defaults):
        seen.append(record.key)
        return original(record, defaults)

    monkeypatch.setattr(jobs.imports.identity, "normalise", watched)
    return seen


def run(tmp_path, postings: list[dict]):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(postings))
    created = import_run_create(location=str(path), source_name=SOURCE, publish=True)
    return import_run_execute(run_id=created.pk)


def skips(result) -> list[tuple[str, str]]:
    return sorted(
        (problem["item"], problem["code"])
        for problem in result.problems
        if problem["kind"] == "skipped"
    )


def feed() -> list[dict]:
    return [
        jsonld_posting(0),
        jsonld_posting(1, description=POLISH_BODY),
        jsonld_posting(2, title=""),
        jsonld_posting(3),
    ]


def test_a_record_skipped_once_is_skipped_again_unchanged_without_normalising(
    tmp_path, normalised
):
    first = run(tmp_path, feed())
    assert (first.created, first.skipped) == (2, 2)
    assert sorted(SkippedRecord.objects.values_list("code", flat=True)) == [
        "missing_title",
        "unsupported_language",
    ]

    normalised.clear()
    again = run(tmp_path, feed())

    assert again.status == RunStatus.SUCCEEDED
    assert (again.unchanged, again.skipped, again.created) == (2, 2, 0)
    assert skips(again) == skips(first)
    polish = next(p for p in again.problems if p["code"] == "unsupported_language")
    assert polish["params"]["language"] == "pl"
    assert normalised == []
    assert set(SkippedRecord.objects.values_list("last_seen_run", flat=True)) == {again.pk}


def test_a_changed_record_is_normalised_again_and_a_gone_one_forgotten(tmp_path, normalised):
    run(tmp_path, feed())
    changed = feed()
    changed[1]["description"] = changed[0]["description"]  # now in English
    del changed[2]

    normalised.clear()
    again = run(tmp_path, changed)

    assert normalised == ["gen-1"]
    assert (again.created, again.unchanged, again.skipped) == (1, 2, 0)
    assert not SkippedRecord.objects.exists()
    assert JobPosting.objects.filter(external_id="gen-1", status=Status.PUBLISHED).exists()


def test_a_record_whose_key_a_stored_posting_has_is_always_normalised(tmp_path, normalised):
    """gen-1 was an English posting; its record turns Polish: the posting's fate is decided
    by normalising it on every run, never by the memory, and each run decides it alike."""
    run(tmp_path, [jsonld_posting(0), jsonld_posting(1)])
    polish = [jsonld_posting(0), jsonld_posting(1, description=POLISH_BODY)]

    second = run(tmp_path, polish)
    after_second = list(JobPosting.objects.order_by("pk").values("pk", "status", "language"))
    normalised.clear()
    third = run(tmp_path, polish)

    assert normalised == ["gen-1"]
    assert skips(third) == skips(second)
    assert list(JobPosting.objects.order_by("pk").values("pk", "status", "language")) == (
        after_second
    )
    link = PostingSource.objects.get(source_name=SOURCE, external_key="gen-1")
    assert link.last_seen_run_id == third.pk


def test_a_skip_written_twice_is_one_record_seen_by_the_latest_run(tmp_path):
    """A chunk processed again (its worker was killed after writing) writes its skips again:
    one row each, marked seen by the run that wrote it last."""
    first = run(tmp_path, feed())
    skip = SkippedRecord.objects.get(code="unsupported_language")
    entry = (skip.record_hash, skip.external_key, skip.code, skip.params)
    later = import_run_create(location=first.location, source_name=SOURCE)
    for current in (first, later, later):
        with transaction.atomic():
            skips_remember(run=current, skips=[entry])
    assert SkippedRecord.objects.filter(record_hash=skip.record_hash).count() == 1
    assert SkippedRecord.objects.get(record_hash=skip.record_hash).last_seen_run_id == later.pk


def test_the_same_record_twice_in_a_feed_is_remembered_once(tmp_path, normalised):
    twice = jsonld_posting(5, identifier="", url="", title="")
    postings = [jsonld_posting(0), twice, dict(twice)]

    first = run(tmp_path, postings)
    normalised.clear()
    again = run(tmp_path, postings)

    assert first.status == again.status == RunStatus.SUCCEEDED
    assert (first.skipped, again.skipped) == (2, 2)
    assert SkippedRecord.objects.count() == 1
    assert normalised == []
