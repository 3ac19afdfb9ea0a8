"""The run: created from the command, a source or the task, then carried out stage by stage:
fetch (``fetch``) → sniff (``sniff``) → parse (``formats``) → chunks of records
(``chunks``) → normalise (``normalise``) → identity and merge (``identity``) → store
(``store``), and at the end the postings its feed no longer lists expired."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from companies.models import Company
from jobs.imports.base import FeedError
from jobs.imports.chunks import Dispatch, Feeder
from jobs.imports.fetch import NetworkError, fetch, is_url, open_local
from jobs.imports.follow import complete_url, records
from jobs.imports.lease import LeaseLost, SourceLease, source_lock
from jobs.imports.models import ImportChunk, ImportRun, ImportSource, RunStatus
from jobs.imports.skips import skips_forget
from jobs.imports.sniff import parser_for
from jobs.imports.store import postings_expire_missing

logger = logging.getLogger(__name__)

Progress = Callable[[ImportRun], None]

# --- Runs -----------------------------------------------------------------------------


def import_run_create(
    *,
    location: str,
    source_name: str,
    fmt: str = "auto",
    company: Company | None = None,
    language: str = "",
    publish: bool = False,
    source: ImportSource | None = None,
    expire_after_missed_runs: int | None = None,
) -> ImportRun:
    """A queued run; ``import_run_execute`` (or the task) carries it out."""
    run = ImportRun(
        source=source,
        location=location,
        source_name=source_name[:100],
        format=fmt,
        company=company,
        language=language,
        publish=publish,
        expire_after_missed_runs=expire_after_missed_runs
        or settings.IMPORT_EXPIRE_AFTER_MISSED_RUNS,
    )
    run.full_clean(exclude=["source", "company"])
    run.save()
    return run


def import_source_run_create(*, source: ImportSource) -> ImportRun:
    return import_run_create(
        source=source,
        location=source.url,
        source_name=source.name,
        fmt=source.format,
        company=source.default_company,
        language=source.default_language,
        publish=source.publish_directly,
        expire_after_missed_runs=source.expire_after_missed_runs,
    )


@transaction.atomic
def import_source_save(*, source: ImportSource) -> ImportSource:
    """Store a source and keep its beat schedule (django-celery-beat) in step with it."""
    from django_celery_beat.models import PeriodicTask

    source.full_clean()
    source.save()
    if source.schedule_id and source.active:
        task = source.periodic_task or PeriodicTask()
        task.name = f"import: {source.name} ({source.pk})"
        task.task = "jobs.tasks.run_import_source"
        task.crontab_id = source.schedule_id
        task.interval = None
        task.args = json.dumps([source.pk])
        task.enabled = True
        task.save()
        if source.periodic_task_id != task.pk:
            source.periodic_task = task
            source.save(update_fields=["periodic_task"])
    elif source.periodic_task_id:
        task = source.periodic_task
        source.periodic_task = None
        source.save(update_fields=["periodic_task"])
        task.delete()
    return source


def import_run_execute(
    *, run_id: int, progress: Progress | None = None, dispatch: Dispatch | None = None
) -> ImportRun:
    """Carry out a run. A finished run is left as it is, so a redelivered task is harmless.

    With ``dispatch``, the records to normalise are stored as chunks and handed to other
    workers through it, and this process works on them too; without, it does all of them.
    Raises ``NetworkError`` after recording it, for the task to retry; every other problem
    ends the run with its reason.
    """
    run = ImportRun.objects.get(pk=run_id)
    if run.is_finished:
        return run
    with source_lock(run.source_name, run.pk) as lease:
        if lease is None:
            holder = SourceLease(run.source_name[:100], run.pk).holder_run_id()
            if run.status == RunStatus.RUNNING and holder == run.pk:
                # This very run is under way in another worker: a second delivery of its task
                # (the broker's visibility timeout ran out) leaves it to that worker.
                return run
            return _finish(run, RunStatus.SKIPPED, "locked")
        _start(run)
        feeder = Feeder(run, dispatch, lease)
        try:
            return _execute(run, feeder, progress)
        except LeaseLost:
            # Too long without renewing: another run of the source has started. Two runs
            # expiring each other's postings would be worse than stopping this one.
            logger.error("Import run %s lost its source's lease", run.pk)
            feeder.stop()
            return _finish(run, RunStatus.FAILED, "locked")
        except NetworkError as error:
            feeder.stop()
            _record_error(run, RunStatus.QUEUED, error.code, error.params)
            raise
        except FeedError as error:
            feeder.stop()
            return _finish(run, RunStatus.FAILED, error.code, error.params)
        except SoftTimeLimitExceeded:
            feeder.stop()
            return _finish(run, RunStatus.FAILED, "time_limit")
        except Exception:
            # An operator sees a reason, never a traceback; the logs keep it.
            logger.exception("Import run %s stopped", run.pk)
            feeder.stop()
            return _finish(run, RunStatus.FAILED, "internal_error")


def import_run_fail(*, run_id: int, code: str, params: dict[str, Any]) -> ImportRun:
    """End a run that will not be retried any more (its last network error)."""
    run = ImportRun.objects.get(pk=run_id)
    return _finish(run, RunStatus.FAILED, code, params)


def _start(run: ImportRun) -> None:
    # A retried run starts over from the top of the feed: what the killed attempt stored is
    # found again as unchanged, so the counts describe what this attempt did. Its chunks go
    # (waiting for any a worker is writing right now).
    ImportChunk.objects.filter(run=run).delete()
    run.status = RunStatus.RUNNING
    run.started_at = timezone.now()
    run.finished_at = None
    run.attempts += 1
    for name in ("processed", "bytes_read", "created", "updated", "unchanged", "merged",
                 "skipped", "failed", "expired"):  # fmt: skip
        setattr(run, name, 0)
    run.bytes_total = None
    run.problems = []
    run.error_code, run.error_params = "", {}
    run.save()


def _finish(
    run: ImportRun, status: str, code: str = "", params: dict[str, Any] | None = None
) -> ImportRun:
    run.status = status
    run.error_code, run.error_params = code, params or {}
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error_code", "error_params", "finished_at"])
    return run


def _record_error(run: ImportRun, status: str, code: str, params: dict[str, Any]) -> None:
    run.status = status
    run.error_code, run.error_params = code, params
    run.save(update_fields=["status", "error_code", "error_params"])


def open_location(location: str) -> IO[bytes]:
    """The fetch stage: the feed's bytes, from an http(s) URL or a local file."""
    if is_url(location):
        return fetch(complete_url(location))
    return open_local(location)


