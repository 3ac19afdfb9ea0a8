"""Identity across runs and sources, and the life cycle of imported postings."""

import json

import pytest
from django.utils import timezone

from jobs.imports.models import PostingSource, RunStatus
from jobs.imports.services import import_run_create, import_run_execute
from jobs.models import EventAction, JobPosting, Status
from tests.jobs.imports.helpers import jsonld_feed, jsonld_posting

pytestmark = pytest.mark.django_db


def run(path, *, name="Board", publish=True, grace=2):
    created = import_run_create(
        location=str(path), source_name=name, publish=publish, expire_after_missed_runs=grace
    )
    return import_run_execute(run_id=created.pk)


def test_a_missing_posting_expires_only_after_the_grace_runs_and_reopens_on_return(tmp_path):
    path = tmp_path / "feed.json"
    path.write_bytes(jsonld_feed(3))
    run(path)
    path.write_bytes(jsonld_feed(2))  # gen-2 disappears

    first_miss = run(path)
    assert JobPosting.objects.get(external_id="gen-2").status == Status.PUBLISHED
    assert first_miss.expired == 0

    second_miss = run(path)
    assert second_miss.expired == 1
    gone = JobPosting.objects.get(external_id="gen-2")
    assert gone.status == Status.EXPIRED
    assert JobPosting.objects.filter(status=Status.PUBLISHED).count() == 2

    path.write_bytes(jsonld_feed(3))
    back = run(path)
    assert back.updated == 1
    assert back.created == 0
    reopened = JobPosting.objects.get(external_id="gen-2")
    assert reopened.pk == gone.pk
    assert reopened.status == Status.PUBLISHED
    assert PostingSource.objects.get(posting=reopened).present


def test_a_partial_or_failed_fetch_expires_nothing(tmp_path):
    path = tmp_path / "feed.json"
    path.write_bytes(jsonld_feed(3))
    run(path, grace=1)

    truncated = jsonld_feed(3)[:-200]  # the document breaks off inside the third posting
    path.write_bytes(truncated)
    partial = run(path, grace=1)
    assert partial.status == RunStatus.PARTIAL
    assert partial.error_code == "malformed_json"
    path.write_bytes(b"{not json")
    failed = run(path, grace=1)
    assert failed.status == RunStatus.FAILED

    assert JobPosting.objects.filter(status=Status.PUBLISHED).count() == 3
    assert not PostingSource.objects.filter(missed_runs__gt=0).exists()


def test_an_item_skipped_for_bad_data_still_counts_as_present(tmp_path):
    path = tmp_path / "feed.json"
    path.write_bytes(jsonld_feed(2))
    run(path, grace=1)

    postings = [jsonld_posting(0), jsonld_posting(1, title="")]
    path.write_text(json.dumps(postings))
    again = run(path, grace=1)

    assert again.skipped == 1
    assert JobPosting.objects.get(external_id="gen-1").status == Status.PUBLISHED


def test_the_same_job_from_two_sources_is_listed_once_with_both(tmp_path):
    first = tmp_path / "board.json"
    first.write_bytes(jsonld_feed(2))
    copy = tmp_path / "aggregator.json"
    # Another board: its own ids and URLs, slightly different markup, the same job.
    copy.write_text(
        json.dumps(
            [
                jsonld_posting(
                    index,
                    identifier=f"agg-{index}",
                    url=f"https://aggregator.example/{index}",
                    description=jsonld_posting(index)["description"].replace("<p>", "<p> "),
                )
                for index in range(2)
            ]
        )
    )
    run(first, name="Board")
    second = run(copy, name="Aggregator")

    assert second.created == 0
    assert second.merged == 2
    assert JobPosting.objects.count() == 2
    posting = JobPosting.objects.get(external_id="gen-0")
    assert sorted(posting.import_sources.values_list("source_name", flat=True)) == [
        "Aggregator",
        "Board",
    ]
    assert posting.source_name == "Board"  # the first source keeps the attribution
    # Either source keeps it open alone.
    first.write_text("[]")
    for _ in range(3):
        run(first, name="Board")
    assert JobPosting.objects.get(pk=posting.pk).status == Status.PUBLISHED


def test_a_feed_without_ids_is_keyed_by_canonical_url(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([jsonld_posting(0, identifier=None)]))
    run(path)
    run(path)

    assert PostingSource.objects.get().external_key == "https://jobs.example/gen-0"
    assert JobPosting.objects.count() == 1


def test_a_feed_listing_a_posting_twice_stores_it_once(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([jsonld_posting(0), jsonld_posting(0)]))
    result = run(path)

    assert (result.created, result.skipped) == (1, 1)
    assert result.problems[0]["code"] == "duplicate_in_feed"


def test_every_status_move_of_an_import_writes_its_audit_event(tmp_path):
    path = tmp_path / "feed.json"
    path.write_bytes(jsonld_feed(2))
    run(path, grace=1)
    path.write_bytes(jsonld_feed(1))  # gen-1 disappears
    run(path, grace=1)
    path.write_bytes(jsonld_feed(2))  # and comes back
    run(path, grace=1)

    posting = JobPosting.objects.get(external_id="gen-1")
    events = list(posting.events.order_by("pk").values_list("action", "from_status", "to_status"))
    assert events == [
        (EventAction.PUBLISHED, "", Status.PUBLISHED),
        (EventAction.EXPIRED, Status.PUBLISHED, Status.EXPIRED),
        (EventAction.PUBLISHED, Status.EXPIRED, Status.PUBLISHED),
    ]
    assert set(posting.events.values_list("message", flat=True)) == {"import: Board"}
    assert posting.status == Status.PUBLISHED
    assert posting.expires_at > timezone.now()
    # A posting held for a moderator is recorded as created, not published.
    path.write_bytes(jsonld_feed(1, start=5))
    run(path, name="Held", publish=False)
    held = JobPosting.objects.get(source_name="Held")
    assert list(held.events.values_list("action", "to_status")) == [
        (EventAction.CREATED, Status.PENDING)
    ]
