"""The versions stage: a record's place among the language versions of one job.

A feed that publishes a job in several languages names it by one key in all of them
(``Record.version_key``: Personio's position id in each language's feed, an ATS's requisition
number). Each version is a posting of its own, listed in its language; the key makes them one
group (jobs.services.translations), computed from the company and the key alone, so versions
imported by different runs, sources or workers meet without a lookup. The same id in two
languages is two postings: a posting's source link is per language (store.Importer).
"""

from __future__ import annotations

import uuid

from jobs.imports.base import Record
from jobs.imports.normalise import clean_text
from jobs.services.translations import group_for

MAX_VERSION_KEY = 200


def version_group(record: Record, company_id: int) -> uuid.UUID | None:
    """The group of the job ``record`` is a language version of, or None if the feed gives
    no key that spans languages (a posting a recruiter linked then keeps its links)."""
    key = clean_text(record.version_key)[:MAX_VERSION_KEY]
    return group_for(company_id=company_id, key=key) if key else None


def link_key(key: str, language: str) -> tuple[str, str]:
    """What tells one source's links apart: the feed's key and the posting's language."""
    return key[:500], language
