"""See before you publish: a run's stages up to identity, with nothing stored.

``import_preview`` fetches, sniffs, parses and normalises a feed as a run would, finds its
companies and its postings already stored (read only), and yields what each posting would
become: created, updated, unchanged, merged or skipped, published or held, with its facts.
Everything happens in a transaction rolled back at the end, so even a bug stores nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from companies.models import Company
from jobs.imports.base import FeedError, ItemProblem, Record
from jobs.imports.explain import Explained, explain
from jobs.imports.follow import records as feed_records
from jobs.imports.identity import Identifier, Item
from jobs.imports.models import ImportRun, PostingSource, ProblemKind
from jobs.imports.runs import open_location
from jobs.imports.sniff import parser_for
from jobs.imports.tally import Tally, item_label
from jobs.imports.versions import link_key

BATCH = 500


@dataclass(slots=True)
class Preview:
    """What one posting of the feed would become."""

    label: str
    outcome: str  # created, updated, unchanged, merged, skipped or failed
    title: str = ""
    company: str = ""
    status: str = ""  # published or pending, for a posting that would be stored
    facts: list[Explained] = field(default_factory=list)
    problems: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


class Previewer(Identifier):
    """Identifies records like a run, but finds companies without creating any."""

    def __init__(self, run: ImportRun) -> None:
        super().__init__(run, Tally())
        self.said: list[tuple[str, str, dict[str, Any]]] = []

    def problem(self, kind: str, label: str, code: str, params: dict[str, Any]) -> None:
        super().problem(kind, label, code, params)
        self.said.append((str(kind), code, params))

    def company_new(self, slug: str, name: str) -> Company:
        return Company(slug=slug, name=name)  # the run would create it: named, not stored


def import_preview(
    *, location: str, source_name: str, fmt: str = "auto", **fields: Any
) -> Iterator[Preview]:
    """Yield a ``Preview`` per item of the feed. ``fields`` are the run's (company, language,
    publish), as ``import_run_create`` takes them. Raises ``FeedError`` (and ``NetworkError``)
    like a run, and ``FeedError("no_postings")`` for bytes without a single posting."""
    run = ImportRun(location=location, source_name=source_name[:100], format=fmt, **fields)
    with transaction.atomic(), open_location(location) as stream:
        previewer = Previewer(run)
        parser = parser_for(fmt, stream, location)
        count = records = 0
        batch: list[tuple[int, Record | ItemProblem]] = []
        for count, entry in enumerate(feed_records(parser, location, stream), 1):
            batch.append((count, entry))
            records += isinstance(entry, Record)
            if len(batch) == BATCH:
                yield from _batch(previewer, batch)
                batch = []
        yield from _batch(previewer, batch)
        stream.seek(0, 2)
        transaction.set_rollback(True)
        if not records and stream.tell():
            raise FeedError("no_postings", format=parser.label)


def _batch(
    previewer: Previewer, batch: list[tuple[int, Record | ItemProblem]]
) -> Iterator[Preview]:
    previewer.companies_find(entry for _position, entry in batch if isinstance(entry, Record))
    prepared: list[tuple[Preview, Item, Record]] = []
    for position, entry in batch:
        if isinstance(entry, ItemProblem):
            yield Preview(entry.item, "skipped", problems=[("skipped", entry.code, entry.params)])
            continue
        label = item_label(position, entry)
        previewer.said = []
        item = previewer.prepare(entry, label)
        if item is None:
            failed = any(kind == ProblemKind.FAILED for kind, _code, _params in previewer.said)
            yield Preview(label, "failed" if failed else "skipped", clean(entry.title),
                          problems=previewer.said)  # fmt: skip
            continue
        held = bool(item.normalised.review_reason or item.holds)
        preview = Preview(
            label, "created", item.normalised.fields["title"], item.company.name,
            status="pending" if held or not previewer.run.publish else "published",
            facts=explain(entry, item.normalised), problems=previewer.said,
        )  # fmt: skip
        prepared.append((preview, item, entry))
    links = {
        (link.external_key, link.language): link
        for link in PostingSource.objects.filter(
            source_name=previewer.run.source_name,
            external_key__in=[item.normalised.key[:500] for _p, item, _r in prepared],
        )
    }

    def key(item):
        return link_key(item.normalised.key, item.normalised.fields["language"])

    fresh = [item for _p, item, _r in prepared if key(item) not in links]
    targets = previewer.merge_targets(fresh)
    for preview, item, _record in prepared:
        link = links.get(key(item))
        if link is not None:
            preview.outcome = "unchanged" if link.content_hash == item.content_hash else "updated"
            preview.status = ""
        elif item.normalised.key in targets:
            preview.outcome, preview.status = "merged", ""
        yield preview


def clean(value: str) -> str:
    return " ".join(str(value).split())[:200]
