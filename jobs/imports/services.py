"""Every write the import pipeline makes: runs, postings from records, their sources, expiry.

A run reads its feed as a stream of records. Records that come again exactly as last stored
are recognised by their hash, one query a batch, and only counted and marked seen. The others
need normalising, the expensive part: they are grouped into chunks (``ImportChunk``) that any
worker may process, the run's own task included, each chunk in one transaction that also marks
it done with its counts. Writes are idempotent: a posting is found again by its source and key
(``PostingSource``), rewritten only when the hash of its normalised content changed, and
concurrent chunks take transaction locks on the keys they write, so two workers never create
the same posting twice. A killed worker's chunk is rolled back and, once that worker's claim
on it runs out, processed again by its redelivered task or by the run's task; the run ends,
and expires what its feed no longer lists, only once every chunk is done. One run of a source
at a time is a lease row (``SourceLease``): nothing here relies on the database session.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import IO, Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import DateTimeField, Exists, F, Func, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify

from companies.models import Company
from companies.services import company_upsert
from jobs.caching import invalidate
from jobs.imports.base import FeedError, ItemProblem, Record
from jobs.imports.fetch import NetworkError, fetch, is_url, open_local
from jobs.imports.models import (
    ImportChunk,
    ImportLease,
    ImportRun,
    ImportSource,
    PostingSource,
    ProblemKind,
    RunStatus,
)
from jobs.imports.normalise import (
    RULES_VERSION,
    Defaults,
    Normalised,
    Skip,
    clean_text,
    normalise,
    record_identity,
)
from jobs.imports.sniff import parser_for
from jobs.models import JobPosting, Status
from jobs.services.postings import posting_derive
from locales.models import Region

logger = logging.getLogger(__name__)

# Fields an import writes on a posting; a moderator's status and dates are left alone.
CONTENT_FIELDS = [
    "title", "slug", "description", "description_format", "description_html", "language",
    "countries", "location", "region", "workplace", "employment_type", "seniority",
    "experience_years_min", "language_requirements", "salary_min", "salary_max",
    "salary_currency", "salary_period", "apply_url", "apply_email", "source_url",
    "company", "duplicate_key", "needs_review", "review_reason", "updated_at",
]  # fmt: skip
LINK_FIELDS = [
    "content_hash",
    "record_hash",
    "source_url",
    "last_seen_run",
    "missed_runs",
    "present",
]
# Postings a duplicate may be merged into: not ones a moderator turned down or put away.
MERGEABLE = [Status.DRAFT, Status.PENDING, Status.PUBLISHED, Status.EXPIRED]

Progress = Callable[[ImportRun], None]
# Hands a stored chunk's id to other workers (the task queues ``import_chunk``).
Dispatch = Callable[[int], None]
# Chunks stored and not yet done before the run's own task processes one itself: enough to
# keep the other workers busy, few enough that the table stays small.
CHUNK_BACKLOG = 4
COUNTS = ("processed", "created", "updated", "unchanged", "merged", "skipped", "failed")


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


def import_source_run_now(*, source: ImportSource) -> ImportRun:
    """Queue a run of the source for a worker, once the run is committed."""
    from jobs.tasks import run_import  # the task module imports this one

    run = import_source_run_create(source=source)
    transaction.on_commit(lambda: run_import.delay(run.pk))
    return run


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


def lock_key(name: str) -> int:
    """A PostgreSQL advisory lock key (a signed bigint) for a name."""
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
    return key - (1 << 63)


def worker_token() -> str:
    """Names the process holding a lease or a claim (host and pid, for operators and tests)
    and this holding of it (a random part: the same process may hold it again later)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class LeaseLost(Exception):
    """The source's lease ran out and another run took it: this one must stop."""


