"""One run of a source at a time, and claims on chunks: rows with an expiry, never locks held
in the database session (so they hold behind pgbouncer in transaction mode)."""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import DateTimeField, Func

from jobs.imports.models import ImportLease


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


class StatementTime(Func):
    """The time now, even inside a long transaction (``now()`` is the transaction's start)."""

    template = "statement_timestamp()"
    output_field = DateTimeField()
