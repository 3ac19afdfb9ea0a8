"""What the stages hand each other besides records: a record waiting to be normalised
(``Pending``) and the counts and problems of the work done (``Tally``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from jobs.imports.base import Record
from jobs.imports.models import ImportRun, ProblemKind

COUNTS = ("processed", "created", "updated", "unchanged", "merged", "skipped", "failed")


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
                {"item": label, "kind": str(kind), "code": code, "params": plain(params)}
            )


@dataclass(slots=True)
class Pending:
    """A record to normalise, where it stood in the feed, and its record hash."""

    position: int
    record: Record
    digest: str


def item_label(position: int, record: Record) -> str:
    return f"#{position}" + (f" ({record.key[:80]})" if record.key else "")


def plain(params: dict[str, Any]) -> dict[str, Any]:
    return {name: value if isinstance(value, int | float | bool) else str(value)
            for name, value in params.items()}  # fmt: skip