class SourceLease:
    """One run of a source at a time, everywhere: a row (``ImportLease``) taken with one
    conditional statement, renewed as the run goes, deleted at its end. Nothing is kept in
    the database session, so it holds behind pgbouncer in transaction mode; a killed worker's
    lease runs out after ``IMPORT_LEASE_SECONDS``."""

    def __init__(self, source_name: str, run_id: int) -> None:
        self.source_name = source_name
        self.run_id = run_id
        self.owner = worker_token()

    def acquire(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO jobs_importlease AS lease (source_name, run_id, owner, locked_until) "
                "VALUES (%s, %s, %s, statement_timestamp() + %s * interval '1 second') "
                "ON CONFLICT (source_name) DO UPDATE SET run_id = EXCLUDED.run_id, "
                "owner = EXCLUDED.owner, locked_until = EXCLUDED.locked_until "
                "WHERE lease.locked_until < statement_timestamp() RETURNING owner",
                [self.source_name, self.run_id, self.owner, settings.IMPORT_LEASE_SECONDS],
            )
            return cursor.fetchone() is not None

    def renew(self) -> None:
        """Push the expiry back; raises ``LeaseLost`` if the lease is not ours any more."""
        renewed = ImportLease.objects.filter(
            source_name=self.source_name, owner=self.owner
        ).update(locked_until=StatementTime() + timedelta(seconds=settings.IMPORT_LEASE_SECONDS))
        if renewed != 1:
            raise LeaseLost(self.source_name)

    def release(self) -> None:
        ImportLease.objects.filter(source_name=self.source_name, owner=self.owner).delete()

    def holder_run_id(self) -> int | None:
        """The run holding the lease now, if it has not run out."""
        return (
            ImportLease.objects.filter(
                source_name=self.source_name, locked_until__gte=StatementTime()
            )
            .values_list("run_id", flat=True)
            .first()
        )


@contextmanager
def source_lock(source_name: str, run_id: int) -> Iterator[SourceLease | None]:
    """The source's lease for the run, or None when another holder has it."""
    lease = SourceLease(source_name[:100], run_id)
    if not lease.acquire():
        yield None
        return
    try:
        yield lease
    finally:
        lease.release()


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


def _open(run: ImportRun) -> IO[bytes]:
    if is_url(run.location):
        return fetch(run.location)
    return open_local(run.location)


def _execute(run: ImportRun, feeder: Feeder, progress: Progress | None) -> ImportRun:
    with _open(run) as stream:
        stream.seek(0, 2)
        run.bytes_total = stream.tell()
        stream.seek(0)
        parser = parser_for(run.format, stream)
        broken: FeedError | None = None
        try:
            feeder.renew()  # the download may have taken a while
            for batch in _chunks(parser.parse(stream), settings.IMPORT_CHUNK_SIZE):
                feeder.feed(batch)
                run.bytes_read = stream.tell()
                feeder.renew()
                feeder.save_progress()
                if progress:
                    progress(run)
        except FeedError as error:
            broken = error
        run.bytes_read = stream.tell()
    feeder.finish()
    if broken is not None:
        # A feed that broke off may have lost any posting: expire nothing.
        status = RunStatus.PARTIAL if run.processed else RunStatus.FAILED
        return _finish(run, status, broken.code, broken.params)
    feeder.renew()  # still ours: no other run of the source marked anything seen meanwhile
    run.expired = postings_expire_missing(run=run)
    run.save(update_fields=["expired"])
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


# --- Counting -------------------------------------------------------------------------


@dataclass(slots=True)
class Tally:
    """What one process did to its items: the run's task, or a chunk."""

    processed: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    skipped: int = 0
    failed: int = 0
    problems: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def problem(self, kind: str, label: str, code: str, params: dict[str, Any]) -> None:
        if kind == ProblemKind.SKIPPED:
            self.skipped += 1
        elif kind == ProblemKind.FAILED:
            self.failed += 1
        if len(self.problems) < ImportRun.MAX_PROBLEMS:
            self.problems.append(
                {"item": label, "kind": str(kind), "code": code, "params": _plain(params)}
            )


# --- The run's task: reading the feed, sharing the work -------------------------------


@dataclass(slots=True)
class Pending:
    """A record to normalise, where it stood in the feed, and its record hash."""

    position: int
    record: Record
    digest: str


