"""Read large JSON and XML documents one item at a time, so memory stays flat.

JSON goes through ijson's event stream: the items under the given paths are built and handed
out one by one, everything else is kept as the (small) root. XML goes through defusedxml's
iterparse, which refuses entity declarations (billion laughs) and external references; each
item element is dropped from the tree once handed out.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO, ClassVar
from xml.etree.ElementTree import Element, ParseError

import ijson
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from jobs.imports.base import FeedError, ItemProblem, Parser, Record, build, text, to_datetime

UTF8_BOM = b"\xef\xbb\xbf"
_STARTS = {"start_map", "start_array"}
_ENDS = {"end_map", "end_array"}


def skip_bom(stream: BinaryIO) -> BinaryIO:
    """Leave the stream after a UTF-8 byte order mark, if it starts with one."""
    start = stream.tell()
    if stream.read(3) != UTF8_BOM:
        stream.seek(start)
    return stream


@contextmanager
def _feed_errors() -> Iterator[None]:
    """A JSON feed that cannot be parsed, as the run reports it."""
    try:
        yield
    except ijson.JSONError as error:
        message = _first_line(error)
        if "UTF8" in message:
            raise FeedError("wrong_encoding") from None
        raise FeedError("malformed_json", error=message) from None
    except UnicodeDecodeError:
        raise FeedError("wrong_encoding") from None


def json_items(stream: BinaryIO, item_paths: Collection[str]) -> Iterator[tuple[str, Any, Any]]:
    """Yield ``(path, value, root)`` for each value at one of ``item_paths``, then the root.

    Paths are ijson prefixes: ``item`` for the elements of a top-level list, ``jobs.item``
    for those of ``{"jobs": [...]}``. ``root`` is the document so far without the streamed
    lists (so a company name written before the list is there); the last triple is
    ``("", root, root)`` with the whole document but those lists.
    """
    root = ijson.ObjectBuilder()
    item: ijson.ObjectBuilder | None = None
    depth = 0
    path = ""
    with _feed_errors():
        for prefix, event, value in ijson.parse(skip_bom(stream)):
            if item is not None:
                item.event(event, value)
                if event in _STARTS:
                    depth += 1
                elif event in _ENDS:
                    depth -= 1
                    if depth == 0:
                        yield path, item.value, getattr(root, "value", None)
                        item = None
            elif prefix in item_paths and event not in _ENDS and event != "map_key":
                if event in _STARTS:
                    item = ijson.ObjectBuilder()
                    item.event(event, value)
                    depth, path = 1, prefix
                else:
                    yield prefix, value, getattr(root, "value", None)
            else:
                root.event(event, value)
    document = getattr(root, "value", None)
    yield "", document, document


def json_jobs(
    stream: BinaryIO, item_paths: Collection[str], single: Callable[[dict], bool]
) -> Iterator[tuple[str, Any, Any]]:
    """``(label, job, root)`` for each job at one of ``item_paths`` (see ``json_items``); a
    document that is one job on its own (``single(root)``: a detail endpoint's answer) is
    that one job."""
    count = 0
    for path, value, root in json_items(stream, item_paths):
        if path:
            count += 1
            yield f"#{count}", value, root
        elif not count and isinstance(value, dict) and single(value):
            yield "#1", value, value


class JsonJobsParser(Parser):
    """A JSON document that lists its jobs at ``paths`` (ijson prefixes), or is one job on
    its own when ``single(root)`` says so; ``record`` makes a job's record."""

    paths: ClassVar[frozenset[str]]

    def single(self, root: dict) -> bool:
        return False

    def record(self, job: dict) -> Record:
        raise NotImplementedError

    def parse(self, stream: BinaryIO) -> Iterator[Record | ItemProblem]:
        for label, job, _root in json_jobs(stream, self.paths, self.single):
            yield build(label, self.record, job)


class BoardJobsParser(JsonJobsParser):
    """A JSON job-board API (Arbeitnow, Remotive): each job has its page at `url`, which is
    also where to apply, a `title`, an HTML `description` and a `company_name`; its id and
    date under keys of the board's own (`id_key`, `date_key`); `facts(job)` is what else the
    board says, as Record fields."""

    id_key: ClassVar[str]
    date_key: ClassVar[str]

    def facts(self, job: dict) -> dict[str, Any]:
        raise NotImplementedError

    def record(self, job: dict) -> Record:
        url = text(job.get("url"))
        return Record(
            external_id=text(job.get(self.id_key)),
            url=url,
            title=text(job["title"]),
            description=text(job.get("description")),
            description_format="html",
            company_name=text(job.get("company_name")),
            apply_url=url,
            date_posted=to_datetime(job.get(self.date_key)),
            **self.facts(job),
        )


def json_list_items(stream: BinaryIO) -> Iterator[Any]:
    """Each element of a top-level JSON list: what ``json_items(stream, {"item"})`` hands out,
    with the items built inside ijson's C backend instead of event by event in Python (the
    run's task spent most of an unchanged re-import in that loop)."""
    with _feed_errors():
        yield from ijson.items(skip_bom(stream), "item")


def local_name(tag: str) -> str:
    """``{http://www.w3.org/2005/Atom}entry`` -> ``entry``."""
    return tag.rsplit("}", 1)[-1]


def xml_elements(
    stream: BinaryIO, item_tags: Collection[str]
) -> Iterator[tuple[Element, list[Element]]]:
    """Yield each element named in ``item_tags`` (by local name) once it is complete.

    With it comes the list of its open ancestors, outermost first, so a parser can read
    document-level fields such as an RSS channel's language. Items are removed from the tree
    after they are handed out.
    """
    open_elements: list[Element] = []
    try:
        for event, element in iterparse(skip_bom(stream), events=("start", "end")):
            if event == "start":
                open_elements.append(element)
                continue
            open_elements.pop()
            if local_name(element.tag) in item_tags and not any(
                local_name(ancestor.tag) in item_tags for ancestor in open_elements
            ):
                yield element, open_elements
                element.clear()
                if open_elements:
                    open_elements[-1].remove(element)
    except DefusedXmlException as error:
        raise FeedError("forbidden_xml", error=type(error).__name__) from None
    except ParseError as error:
        raise FeedError("malformed_xml", error=_first_line(error)) from None


def child_text(element: Element, *names: str) -> str:
    """The stripped text of the first direct child with one of these local names."""
    for child in element:
        if local_name(child.tag) in names:
            return "".join(child.itertext()).strip()
    return ""


def children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local_name(child.tag) == name]


def _first_line(error: Exception) -> str:
    message = error.args[0] if error.args else ""
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    message = str(message).strip()
    return message.splitlines()[0][:200] if message else type(error).__name__
