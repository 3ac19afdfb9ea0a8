"""What normalising one record gives: the posting's fields with notes, or a reason to skip."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class Skip(Exception):
    """This item cannot become a posting; ``code`` names the reason (see reasons.py)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass(slots=True)
class Defaults:
    """What the run knows when the feed is silent."""

    language: str = ""
    source_name: str = ""


@dataclass(slots=True)
class Normalised:
    """A record's posting fields, and what normalisation had to say about it."""

    key: str
    fields: dict[str, Any]
    company_name: str
    date_posted: datetime | None = None
    valid_through: datetime | None = None
    # Why a moderator must look before this posting is shown (empty: nothing to flag).
    review_reason: str = ""
    review_params: dict[str, Any] = field(default_factory=dict)
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # Title and text reduced to letters and digits: what two copies of one job share.
    duplicate_basis: str = ""
    # Why each fact is what it is, for a person checking a source before it goes live
    # (``import_jobs --dry-run --explain``): {"language": {"declared": "fr", "detected":
    # "es", "confidence": 0.98}, "salary": "description: Sueldo: $10, 400 libre mensual", ...}
    evidence: dict[str, Any] = field(default_factory=dict)