class Feeder:
    """Reads a run's records: counts problems, duplicates and unchanged records itself, and
    stores the others, a chunk at a time, for whichever worker gets to them first."""

    def __init__(
        self, run: ImportRun, dispatch: Dispatch | None, lease: SourceLease | None = None
    ) -> None:
        self.run = run
        self.dispatch = dispatch
        self.lease = lease
        self.tally = Tally()
        self.importer = Importer(run, self.tally)
        self.seen: set[str] = set()
        self.position = 0
        self.pending: list[Pending] = []
        self.chunks = 0

    def feed(self, batch: list[Record | ItemProblem]) -> None:
        importer = self.importer
        records: list[tuple[int, Record, str]] = []
        for entry in batch:
            self.position += 1
            if isinstance(entry, ItemProblem):
                self.tally.processed += 1
                self.tally.problem(ProblemKind.SKIPPED, entry.item, entry.code, entry.params)
                continue
            identity = record_identity(entry)
            if identity:
                if identity in self.seen:
                    self.tally.processed += 1
                    label = _label(self.position, entry)
                    self.tally.problem(ProblemKind.SKIPPED, label, "duplicate_in_feed", {})
                    continue
                self.seen.add(identity)
            records.append((self.position, entry, importer.record_hash(entry)))
        unchanged = self.mark_unchanged([digest for _position, _record, digest in records])
        for position, record, digest in records:
            if digest in unchanged:
                self.tally.processed += 1
                self.tally.unchanged += 1
            else:
                self.pending.append(Pending(position, record, digest))
        while len(self.pending) >= settings.IMPORT_CHUNK_SIZE:
            self.flush(settings.IMPORT_CHUNK_SIZE)

    def mark_unchanged(self, digests: list[str]) -> set[str]:
        """Mark seen the links whose record comes again exactly as last stored, and return
        their hashes: one statement for the batch, and no normalising."""
        if not digests:
            return set()
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE jobs_postingsource SET last_seen_run_id = %s, "
                "missed_runs = 0 WHERE source_name = %s AND record_hash = ANY(%s) "
                "AND record_hash <> '' AND present RETURNING record_hash",
                [self.run.pk, self.run.source_name, digests],
            )
            return {digest for (digest,) in cursor.fetchall()}

    def flush(self, size: int | None = None) -> None:
        """Store (or, alone, process) the next ``size`` pending records."""
        batch, self.pending = self.pending[:size], self.pending[len(self.pending[:size]) :]
        if not batch:
            return
        if self.dispatch is None:
            self.importer.store(batch)
            return
        self.chunks += 1
        chunk = ImportChunk.objects.create(
            run=self.run,
            number=self.chunks,
            entries=json.dumps([_entry_json(item) for item in batch], ensure_ascii=False),
        )
        self.dispatch(chunk.pk)
        # Work on a chunk here too once the other workers fall behind.
        if self.undone().count() > CHUNK_BACKLOG:
            self.help()

    def renew(self) -> None:
        if self.lease is not None:
            self.lease.renew()

    def undone(self):
        return ImportChunk.objects.filter(run=self.run, done=False)

    def help(self) -> bool:
        """Process the oldest chunk nobody is working on; False if there is none."""
        for chunk_id in self.undone().order_by("number").values_list("pk", flat=True):
            if chunk_process(chunk_id=chunk_id):
                return True
        return False

    def finish(self) -> None:
        """Store the last records, then see every chunk done, by this process or another."""
        self.flush()
        if self.dispatch is not None:
            while self.help():
                self.renew()
            # Chunks still undone are being written by live workers: wait for each (the
            # claim is theirs until they end), and do it here if its worker died.
            for chunk_id in self.undone().order_by("number").values_list("pk", flat=True):
                chunk_process(chunk_id=chunk_id, wait=True)
                self.renew()
        self.save_progress()
        if self.chunks:  # their counts are the run's now
            ImportChunk.objects.filter(run=self.run).delete()

    def stop(self) -> None:
        """The run ends early: chunks not done by now never will be. Deleting them waits for
        any a worker is committing, so that the counts include it."""
        if self.chunks:
            self.undone().delete()
        self.save_progress()
        if self.chunks:
            ImportChunk.objects.filter(run=self.run).delete()

    def save_progress(self) -> None:
        """The run's counts: this process's and those of the chunks done so far."""
        run, tally = self.run, self.tally
        for name in COUNTS:
            setattr(run, name, getattr(tally, name))
        run.problems = list(tally.problems)
        done = ImportChunk.objects.filter(run=run, done=True).order_by("number")
        for chunk in done.only(*COUNTS, "problems") if self.chunks else []:
            for name in COUNTS:
                setattr(run, name, getattr(run, name) + getattr(chunk, name))
            run.problems.extend(chunk.problems)
        run.problems = run.problems[: ImportRun.MAX_PROBLEMS]
        ImportRun.objects.filter(pk=run.pk).update(
            bytes_read=run.bytes_read,
            bytes_total=run.bytes_total,
            problems=run.problems,
            **{name: getattr(run, name) for name in COUNTS},
        )


def _label(position: int, record: Record) -> str:
    return f"#{position}" + (f" ({record.key[:80]})" if record.key else "")