def _execute(run: ImportRun, feeder: Feeder, progress: Progress | None) -> ImportRun:
    with open_location(run.location) as stream:
        stream.seek(0, 2)
        run.bytes_total = stream.tell()
        stream.seek(0)
        parser = parser_for(run.format, stream, run.location)
        broken: FeedError | None = None
        try:
            feeder.renew()  # the download may have taken a while
            for batch in _chunks(
                records(parser, run.location, stream), settings.IMPORT_CHUNK_SIZE
            ):
                feeder.feed(batch)
                run.bytes_read = stream.tell()
                feeder.tick()
                if progress:
                    progress(run)
        except FeedError as error:
            broken = error
        run.bytes_read = stream.tell()
    feeder.finish(whole=broken is None)
    if broken is not None:
        # A feed that broke off may have lost any posting: expire nothing.
        status = RunStatus.PARTIAL if run.processed else RunStatus.FAILED
        return _finish(run, status, broken.code, broken.params)
    if not feeder.records and run.bytes_total:
        # Bytes but not one posting read: the wrong reader, a page without postings, or
        # only unreadable items. Never a success, which would expire every posting the
        # source had.
        return _finish(run, RunStatus.FAILED, "no_postings", {"format": parser.label})
    feeder.renew()  # still ours: no other run of the source marked anything seen meanwhile
    run.expired = postings_expire_missing(run=run)
    run.save(update_fields=["expired"])
    skips_forget(run=run)
    return _finish(run, RunStatus.SUCCEEDED)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of ``size`` items; when the feed breaks off, the items read before it first."""
    chunk: list[Any] = []
    try:
        for item in items:
            chunk.append(item)
            if len(chunk) == size:
                yield chunk
                chunk = []
    except FeedError:
        if chunk:
            yield chunk
        raise
    if chunk:
        yield chunk
