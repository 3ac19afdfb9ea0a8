"""The per-source lease: one run of a source at a time, with no database session state, so
that it holds behind pgbouncer in transaction mode."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from jobs.imports.lease import LeaseLost, SourceLease
from jobs.imports.models import ImportLease, ImportRun, RunStatus
from jobs.imports.services import import_run_create, import_run_execute
from jobs.models import JobPosting
from tests.jobs.imports.helpers import jsonld_posting

pytestmark = pytest.mark.django_db(transaction=True)


def run_of(source_name: str, tmp_path) -> ImportRun:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([jsonld_posting(index) for index in range(120)]))
    return import_run_create(location=str(path), source_name=source_name)


def advisory_locks_of_this_session() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_a_lease_outlives_the_connection_that_took_it(tmp_path):
    first, second = run_of("Leased", tmp_path), run_of("Leased", tmp_path)
    lease = SourceLease("Leased", first.pk)
    assert lease.acquire()
    assert advisory_locks_of_this_session() == 0

    # Behind pgbouncer the next statement may reach another server connection: here, a new one.
    connection.close()
    other = SourceLease("Leased", second.pk)
    assert not other.acquire()
    assert other.holder_run_id() == first.pk
    lease.renew()  # from yet another session

    lease.release()
    assert other.acquire()
    assert not ImportLease.objects.exclude(run=second).exists()


def test_a_lease_past_its_expiry_is_taken_over_and_its_old_holder_stops(tmp_path):
    first, second = run_of("Leased", tmp_path), run_of("Leased", tmp_path)
    lease = SourceLease("Leased", first.pk)
    assert lease.acquire()
    other = SourceLease("Leased", second.pk)
    assert not other.acquire()

    # The first holder's worker died (or stalled) and did not renew in time.
    ImportLease.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert other.holder_run_id() is None
    assert other.acquire()

    with pytest.raises(LeaseLost):
        lease.renew()
    lease.release()  # the old holder's release leaves the new holder's lease alone
    assert ImportLease.objects.get().run_id == second.pk


def test_a_run_frees_its_source_for_the_next(tmp_path):
    first = import_run_execute(run_id=run_of("Leased", tmp_path).pk)
    second = import_run_execute(run_id=run_of("Leased", tmp_path).pk)

    assert (first.status, second.status) == (RunStatus.SUCCEEDED, RunStatus.SUCCEEDED)
    assert (first.created, second.unchanged) == (120, 120)
    assert not ImportLease.objects.exists()


def test_a_run_whose_lease_was_taken_over_stops_without_expiring_anything(tmp_path, settings):
    settings.IMPORT_CHUNK_SIZE = 50
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([jsonld_posting(index) for index in range(120)]))
    import_run_execute(run_id=run_of("Leased", tmp_path).pk)
    path.write_text(json.dumps([jsonld_posting(index) for index in range(200, 320)]))
    stalled = import_run_create(
        location=str(path), source_name="Leased", expire_after_missed_runs=1
    )
    thief = run_of("Other", tmp_path)

    def taken_over(run: ImportRun) -> None:
        # As if this run stalled past its lease and another run of the source began.
        ImportLease.objects.filter(source_name="Leased").update(run=thief, owner="thief")

    stopped = import_run_execute(run_id=stalled.pk, progress=taken_over)

    assert (stopped.status, stopped.error_code) == (RunStatus.FAILED, "locked")
    assert stopped.expired == 0
    assert JobPosting.objects.filter(source_name="Leased", status="expired").count() == 0
    assert ImportLease.objects.get(source_name="Leased").owner == "thief"
