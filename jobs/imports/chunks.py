"""Sharing a run's work: the run's task reads the feed (``Feeder``), counts what it can
without normalising (problems, duplicates, records unchanged since the last run), and stores
the rest as chunks (``ImportChunk``) that any worker may process (``chunk_process``), each
in one transaction that also marks it done with its counts."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from jobs.imports.base import ItemProblem, Record
from jobs.imports.identity import RECORD_FIELDS, record_values
from jobs.imports.lease import SourceLease, StatementTime, worker_token
from jobs.imports.models import ImportChunk, ImportRun, ProblemKind
from jobs.imports.normalise import record_identity
from jobs.imports.normalise.language import language_code
from jobs.imports.skips import skips_known, skips_recall
from jobs.imports.store import Importer
from jobs.imports.tally import COUNTS, Pending, Tally, item_label

# Hands a stored chunk's id to other workers (the task queues ``import_chunk``).
Dispatch = Callable[[int], None]
# Chunks stored and not yet done before the run's own task processes one itself: enough to
# keep the other workers busy, few enough that the table stays small.
CHUNK_BACKLOG = 4


# --- The run's task: reading the feed, sharing the work -------------------------------


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
        # Our code for each declared language met ("de-DE", "Deutsch": "de").
        self.languages: dict[str, str] = {}
        self.position = 0
        # Items the parser made a record of (not the ones it could not read).
        self.records = 0
        self.pending: list[Pending] = []
        self.chunks = 0
        self.remembers_skips = skips_known(run=run)
        self.ticked = time.monotonic()

    def feed(self, batch: list[Record | ItemProblem]) -> None:
        importer = self.importer
        records: list[tuple[int, Record, str]] = []
        for entry in batch:
            self.position += 1
            self.records += not isinstance(entry, ItemProblem)
            if isinstance(entry, ItemProblem):
                self.tally.processed += 1
                self.tally.problem(ProblemKind.SKIPPED, entry.item, entry.code, entry.params)
                continue
            identity = record_identity(entry)
            if identity and entry.language:
                # One id in several declared languages is a job's versions, not a repeat.
                identity = f"{identity}\n{self.declared(entry.language)}"
            if identity:
                if identity in self.seen:
                    self.tally.processed += 1
                    label = item_label(self.position, entry)
                    self.tally.problem(ProblemKind.SKIPPED, label, "duplicate_in_feed", {})
                    continue
                self.seen.add(identity)
            records.append((self.position, entry, importer.record_hash(entry)))
        unchanged = self.mark_unchanged([digest for _position, _record, digest in records])
        skipped = {}
        if self.remembers_skips:
            rest = [digest for _position, _record, digest in records if digest not in unchanged]
            skipped = skips_recall(run=self.run, digests=rest)
        for position, record, digest in records:
            if digest in unchanged:
                self.tally.processed += 1
                self.tally.unchanged += 1
            elif digest in skipped:
                self.tally.processed += 1
                code, params = skipped[digest]
                label = item_label(position, record)
                self.tally.problem(ProblemKind.SKIPPED, label, code, params)
            else:
                self.pending.append(Pending(position, record, digest))
        while len(self.pending) >= settings.IMPORT_CHUNK_SIZE:
            self.flush(settings.IMPORT_CHUNK_SIZE)

    def declared(self, language: str) -> str:
        if language not in self.languages:
            self.languages[language] = language_code(language) or language.strip().lower()
        return self.languages[language]

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

    def tick(self) -> None:
        """Between batches: renew the lease and save the counts, if
        `settings.IMPORT_PROGRESS_SECONDS` have passed since the last time. A stall longer than
        the lease is still found at the next batch: the lease is renewed then, and refused if
        another run has taken it."""
        if time.monotonic() - self.ticked >= settings.IMPORT_PROGRESS_SECONDS:
            self.renew()
            self.save_progress()
            self.ticked = time.monotonic()

    def undone(self):
        return ImportChunk.objects.filter(run=self.run, done=False)

    def help(self) -> bool:
        """Process the oldest chunk nobody is working on; False if there is none."""
        for chunk_id in self.undone().order_by("number").values_list("pk", flat=True):
            if chunk_process(chunk_id=chunk_id):
                return True
        return False

    def finish(self, *, whole: bool = True) -> None:
        """Store the last records, then see every chunk done, by this process or another.
        Records whose language changed are decided only when the feed was read ``whole``:
        the rest of a feed that broke off might hold their old language too."""
        self.flush()
        if self.dispatch is not None:
            while self.help():
                self.renew()
            # Chunks still undone are being written by live workers: wait for each (the
            # claim is theirs until they end), and do it here if its worker died.
            for chunk_id in self.undone().order_by("number").values_list("pk", flat=True):
                chunk_process(chunk_id=chunk_id, wait=True)
                self.renew()
        if whole:
            self.settle()
        self.save_progress()
        if self.chunks:  # their counts are the run's now
            ImportChunk.objects.filter(run=self.run).delete()

    def settle(self) -> None:
        """Decide the records left for the end of the run (``Importer.language_changes``):
        every chunk is done, so the run's links tell whether each one's old language came in
        this feed too. They were counted, and their problems noted, when first normalised."""
        entries = list(self.importer.deferred)
        if self.chunks:
            stored = ImportChunk.objects.filter(run=self.run, done=True).exclude(deferred="")
            for text in stored.values_list("deferred", flat=True):
                entries += [_entry_from_json(entry) for entry in json.loads(text)]
        if not entries:
            return
        importer = Importer(self.run, Tally(), settling=True)
        prepared = importer.prepare_all(entries)
        importer.tally = self.tally
        with transaction.atomic():
            importer.write_all(*prepared)

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


_DECIMALS = ("salary_min", "salary_max")
_DATES = ("date_posted", "date_updated", "valid_through")


# A record's values in the order of RECORD_FIELDS, without their names: a chunk is written
# and read by the same code, and names repeated for every record were a third of its JSON.
_DECIMAL_AT = [RECORD_FIELDS.index(name) for name in _DECIMALS]
_DATE_AT = [RECORD_FIELDS.index(name) for name in _DATES]


def _entry_json(item: Pending) -> list[Any]:
    values = list(record_values(item.record))
    for index in _DECIMAL_AT:
        if values[index] is not None:
            values[index] = str(values[index])
    for index in _DATE_AT:
        if values[index] is not None:
            values[index] = values[index].isoformat()
    return [item.position, item.digest, values]


def _entry_from_json(entry: list[Any]) -> Pending:
    position, digest, values = entry
    for index in _DECIMAL_AT:
        if values[index] is not None:
            values[index] = Decimal(values[index])
    for index in _DATE_AT:
        if values[index] is not None:
            values[index] = datetime.fromisoformat(values[index])
    return Pending(position, Record(**dict(zip(RECORD_FIELDS, values, strict=True))), digest)


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
        deferred = [_entry_json(entry) for entry in importer.deferred]
        ImportChunk.objects.filter(pk=chunk.pk).update(
            done=True, entries="", problems=tally.problems, claimed_until=None,
            deferred=json.dumps(deferred, ensure_ascii=False) if deferred else "",
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