_DECIMALS = ("salary_min", "salary_max")
_DATES = ("date_posted", "valid_through")


def _entry_json(item: Pending) -> dict[str, Any]:
    record = {name: getattr(item.record, name) for name in RECORD_FIELDS}
    for name in _DECIMALS:
        if record[name] is not None:
            record[name] = str(record[name])
    for name in _DATES:
        if record[name] is not None:
            record[name] = record[name].isoformat()
    return {"position": item.position, "hash": item.digest, "record": record}


def _entry_from_json(entry: dict[str, Any]) -> Pending:
    record = dict(entry["record"])
    for name in _DECIMALS:
        if record[name] is not None:
            record[name] = Decimal(record[name])
    for name in _DATES:
        if record[name] is not None:
            record[name] = datetime.fromisoformat(record[name])
    return Pending(entry["position"], Record(**record), entry["hash"])


def chunk_process(*, chunk_id: int, wait: bool = False) -> bool:
    """Process a stored chunk unless it is done or another worker is on it.

    True when this call did it. Idempotent: the chunk's postings, its counts and its "done"
    are committed together, so a chunk killed part way is rolled back whole and done again.
    ``wait`` waits for a worker that has claimed the chunk, then does it if that worker died
    (its claim ran out). Claims are rows, not locks: nothing depends on the database session.
    """
    token = worker_token()
    while not _chunk_claim(chunk_id, token):
        if not wait or not ImportChunk.objects.filter(pk=chunk_id, done=False).exists():
            return False
        time.sleep(CLAIM_POLL_SECONDS)
    chunk = ImportChunk.objects.select_related("run").filter(pk=chunk_id, done=False).first()
    if chunk is None:
        return False
    run = chunk.run
    tally = Tally()
    importer = Importer(run, tally)
    entries = [_entry_from_json(entry) for entry in json.loads(chunk.entries)]
    prepared = importer.prepare_all(entries)
    with transaction.atomic():
        # The run may have ended or started over meanwhile (the chunk is gone), or this worker
        # was so slow that its claim ran out and another took the chunk: leave it to that one.
        mine = ImportChunk.objects.select_for_update().filter(
            pk=chunk.pk, done=False, claimed_by=token
        )
        if not mine:
            transaction.set_rollback(True)
            return False
        importer.write_all(*prepared)
        ImportChunk.objects.filter(pk=chunk.pk).update(
            done=True, entries="", problems=tally.problems, claimed_until=None,
            **{name: getattr(tally, name) for name in COUNTS},
        )  # fmt: skip
    return True


# How often a worker waiting for another's chunk looks again.
CLAIM_POLL_SECONDS = 0.1


def _chunk_claim(chunk_id: int, token: str) -> bool:
    """Claim a chunk nobody is working on (or whose worker's claim ran out)."""
    claimed = ImportChunk.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=StatementTime()),
        pk=chunk_id,
        done=False,
    ).update(
        claimed_by=token,
        claimed_until=StatementTime() + timedelta(seconds=settings.IMPORT_CHUNK_CLAIM_SECONDS),
    )
    return claimed == 1


class StatementTime(Func):
    """The time now, even inside a long transaction (``now()`` is the transaction's start)."""

    template = "statement_timestamp()"
    output_field = DateTimeField()


# --- Storing records ------------------------------------------------------------------

RECORD_FIELDS = [field.name for field in dataclasses.fields(Record)]


@dataclass(slots=True)
class Item:
    label: str
    normalised: Normalised
    company: Company
    content_hash: str
    duplicate_key: str
    region: Region | None
    record_hash: str = ""


