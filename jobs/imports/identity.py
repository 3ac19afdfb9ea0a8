"""The identity and merge stage: a record's normalised posting (the normalise stage, called
here), the company it belongs to, the hashes that tell it unchanged or changed, and the
posting elsewhere that it is a copy of."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from companies.models import Company
from companies.names import company_key
from companies.services import company_get_or_create
from jobs.compliance.pay import flags as pay_flags
from jobs.imports.base import Record
from jobs.imports.holds import Hold, holds
from jobs.imports.models import ImportRun, ProblemKind
from jobs.imports.normalise import (
    RULES_VERSION,
    Defaults,
    Normalised,
    Skip,
    clean_text,
    normalise,
)
from jobs.imports.skips import SkippedEntry
from jobs.imports.tally import Pending, Tally, item_label
from jobs.imports.versions import version_group
from jobs.models import JobPosting, Status
from locales.models import Region

logger = logging.getLogger(__name__)

# Postings a duplicate may be merged into: not ones a moderator turned down or put away.
MERGEABLE = [Status.DRAFT, Status.PENDING, Status.PUBLISHED, Status.EXPIRED]

RECORD_FIELDS = [field.name for field in dataclasses.fields(Record)]
# A record's values in the order of RECORD_FIELDS, read in C.
record_values = attrgetter(*RECORD_FIELDS)


@dataclass(slots=True)
class Item:
    label: str
    normalised: Normalised
    company: Company
    content_hash: str
    duplicate_key: str
    region: Region | None
    record_hash: str = ""
    # Why it may not go live as new (``holds``): kept pending for a moderator.
    holds: list[Hold] = dataclasses.field(default_factory=list)
    # The job's language versions this posting is one of (``versions``), if the feed says.
    translation_group: uuid.UUID | None = None
    # The record as read, kept for a decision the whole run must be seen for (store.Importer).
    entry: Pending | None = None


class Identifier:
    """Normalises records and tells what each is: its company, its identity (source key,
    content hash, duplicate key) and the posting it is a copy of. ``store.Importer`` adds the
    writing."""

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
        self.versions: set[tuple[str, str]] = set()
        # Records skipped for what they say, for ``store.Importer`` to remember (``skips``).
        self.skips: list[SkippedEntry] = []
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        # What shapes a record's posting besides the record: the rules, the run's defaults,
        # the site's languages, the regions' countries. A change to any of them makes every
        # record new again. Hashed once: its text is longer than most records'.
        basis = json.dumps(
            [RULES_VERSION, run.language, run.company_id, run.source_name,
             [code for code, _name in settings.LANGUAGES],
             sorted((code, region.countries) for code, region in self.regions.items())],
            default=str,
        )  # fmt: skip
        self.record_basis = hashlib.sha256(basis.encode()).hexdigest()

    def record_hash(self, record: Record) -> str:
        # The fields' tuple as Python writes it: strings, lists, amounts and dates are all
        # written in C, where JSON called back into Python for each date and amount (half
        # the time of an unchanged record's hash). The same values always give the same
        # text; a Python that wrote a date differently would make every record new once, as
        # new rules do.
        content = f"{self.record_basis}{record_values(record)!r}"
        return hashlib.sha256(content.encode()).hexdigest()

    def problem(self, kind: str, label: str, code: str, params: dict[str, Any]) -> None:
        self.tally.problem(kind, label, code, params)

    def prepare_all(self, pending: list[Pending]) -> tuple[list[Item], list[str]]:
        """Normalise records (no transaction held meanwhile): the items to write, and the
        keys of records that are in the feed though unusable now (not "missing")."""
        items: list[Item] = []
        present_keys: list[str] = []
        self.companies_find(entry.record for entry in pending)
        for entry in pending:
            self.tally.processed += 1
            label = item_label(entry.position, entry.record)
            if entry.record.key:
                self.seen.add(entry.record.key)
            item = self.prepare(entry.record, label, digest=entry.digest)
            if item is None:
                if entry.record.key:
                    present_keys.append(entry.record.key[:500])
                continue
            item.record_hash = entry.digest
            item.entry = entry
            items.append(item)
        return items, present_keys

    def prepare(self, record: Record, label: str, *, digest: str = "") -> Item | None:
        try:
            normalised = normalise(record, self.defaults)
        except Skip as skip:
            self.problem(ProblemKind.SKIPPED, label, skip.code, skip.params)
            # Skipped for what the record says: the same record is skipped again next time.
            if digest:
                self.skips.append((digest, (record.key or "")[:500], skip.code, skip.params))
            return None
        except Exception:
            logger.exception("Normalising %s of run %s failed", label, self.run.pk)
            self.problem(ProblemKind.FAILED, label, "internal_error", {})
            return None
        version = (normalised.key, normalised.fields["language"])
        if (
            normalised.key in self.seen and normalised.key != record.key
        ) or version in self.versions:
            self.problem(ProblemKind.SKIPPED, label, "duplicate_in_feed", {})
            return None
        self.seen.add(normalised.key)
        # Declared in two languages, written in one: the same posting twice.
        self.versions.add(version)
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
        # What pay-transparency laws ask of the ad where it is: flagged, never refused.
        for params in pay_flags(fields, today=self.today):
            self.problem(ProblemKind.FLAGGED, label, "pay_rule", params)
        if normalised.review_reason:
            self.problem(
                ProblemKind.FLAGGED, label, normalised.review_reason, normalised.review_params
            )
        # Not part of the content hash: they matter to a new posting only, and "stale"
        # follows from dates the hash has, and the clock.
        held = holds(normalised, record, self.now)
        for code, params in held:
            self.problem(ProblemKind.FLAGGED, label, code, params)
        group = version_group(record, company.pk)
        # As the record's hash, the values as Python writes them (in C; JSON called back into
        # Python for every amount and date): equal fields give equal text.
        content = repr(
            [RULES_VERSION, sorted(fields.items()), company.pk, region and region.code,
             normalised.review_reason, normalised.valid_through, group]
        )  # fmt: skip
        basis = f"{company.pk}\n{normalised.duplicate_basis}"
        return Item(
            label=label,
            normalised=normalised,
            company=company,
            content_hash=hashlib.sha256(content.encode()).hexdigest(),
            duplicate_key=hashlib.sha256(basis.encode()).hexdigest(),
            region=region,
            holds=held,
            translation_group=group,
        )

    def companies_find(self, records: Iterable[Record]) -> None:
        """The companies a chunk's records name, in one query: a chunk is a fresh Importer,
        and one lookup per company and chunk was a fifth of a chunk's statements. A company
        is found by its normalised name (``company_key``: "Andino Datos S.A.S." is "Andino
        Datos"), through the slug it would get, its name as written or its older slug."""
        if self.run.company_id:
            return
        names = {clean_text(record.company_name)[:200] for record in records} - {""}
        names = {name for name in names if self.slug(name) not in self.looked_up}
        if not names:
            return
        slugs = {self.slug(name) for name in names}
        self.looked_up |= slugs
        # Lower(name) is indexed (company_name_lower_idx): names as written, and the keys
        # themselves ("andino datos" finds the company an editor named "Andino Datos").
        lowered = {name.lower() for name in names} | {company_key(name) for name in names}
        found = (
            Company.objects.annotate(lowered=Lower("name"))
            .filter(
                Q(slug__in=slugs | {slugify(name)[:200] for name in names})
                | Q(lowered__in=lowered)
            )
            .order_by("pk")
        )
        for company in found:
            for slug in (company_slug(company.name), company.slug):
                if slug in slugs:
                    self.companies.setdefault(slug, company)

    def slug(self, name: str) -> str:
        """The slug a company of this name has or gets: that of its normalised name."""
        if name not in self.slugs:
            self.slugs[name] = company_slug(name) if name else ""
        return self.slugs[name]

    def company(self, name: str) -> Company | None:
        if self.run.company_id:
            return self.run.company
        slug = self.slug(name)
        if not slug:
            return None
        if slug not in self.companies:
            if slug not in self.looked_up:
                self.companies_find([Record(company_name=name)])
            if slug not in self.companies:
                self.companies[slug] = self.company_new(slug, name)
        return self.companies[slug]

    def company_new(self, slug: str, name: str) -> Company:
        """The company a feed names for the first time, created."""
        try:  # in its own savepoint (the service is atomic)
            return company_get_or_create(slug=slug, name=name)[0]
        except (IntegrityError, ValidationError):
            # Another worker's chunk created it a moment ago.
            company = Company.objects.filter(slug=slug).first()
            if company is None:
                raise
            return company

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
            (posting.external_id, posting.language): posting
            for posting in JobPosting.objects.filter(
                source_name=self.run.source_name,
                external_id__in=[external_id for external_id in external_ids if external_id],
            ).exclude(external_id="")
        }
        targets = {}
        for item in fresh:
            fields = item.normalised.fields
            orphan = orphans.get((fields["external_id"], fields["language"]))
            target = orphan or by_key.get(item.duplicate_key)
            if target is not None:
                targets[item.normalised.key] = target
        return targets


def company_slug(name: str) -> str:
    """The slug of a company's normalised name; for a name of no Latin letters (サクラ), one
    made from its hash, so that it is still found again."""
    key = company_key(name)
    slug = slugify(key)[:200]
    if not slug and key:
        slug = "company-" + hashlib.sha256(key.encode()).hexdigest()[:12]
    return slug
