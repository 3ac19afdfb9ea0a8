"""The Indeed-style XML job feed: ``<source>`` with one ``<job>`` per posting, the format most
job boards and ATSs export to aggregators."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element

from jobs.imports.base import ItemProblem, Parser, Record, build, to_datetime, to_deadline
from jobs.imports.formats.streams import child_text, xml_elements


class IndeedParser(Parser):
    format = "indeed"
    label = "Indeed XML"
    xml_roots = frozenset({"source"})

    def parse(self, stream: BinaryIO) -> Iterator[Record | ItemProblem]:
        for position, (element, _ancestors) in enumerate(xml_elements(stream, {"job"}), 1):
            yield build(f"#{position}", record_from_job, element)


def record_from_job(job: Element) -> Record:
    place = [child_text(job, "city"), child_text(job, "state"), child_text(job, "country")]
    remote = child_text(job, "remotetype", "remote")
    return Record(
        external_id=child_text(job, "referencenumber", "requisitionid", "id"),
        url=child_text(job, "url"),
        title=child_text(job, "title"),
        description=child_text(job, "description"),
        company_name=child_text(job, "company"),
        language=child_text(job, "language"),
        locations=[", ".join(part for part in place if part)] if any(place) else [],
        countries=[child_text(job, "country")] if child_text(job, "country") else [],
        workplace=("hybrid" if "hybrid" in remote.casefold() else "remote") if remote else "",
        employment_type=[child_text(job, "jobtype")],
        experience=child_text(job, "experience"),
        salary_text=child_text(job, "salary"),
        apply_url=child_text(job, "url"),
        apply_email=child_text(job, "email"),
        date_posted=to_datetime(child_text(job, "date")),
        date_updated=to_datetime(child_text(job, "lastupdated", "updated")),
        # The day a job closes, as the feeds that carry one spell it.
        valid_through=to_deadline(child_text(job, "expirationdate", "expiration_date", "expires")),
    )