class Importer:
    """Normalises and stores records: all of a run's, or one chunk's."""

    def __init__(self, run: ImportRun, tally: Tally) -> None:
        self.run = run
        self.tally = tally
        self.defaults = Defaults(language=run.language, source_name=run.source_name)
        self.companies: dict[str, Company] = {}
        # Slugs looked up already and found or not, and the slug of each company name.
        self.looked_up: set[str] = set()
        self.slugs: dict[str, str] = {}
        self.regions = {region.code: region for region in Region.objects.all()}
        self.seen: set[str] = set()
        self.now = timezone.now()
        # What shapes a record's posting besides the record: the rules, the run's defaults,
        # the regions' countries. A change to any of them makes every record new again.
        self.record_basis = json.dumps(
            [RULES_VERSION, run.language, run.company_id, run.source_name,
             sorted((code, region.countries) for code, region in self.regions.items())],
            default=str,
        )  # fmt: skip

    def record_hash(self, record: Record) -> str:
        # The fields in their declared order: a list, so no sorting and no copying.
        content = json.dumps(
            [self.record_basis, *[getattr(record, name) for name in RECORD_FIELDS]],
            default=str,
            ensure_ascii=False,
        )
        return hashlib.sha256(content.encode()).hexdigest()

    def problem(self, kind: str, label: str, code: str, params: dict[str, Any]) -> None:
        self.tally.problem(kind, label, code, params)

    def store(self, pending: list[Pending]) -> None:
        prepared = self.prepare_all(pending)
        with transaction.atomic():
            self.write_all(*prepared)

    def prepare_all(self, pending: list[Pending]) -> tuple[list[Item], list[str]]:
        """Normalise records (no transaction held meanwhile): the items to write, and the
        keys of records that are in the feed though unusable now (not "missing")."""
        items: list[Item] = []
        present_keys: list[str] = []
        self.companies_find(entry.record for entry in pending)
        for entry in pending:
            self.tally.processed += 1
            label = _label(entry.position, entry.record)
            if entry.record.key:
                self.seen.add(entry.record.key)
            item = self.prepare(entry.record, label)
            if item is None:
                if entry.record.key:
                    present_keys.append(entry.record.key[:500])
                continue
            item.record_hash = entry.digest
            items.append(item)
        return items, present_keys

    def write_all(self, items: list[Item], present_keys: list[str]) -> None:
        self.lock(items)
        self.write(items, present_keys)
        # New, changed or reopened postings change the lists' counts.
        transaction.on_commit(invalidate)

    def lock(self, items: list[Item]) -> None:
        """Transaction locks on the keys and duplicate keys about to be written, taken in one
        order by every writer: a worker writing the same posting waits for this one to commit,
        then finds it, instead of creating it again."""
        names = {f"import-key:{self.run.source_name}:{item.normalised.key[:500]}"
                 for item in items}  # fmt: skip
        names |= {f"posting-duplicate:{item.duplicate_key}" for item in items}
        if not names:
            return
        keys = sorted(lock_key(name) for name in names)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_advisory_xact_lock(key)) FROM "
                "(SELECT key FROM unnest(%s::bigint[]) AS key ORDER BY key) AS ordered",
                [keys],
            )

    def prepare(self, record: Record, label: str) -> Item | None:
        try:
            normalised = normalise(record, self.defaults)
        except Skip as skip:
            self.problem(ProblemKind.SKIPPED, label, skip.code, skip.params)
            return None
        except Exception:
            logger.exception("Normalising %s of run %s failed", label, self.run.pk)
            self.problem(ProblemKind.FAILED, label, "internal_error", {})
            return None
        if normalised.key in self.seen and normalised.key != record.key:
            self.problem(ProblemKind.SKIPPED, label, "duplicate_in_feed", {})
            return None
        self.seen.add(normalised.key)
        company = self.company(normalised.company_name)
        if company is None:
            self.problem(ProblemKind.SKIPPED, label, "missing_company", {})
            return None
        fields = normalised.fields
        region = self.regions.get(fields.pop("region_code"))
        if region is not None:
            fields["countries"] = sorted(set(fields["countries"]) | set(region.countries))
        for code, params in normalised.notes:
            self.problem(ProblemKind.CLEANED, label, code, params)
        if normalised.review_reason:
            self.problem(
                ProblemKind.FLAGGED, label, normalised.review_reason, normalised.review_params
            )
        content = json.dumps(
            [RULES_VERSION, fields, company.pk, region and region.code, normalised.review_reason,
             normalised.valid_through],
            sort_keys=True,
            default=str,
        )  # fmt: skip
        basis = f"{company.pk}\n{normalised.duplicate_basis}"
        return Item(
            label=label,
            normalised=normalised,
            company=company,
            content_hash=hashlib.sha256(content.encode()).hexdigest(),
            duplicate_key=hashlib.sha256(basis.encode()).hexdigest(),
            region=region,
        )

    def companies_find(self, records: Iterable[Record]) -> None:
        """The companies a chunk's records name, in one query: a chunk is a fresh Importer,
        and one lookup per company and chunk was a fifth of a chunk's statements."""
        if self.run.company_id:
            return
        slugs = {self.slug(clean_text(record.company_name)[:200]) for record in records}
        slugs -= self.companies.keys() | self.looked_up | {""}
        if not slugs:
            return
        self.looked_up |= slugs
        for company in Company.objects.filter(slug__in=slugs):
            self.companies[company.slug] = company

    def slug(self, name: str) -> str:
        if name not in self.slugs:
            self.slugs[name] = slugify(name)[:200]
        return self.slugs[name]

    def company(self, name: str) -> Company | None:
        if self.run.company_id:
            return self.run.company
        slug = self.slug(name)
        if not slug:
            return None
        if slug not in self.companies:
            company = None
            if slug not in self.looked_up:
                company = Company.objects.filter(slug=slug).first()
            if company is None:
                try:
                    with transaction.atomic():
                        company = company_upsert(slug=slug, name=name)
                except (IntegrityError, ValidationError):
                    # Another worker's chunk created it a moment ago.
                    company = Company.objects.filter(slug=slug).first()
                    if company is None:
                        raise
            self.companies[slug] = company
        return self.companies[slug]

    # The database side: a few queries per chunk, whatever its size.
    def write(self, items: list[Item], present_keys: list[str]) -> None:
        run = self.run
        keys = [item.normalised.key[:500] for item in items]
        links = {
            link.external_key: link
            for link in PostingSource.objects.filter(
                source_name=run.source_name, external_key__in=keys + present_keys
            ).select_related("posting")
        }
        fresh = [item for item in items if item.normalised.key[:500] not in links]
        targets = self.merge_targets(fresh)
        seen_ids = [links[key].pk for key in present_keys if key in links]
        changed: list[tuple[Item, PostingSource]] = []
        rehashed: list[PostingSource] = []
        for item in items:
            link = links.get(item.normalised.key[:500])
            if link is None:
                continue
            if link.content_hash == item.content_hash and link.present:
                seen_ids.append(link.pk)
                self.tally.unchanged += 1
                if link.record_hash != item.record_hash:  # the same posting, worded anew
                    link.record_hash = item.record_hash
                    rehashed.append(link)
            else:
                changed.append((item, link))
        if rehashed:
            PostingSource.objects.bulk_update(rehashed, ["record_hash"])
        self.create(fresh, targets)
        self.update(changed)
        if seen_ids:
            PostingSource.objects.filter(pk__in=seen_ids).update(last_seen_run=run, missed_runs=0)

    def merge_targets(self, fresh: list[Item]) -> dict[str, JobPosting]:
        """Postings the fresh items are copies of: same job from another source (or this
        source under another key), or an earlier import of this source without its link."""
        if not fresh:
            return {}
        by_key = {
            posting.duplicate_key: posting
            # The explicit non-empty tests let PostgreSQL use the partial indexes: it cannot
            # prove them from an IN list longer than 100 values, and scanned the table instead.
            for posting in JobPosting.objects.filter(
                duplicate_key__in=[item.duplicate_key for item in fresh], status__in=MERGEABLE
            )
            .exclude(duplicate_key="")
            .order_by("-id")
        }
        external_ids = [item.normalised.fields["external_id"] for item in fresh]
        orphans = {
            posting.external_id: posting
            for posting in JobPosting.objects.filter(
                source_name=self.run.source_name,
                external_id__in=[external_id for external_id in external_ids if external_id],
            ).exclude(external_id="")
        }
        targets = {}
        for item in fresh:
            orphan = orphans.get(item.normalised.fields["external_id"])
            target = orphan or by_key.get(item.duplicate_key)
            if target is not None:
                targets[item.normalised.key] = target
        return targets

    def create(self, fresh: list[Item], targets: dict[str, JobPosting]) -> None:
        run = self.run
        new: list[tuple[Item, JobPosting]] = []
        links: list[tuple[Item, PostingSource]] = []
        in_chunk: dict[str, JobPosting] = {}
        for item in fresh:
            target = targets.get(item.normalised.key) or in_chunk.get(item.duplicate_key)
            link = PostingSource(
                source_name=run.source_name,
                external_key=item.normalised.key[:500],
                source_url=item.normalised.fields["source_url"],
                content_hash=item.content_hash,
                record_hash=item.record_hash,
                last_seen_run=run,
            )
            if target is not None:
                link.posting = target
                links.append((item, link))
                if target.source_name == run.source_name and target.pk:
                    # Our own earlier posting that lost its link: bring it up to date.
                    self.apply(item, target)
                    target.save()
                    self.tally.updated += 1
                else:
                    self.tally.merged += 1
                    self.problem(ProblemKind.CLEANED, item.label, "merged", {"posting": target.pk})
                continue
            posting = self.build(item)
            in_chunk[item.duplicate_key] = posting
            link.posting = posting
            new.append((item, posting))
            links.append((item, link))
        self.save_new(new)
        # A posting the database refused takes its links (and copies) with it.
        copy_links([link for _item, link in links if link.posting.pk is not None], self.now)

    def build(self, item: Item) -> JobPosting:
        posting = JobPosting(company=item.company)
        self.apply(item, posting)
        flagged = bool(item.normalised.review_reason)
        if self.run.publish and not flagged:
            posting.status = Status.PUBLISHED
            posting.published_at, posting.expires_at = self.dates(item.normalised)
        else:
            posting.status = Status.PENDING
        # Not validated field by field (a tenth of a new posting's time): normalise produces
        # each value within its field's rules, and what it might still let through, the
        # table's types and constraints refuse; save_new then finds the posting and fails it
        # alone with the database's reason.
        return posting

    def apply(self, item: Item, posting: JobPosting) -> None:
        fields = dict(item.normalised.fields)
        html = fields.pop("description_html")
        for name, value in fields.items():
            setattr(posting, name, value)
        posting.region = item.region
        posting.company = item.company
        posting.duplicate_key = item.duplicate_key
        if item.normalised.review_reason:
            posting.needs_review = True
            posting.review_reason = _review_text(item.normalised)
        posting_derive(posting=posting, description_html=html)

    def dates(self, normalised: Normalised):
        validity = timedelta(days=settings.JOBS_DEFAULT_VALIDITY_DAYS)
        posted = normalised.date_posted
        published = posted if posted and self.now - validity < posted <= self.now else self.now
        until = normalised.valid_through
        expires = until if until and until > self.now else published + validity
        return published, expires

    def save_new(self, new: list[tuple[Item, JobPosting]]) -> None:
        if not new:
            return
        postings = [posting for _item, posting in new]
        try:
            with transaction.atomic():
                copy_postings(postings, self.now)
        except DatabaseError:
            for posting in postings:
                posting.pk = None
        else:
            self.tally.created += len(postings)
            return
        # One of them breaks a constraint: find which, store the others.
        for item, posting in new:
            posting.pk = None
            try:
                with transaction.atomic():
                    posting.save()
            except DatabaseError as error:
                posting.pk = None
                self.problem(
                    ProblemKind.FAILED,
                    item.label,
                    "invalid_posting",
                    {"error": str(error).splitlines()[0][:200]},
                )
                continue
            self.tally.created += 1

    def update(self, changed: list[tuple[Item, PostingSource]]) -> None:
        if not changed:
            return
        postings = []
        reopened = []
        for item, link in changed:
            posting = link.posting
            came_back = not link.present
            own = posting.source_name == self.run.source_name
            if own and link.content_hash != item.content_hash:
                self.apply(item, posting)
                try:
                    posting.clean_fields(exclude=VALIDATED)
                except ValidationError as error:
                    self.problem(
                        ProblemKind.FAILED,
                        item.label,
                        "invalid_posting",
                        {"error": _messages(error)},
                    )
                    posting.refresh_from_db()
                    link.last_seen_run, link.missed_runs, link.present = self.run, 0, True
                    continue
                posting.updated_at = self.now
                postings.append(posting)
            if came_back and posting.status == Status.EXPIRED:
                posting.status = Status.PUBLISHED
                if posting.expires_at is None or posting.expires_at <= self.now:
                    posting.expires_at = self.now + timedelta(
                        days=settings.JOBS_DEFAULT_VALIDITY_DAYS
                    )
                reopened.append(posting)
            if (own and link.content_hash != item.content_hash) or came_back:
                self.tally.updated += 1
            else:
                self.tally.unchanged += 1
            link.content_hash = item.content_hash
            link.record_hash = item.record_hash
            link.source_url = item.normalised.fields["source_url"]
            link.last_seen_run, link.missed_runs, link.present = self.run, 0, True
        if postings:
            JobPosting.objects.bulk_update(postings, CONTENT_FIELDS)
        if reopened:
            JobPosting.objects.bulk_update(reopened, ["status", "expires_at", "updated_at"])
        PostingSource.objects.bulk_update([link for _item, link in changed], LINK_FIELDS)


