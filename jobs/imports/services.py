"""The import pipeline's door: every write an import makes, run by the stages below it.

One record's way through: ``runs`` (a run, its lease, the stages in order) → ``fetch`` (the
bytes, local or over http(s)) → ``sniff`` (which format) → ``follow`` (the feed's further
pages and postings, for a feed read from an address) → ``formats.<format>`` (records)
→ ``chunks`` (unchanged records counted, and records skipped before for what they say,
``skips``; the others shared out) → ``normalise`` (the posting's facts) → ``identity``
(company, hashes, copies elsewhere) → ``store`` (postings and their source links written;
missing ones expired).

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

from django.db import transaction

from jobs.imports.chunks import chunk_process
from jobs.imports.lease import SourceLease, lock_key, source_lock, worker_token
from jobs.imports.models import ImportRun, ImportSource
from jobs.imports.runs import (
    import_run_create,
    import_run_execute,
    import_run_fail,
    import_source_run_create,
    import_source_save,
)
from jobs.imports.store import postings_expire_missing

__all__ = [
    "SourceLease",
    "chunk_process",
    "import_run_create",
    "import_run_execute",
    "import_run_fail",
    "import_source_run_create",
    "import_source_run_now",
    "import_source_save",
    "lock_key",
    "postings_expire_missing",
    "source_lock",
    "worker_token",
]


def import_source_run_now(*, source: ImportSource) -> ImportRun:
    """Queue a run of the source for a worker, once the run is committed."""
    from jobs.tasks import run_import  # the task module imports this one

    run = import_source_run_create(source=source)
    transaction.on_commit(lambda: run_import.delay(run.pk))
    return run
