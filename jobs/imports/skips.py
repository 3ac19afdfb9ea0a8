"""What the pipeline remembers of the records it skipped for what they say (a language the
site does not offer, no title): their hashes, so that a later run reading one unchanged counts
it as skipped again, for the same reason, without normalising it (``SkippedRecord``)."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection

from jobs.imports.models import ImportRun, SkippedRecord

# A skipped record: its hash as read, its key, the reason and its details.
SkippedEntry = tuple[str, str, str, dict[str, Any]]


def skips_remember(*, run: ImportRun, skips: list[SkippedEntry]) -> None:
    """Keep the run's skipped records, or mark those kept already seen by it: one statement,
    one row per record as read, though a feed may hold the same record twice."""
    if not skips:
        return
    unique = {skip[0]: skip for skip in skips}
    digests, keys, codes, params = zip(*unique.values(), strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO jobs_skippedrecord "
            "(source_name, record_hash, external_key, code, params, last_seen_run_id) "
            "SELECT %s, digest, key, code, params::jsonb, %s "
            "FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) "
            "AS skip(digest, key, code, params) "
            "ON CONFLICT (source_name, record_hash) DO UPDATE "
            "SET last_seen_run_id = excluded.last_seen_run_id",
            [run.source_name, run.pk, list(digests), list(keys), list(codes),
             [json.dumps(detail, default=str) for detail in params]],
        )  # fmt: skip


def skips_recall(*, run: ImportRun, digests: list[str]) -> dict[str, tuple[str, dict]]:
    """The reason and details of each record skipped before as it is now, marked seen by
    the run: one statement for a batch. Never a record whose key a stored posting has:
    normalising it decides that posting's fate."""
    if not digests:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE jobs_skippedrecord AS skip SET last_seen_run_id = %s "
            "WHERE skip.source_name = %s AND skip.record_hash = ANY(%s) "
            "AND NOT EXISTS (SELECT FROM jobs_postingsource AS link "
            "WHERE link.source_name = skip.source_name "
            "AND link.external_key = skip.external_key) "
            "RETURNING skip.record_hash, skip.code, skip.params",
            [run.pk, run.source_name, digests],
        )
        # Django reads JSON as text, for its fields to decode.
        return {
            digest: (code, json.loads(params) if isinstance(params, str) else params)
            for digest, code, params in cursor.fetchall()
        }


def skips_known(*, run: ImportRun) -> bool:
    """Whether an earlier run of the source skipped records: if not, none is looked up."""
    return SkippedRecord.objects.filter(source_name=run.source_name).exists()


def skips_forget(*, run: ImportRun) -> int:
    """Forget the skipped records of the run's source that its feed no longer holds as read
    (a changed record has another hash; changed rules change every hash)."""
    gone = SkippedRecord.objects.filter(source_name=run.source_name).exclude(last_seen_run=run)
    return gone.delete()[0]