# Fields normalise has validated already (places from our country tables, URLs and the
# email address checked, HTML rendered by our own cleaner): validating them again per posting
# was most of the time spent in ``clean_fields``. (Changed postings only: a bulk update has
# no posting-by-posting fallback when the database refuses one.)
VALIDATED = [
    "company", "region", "countries", "apply_url", "source_url", "apply_email",
    "description", "description_html", "language_requirements",
]  # fmt: skip


def copy_postings(postings: list[JobPosting], now) -> None:
    """INSERT through COPY, with ids taken from the sequence first: no per-row SQL to build,
    and the ids are known for the links."""
    table = JobPosting._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(postings)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    for posting, pk in zip(postings, ids, strict=True):
        posting.pk = pk
        posting.created_at = posting.updated_at = now
    _copy(JobPosting, postings)
    for posting in postings:
        posting._state.adding = False


def copy_links(links: list[PostingSource], now) -> None:
    for link in links:
        link.posting_id = link.posting.pk
        link.created_at = now
    _copy(PostingSource, links, skip_pk=True)


def _copy(model, objects: list, *, skip_pk: bool = False) -> None:
    if not objects:
        return
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.generated and not (skip_pk and field.primary_key)
    ]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    # Text, numbers, booleans, dates and keys go to psycopg as they are; the others (JSON,
    # arrays, decimals) through their field's own conversion.
    names = [field.attname for field in fields]
    converted = [
        (index, field)
        for index, field in enumerate(fields)
        if field.get_internal_type() not in _PLAIN_TYPES
    ]
    with connection.cursor() as cursor:
        # Recorded like any other statement when queries are being captured (tests, debug).
        recording = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
        # psycopg's own cursor, so its errors are raised as Django's (DatabaseError and its
        # kinds), as the callers expect, only through the connection's wrapper.
        with recording, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            for obj in objects:
                row = [getattr(obj, name) for name in names]
                for index, field in converted:
                    value = row[index]
                    if isinstance(field, ArrayField) and _plain_codes(value):
                        # Country codes: written as PostgreSQL's array text, not converted
                        # and quoted one element at a time (most of a posting's COPY time
                        # when a region brings twenty countries).
                        row[index] = "{" + ",".join(value) + "}"
                    else:
                        row[index] = field.get_db_prep_save(value, connection)
                copy.write_row(row)


