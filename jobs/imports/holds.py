"""What may go live: the reasons a new imported posting is held for moderation even when the
run publishes (``--publish``, a source's "publish directly"). Each is a code of reasons.py
with its parameters; the posting is stored pending, ``needs_review``, with their text."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from jobs.imports.base import Record
from jobs.imports.normalise import Normalised

Hold = tuple[str, dict[str, Any]]


def holds(normalised: Normalised, record: Record, now: datetime) -> list[Hold]:
    """Why this posting may not be published as new (empty: nothing against it)."""
    found: list[Hold] = []
    fields = normalised.fields
    if not fields.get("apply_url") and not fields.get("apply_email"):
        found.append(("no_apply", {}))
    until = normalised.valid_through
    if until is not None and until <= now:
        found.append(("expired_posting", {"date": until.date().isoformat()}))
    stale = now - timedelta(days=settings.IMPORT_STALE_AFTER_DAYS)
    posted, updated = normalised.date_posted, record.date_updated
    if posted is not None and posted < stale and (updated is None or updated < stale):
        found.append(("stale_posting", {"date": posted.date().isoformat()}))
    return found
