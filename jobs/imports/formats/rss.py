"""Job feeds in RSS 2.0 and Atom, with the job fields boards add to items when they do.

The channel's language (RSS ``<language>``, Atom ``xml:lang``) is each item's declared
language unless the item says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element

from jobs.imports.base import ItemProblem, Parser, Record, build, to_datetime, to_deadline
from jobs.imports.formats.streams import child_text, children, local_name, xml_elements

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Job fields some boards add to items, in their own namespace or none (matched by local name).
COMPANY = ("company", "hiringOrganization", "employer", "creator")
LOCATION = ("location", "jobLocation", "city")
COUNTRY = ("country",)
SALARY = ("salary", "baseSalary", "compensation")
JOB_TYPE = ("jobtype", "job_type", "employmentType", "type")
# We Work Remotely's items: every job is remote, ``<region>`` says where candidates may live.
REGION = ("region", "remoteRegion")
EXPIRES = ("expires_at", "expires", "validThrough", "closingDate")
# "Company: Title" when no element names the company (a colon right after a word).
_COMPANY_TITLE = re.compile(r"^(?P<company>[^:\s][^:]{0,98}[^:\s]):\s+(?P<title>\S.*)$")


class FeedParser(Parser):
    format = "rss"
    label = "RSS 2.0 / Atom"
    xml_roots = frozenset({"rss", "feed", "RDF"})

    def parse(self, stream: BinaryIO) -> Iterator[Record | ItemProblem]:
        items = xml_elements(stream, {"item", "entry"})
        for position, (element, ancestors) in enumerate(items, 1):
            if local_name(element.tag) == "entry":
                language = next(
                    (a.get(XML_LANG) for a in reversed(ancestors) if a.get(XML_LANG)), ""
                )
                yield build(f"#{position}", lambda e, lang=language: _atom(e, lang), element)
            else:
                channel = ancestors[-1] if ancestors else None
                language = child_text(channel, "language") if channel is not None else ""
                yield build(f"#{position}", lambda e, lang=language: _rss(e, lang), element)


def _job_fields(item: Element, record: Record) -> Record:
    record.company_name = record.company_name or child_text(item, *COMPANY)
    if location := child_text(item, *LOCATION):
        record.locations.append(location)
    if country := child_text(item, *COUNTRY):
        record.countries.append(country)
    record.salary_text = child_text(item, *SALARY)
    if job_type := child_text(item, *JOB_TYPE):
        record.employment_type.append(job_type)
    if remote := child_text(item, "remote", "remotetype", "jobLocationType"):
        record.workplace = (
            "remote" if remote.casefold() in {"true", "yes", "1", "telecommute"} else remote
        )
    if region := child_text(item, *REGION):
        record.locations.append(region)
        record.workplace = record.workplace or "remote"
    record.valid_through = to_deadline(child_text(item, *EXPIRES))
    if not record.company_name and (match := _COMPANY_TITLE.match(record.title)):
        record.company_name, record.title = match["company"], match["title"]
    return record


def _rss(item: Element, channel_language: str) -> Record:
    guid = child_text(item, "guid")
    link = child_text(item, "link")
    return _job_fields(
        item,
        Record(
            external_id=guid if guid != link else "",
            url=link,
            title=child_text(item, "title"),
            description=child_text(item, "encoded") or child_text(item, "description"),
            language=child_text(item, "language") or channel_language,
            apply_url=link,
            date_posted=to_datetime(child_text(item, "pubDate", "date")),
        ),
    )


def _atom(entry: Element, feed_language: str) -> Record:
    link = ""
    for candidate in children(entry, "link"):
        if candidate.get("rel", "alternate") == "alternate":
            link = candidate.get("href", "")
            break
    content = next(iter(children(entry, "content") or children(entry, "summary")), None)
    description = "".join(content.itertext()).strip() if content is not None else ""
    kind = content.get("type", "text") if content is not None else "text"
    author = next(iter(children(entry, "author")), None)
    return _job_fields(
        entry,
        Record(
            external_id=child_text(entry, "id"),
            url=link,
            title=child_text(entry, "title"),
            description=description,
            description_format="html" if kind in {"html", "xhtml"} else "",
            company_name=child_text(author, "name") if author is not None else "",
            language=entry.get(XML_LANG) or feed_language,
            apply_url=link,
            date_posted=to_datetime(child_text(entry, "published", "updated")),
        ),
    )
