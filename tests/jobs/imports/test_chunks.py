"""A run's records shared out as chunks: each chunk done once, the run's counts exact."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.imports.models import ImportChunk, ImportRun, RunStatus
from jobs.imports.services import chunk_process, import_run_create, import_run_execute
from jobs.models import JobPosting
from jobs.tasks import import_chunk
from tests.jobs.imports.helpers import jsonld_posting

pytestmark = pytest.mark.django_db

TOTAL = 260


def feed(path, postings):
    path.write_text(json.dumps(postings))
    return path


def mixed_postings():
    """TOTAL usable postings, one repeated id, one without a title, and a copy of an earlier
    job under a new id in a later chunk: folded into that posting (counted as an update of
    it, as without chunks), not created again."""
    postings = [jsonld_posting(index) for index in range(TOTAL)]
    postings.insert(10, jsonld_posting(3))
    postings.insert(20, jsonld_posting(9999, title=""))
    postings.append({**jsonld_posting(5), "identifier": "copy-of-5", "url": ""})
    return postings


def execute(path, dispatch, name="Chunked"):
    run = import_run_create(location=str(path), source_name=name, publish=True)
    return import_run_execute(run_id=run.pk, dispatch=dispatch)


def counts(run):
    return {
        name: getattr(run, name)
        for name in ("processed", "created", "updated", "unchanged", "merged", "skipped", "failed")
    }


EXPECTED = {
    "processed": TOTAL + 3, "created": TOTAL, "updated": 1, "unchanged": 0, "merged": 0,
    "skipped": 2, "failed": 0,
}  # fmt: skip


def test_chunks_nobody_took_are_done_by_the_run_itself(tmp_path, settings):
    settings.IMPORT_CHUNK_SIZE = 50
    handed_out: list[int] = []

    run = execute(feed(tmp_path / "feed.json", mixed_postings()), handed_out.append)

    assert run.status == RunStatus.SUCCEEDED
    assert len(handed_out) == 6  # 262 records to normalise: the repeated id is counted here
    assert counts(run) == EXPECTED
    assert JobPosting.objects.filter(source_name="Chunked").count() == TOTAL
    # A chunk task delivered late finds its chunk done and gone: nothing is counted twice.
    assert [import_chunk.delay(pk).get() for pk in handed_out] == [False] * 6
    run.refresh_from_db()
    assert counts(run) == EXPECTED
    assert not ImportChunk.objects.exists()


def test_a_chunk_done_by_another_worker_and_delivered_again_counts_once(tmp_path, settings):
    settings.IMPORT_CHUNK_SIZE = 50
    outcomes: list[bool] = []

    def other_worker(chunk_id: int) -> None:
        # Done at once elsewhere, then delivered again (a redelivery after a lost ack).
        outcomes.append(chunk_process(chunk_id=chunk_id))
        outcomes.append(chunk_process(chunk_id=chunk_id))

    run = execute(feed(tmp_path / "feed.json", mixed_postings()), other_worker)

    assert outcomes == [True, False] * 6
    assert counts(run) == EXPECTED
    postings = JobPosting.objects.filter(source_name="Chunked")
    assert postings.count() == postings.values("external_id").distinct().count() == TOTAL


def test_a_feed_that_breaks_off_keeps_the_counts_of_its_chunks(tmp_path, settings):
    settings.IMPORT_CHUNK_SIZE = 50
    path = tmp_path / "feed.json"
    text = json.dumps([jsonld_posting(index) for index in range(120)])
    path.write_text(text[: len(text) - 400])  # the last posting is cut off

    run = execute(path, lambda chunk_id: None)

    assert run.status == RunStatus.PARTIAL
    assert run.created == run.processed == 119
    assert JobPosting.objects.filter(source_name="Chunked").count() == 119
    assert not ImportChunk.objects.exists()


def test_a_rerun_with_chunks_finds_everything_unchanged(tmp_path, settings):
    settings.IMPORT_CHUNK_SIZE = 50
    path = feed(tmp_path / "feed.json", mixed_postings())
    execute(path, lambda chunk_id: None)
    handed_out: list[int] = []

    again = execute(path, handed_out.append)

    # Unchanged records are recognised by the run's task itself, and so is the record that
    # was skipped for its missing title (jobs_skippedrecord): nothing is normalised again.
    assert handed_out == []
    assert (again.created, again.updated, again.merged, again.skipped) == (0, 0, 0, 2)
    assert again.unchanged == TOTAL + 1


@pytest.fixture
def source_locked_elsewhere():
    """Hold a source's lease for a run, as a worker running it would, from another
    database session that has committed it."""
    import psycopg
    from django.db import connection

    sessions = []

    def hold(source_name: str, run_id: int) -> None:
        session = psycopg.connect(**connection.get_connection_params(), autocommit=True)
        session.execute(
            "INSERT INTO jobs_importlease (source_name, run_id, owner, locked_until) "
            "VALUES (%s, %s, 'elsewhere', now() + interval '1 hour')",
            [source_name, run_id],
        )
        sessions.append(session)

    yield hold
    for session in sessions:
        session.execute("DELETE FROM jobs_importlease WHERE owner = 'elsewhere'")
        session.close()


@pytest.mark.django_db(transaction=True)
def test_a_second_delivery_of_a_running_run_leaves_it_to_its_worker(
    tmp_path, source_locked_elsewhere
):
    path = feed(tmp_path / "feed.json", [jsonld_posting(1)])
    run = import_run_create(location=str(path), source_name="Busy")
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    source_locked_elsewhere("Busy", run.pk)

    assert import_run_execute(run_id=run.pk).status == RunStatus.RUNNING
    assert ImportRun.objects.get(pk=run.pk).status == RunStatus.RUNNING


@pytest.mark.django_db(transaction=True)
def test_a_run_of_a_source_another_run_holds_is_skipped(tmp_path, source_locked_elsewhere):
    path = feed(tmp_path / "feed.json", [jsonld_posting(1)])
    running = import_run_create(location=str(path), source_name="Busy")
    ImportRun.objects.update(status=RunStatus.RUNNING)
    queued = import_run_create(location=str(path), source_name="Busy")
    source_locked_elsewhere("Busy", running.pk)

    skipped = import_run_execute(run_id=queued.pk)

    assert (skipped.status, skipped.error_code) == (RunStatus.SKIPPED, "locked")
    assert JobPosting.objects.filter(source_name="Busy").count() == 0


def test_a_chunk_another_worker_claimed_is_left_to_it_until_its_claim_runs_out(tmp_path, settings):
    settings.IMPORT_CHUNK_SIZE = 50
    claimed: list[bool] = []

    def claimed_by_a_worker_that_dies(chunk_id: int) -> None:
        # Another worker took the chunk and was killed before writing it.
        ImportChunk.objects.filter(pk=chunk_id).update(
            claimed_by="elsewhere", claimed_until=timezone.now() + timedelta(seconds=1)
        )
        claimed.append(chunk_process(chunk_id=chunk_id))

    run = execute(feed(tmp_path / "feed.json", mixed_postings()), claimed_by_a_worker_that_dies)

    # Nobody else touched the chunks while claimed; once the claims ran out, the run's task
    # did each of them, once.
    assert claimed == [False] * 6
    assert run.status == RunStatus.SUCCEEDED
    assert counts(run) == EXPECTED
    postings = JobPosting.objects.filter(source_name="Chunked")
    assert postings.count() == postings.values("external_id").distinct().count() == TOTAL


def test_a_chunk_looks_up_the_companies_it_names_in_one_query(tmp_path, settings):
    """Each chunk is processed afresh (by any worker): its companies are found together, not
    one query per company and chunk."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from companies.models import Company

    settings.IMPORT_CHUNK_SIZE = 50
    names = [f"Company {index}" for index in range(7)]
    for name in names:
        Company.objects.create(slug=name.lower().replace(" ", "-"), name=name)
    postings = [
        jsonld_posting(
            index, hiringOrganization={"@type": "Organization", "name": names[index % 7]}
        )
        for index in range(100)
    ]
    handed_out: list[int] = []
    with CaptureQueriesContext(connection) as context:
        run = execute(feed(tmp_path / "feed.json", postings), handed_out.append)

    assert counts(run)["created"] == 100
    lookups = [
        q["sql"] for q in context.captured_queries if 'FROM "companies_company"' in q["sql"]
    ]
    assert len(lookups) == len(handed_out) == 2