def _plain_codes(value) -> bool:
    # Letters and digits need no quoting in an array's text, except the word NULL (or what
    # reads as it across two codes: then the slow way, to be safe). One test for the lot.
    if not isinstance(value, list) or not all(value):
        return False
    try:
        joined = "".join(value)
    except TypeError:
        return False
    return joined.isascii() and joined.isalnum() and "NULL" not in joined.upper()


_PLAIN_TYPES = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField",
    "DateTimeField", "EmailField", "ForeignKey", "IntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField", "URLField",
}  # fmt: skip


def postings_expire_missing(*, run: ImportRun) -> int:
    """After a successful run: count a miss for each posting of the source it did not see,
    and expire the published postings missing for the grace runs from all their sources."""
    now = timezone.now()
    missing = PostingSource.objects.filter(source_name=run.source_name, present=True).exclude(
        last_seen_run=run
    )
    missing.update(missed_runs=F("missed_runs") + 1)
    gone = PostingSource.objects.filter(
        source_name=run.source_name,
        present=True,
        missed_runs__gte=run.expire_after_missed_runs,
    ).exclude(last_seen_run=run)
    posting_ids = list(gone.values_list("posting_id", flat=True))
    gone.update(present=False)
    if not posting_ids:
        return 0
    expired = (
        JobPosting.objects.filter(pk__in=posting_ids, status=Status.PUBLISHED)
        .exclude(Exists(PostingSource.objects.filter(posting=OuterRef("pk"), present=True)))
        .update(status=Status.EXPIRED, updated_at=now)
    )
    if expired:
        transaction.on_commit(invalidate)
    return expired


def _review_text(normalised: Normalised) -> str:
    from jobs.imports.reasons import reason_text

    return reason_text(normalised.review_reason, normalised.review_params)[:300]


def _messages(error: ValidationError) -> str:
    return "; ".join(
        f"{name}: {' '.join(str(message) for message in messages)}"
        for name, messages in error.message_dict.items()
    )[:300]


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    return {name: value if isinstance(value, int | float | bool) else str(value)
            for name, value in params.items()}  # fmt: skip
