"""The fetch stage's second half: what a feed's first answer says is still to be fetched.

Public job APIs rarely give a company's postings whole in one answer:

- some page them: Arbeitnow and Teamtailor name the next page (``links.next``),
  SmartRecruiters and Himalayas give an offset, a page size and a total. A run that read the
  first page only would, a few runs later, expire every posting that moved to the second;
- SmartRecruiters' list names each posting's job ad only by its address (``ref``): read as
  it is, every posting would be skipped for want of a description;
- Greenhouse, Ashby and Workable leave the descriptions, the pay or the details out unless
  the address asks for them (``complete_url``).

So a feed read from an address is read page after page, each page's postings as the parse
stage reads any document of its format, and a posting without its ad is replaced by its own
document. Every further request goes through the same guards as the first (``fetch.fetch``:
public addresses or allowed hosts, sizes, time-outs) and only to the first answer's host; at
most ``IMPORT_MAX_REQUESTS`` of them. A page that cannot be fetched ends the feed there as a
feed that broke off does: what was read is kept, and nothing is expired.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx
from django.conf import settings

from jobs.imports.base import FeedError, ItemProblem, Parser, Record, text
from jobs.imports.fetch import FetchRefused, client, fetch, is_url
from jobs.imports.formats.streams import json_items


@dataclass(frozen=True)
class Paging:
    """Where a format's page lists its postings (an ijson prefix), and how it names the next
    page: a link at ``links.next``, or an offset, a page size and a total (``total_key``)."""

    items: str
    total_key: str = ""


PAGING = {
    "arbeitnow": Paging("data.item"),
    "teamtailor": Paging("data.item"),
    "smartrecruiters": Paging("content.item", total_key="totalFound"),
    "himalayas": Paging("jobs.item", total_key="totalCount"),
}

# Query parameters without which an API's answer lacks what a posting needs: (host, the start
# of the path, parameters added unless the address already sets them).
COMPLETIONS = [
    # Greenhouse's Job Board API: the description only with content=true.
    ("boards-api.greenhouse.io", "/v1/boards/", {"content": "true"}),
    # Ashby's posting API: the pay only with includeCompensation=true.
    ("api.ashbyhq.com", "/posting-api/job-board/", {"includeCompensation": "true"}),
    # Workable's widget API: descriptions and places only with details=true.
    ("apply.workable.com", "/api/v1/widget/accounts/", {"details": "true"}),
    # SmartRecruiters' list: ten postings a page unless asked for its largest, a hundred.
    ("api.smartrecruiters.com", "/v1/companies/", {"limit": "100"}),
]


def complete_url(url: str) -> str:
    """``url`` with the parameters its API needs to answer whole postings (``COMPLETIONS``)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    for api_host, path, parameters in COMPLETIONS:
        if host == api_host and parts.path.startswith(path):
            return _with_query(url, parameters, replace=False)
    return url


def _with_query(url: str, parameters: dict[str, str], *, replace: bool = True) -> str:
    """``url`` with ``parameters`` in its query; with ``replace=False`` those it sets stay."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(parameters if replace else {**parameters, **query})
    return urlunsplit(parts._replace(query=urlencode(query)))


def records(parser: Parser, location: str, first: IO[bytes]) -> Iterator[Record | ItemProblem]:
    """The feed's items: those of ``first`` (the answer fetched from ``location``), then those
    of the pages and postings it names. A local file is read as it is."""
    paging = PAGING.get(parser.format)
    if paging is None or not is_url(location):
        yield from parser.parse(first)
        return
    with client() as session:
        url = complete_url(location)
        yield from _Follower(parser, paging, url, session).run(url, first)


class _Follower:
    def __init__(self, parser: Parser, paging: Paging, url: str, session: httpx.Client) -> None:
        self.parser = parser
        self.paging = paging
        self.session = session
        origin = urlsplit(url)
        self.origin = (origin.scheme, origin.netloc.lower())
        self.requests = 0
        self.pages_seen = {url}

    def run(self, url: str, first: IO[bytes]) -> Iterator[Record | ItemProblem]:
        root = yield from self._page(first)  # the caller's to close
        while (url := self._next(url, root)) is not None:
            with self._get(url) as page:
                root = yield from self._page(page)

    def _page(self, page: IO[bytes]) -> Generator[Record | ItemProblem, None, dict]:
        """The page's postings, each listed without its ad read from its own document; returns
        the page without its postings."""
        root, ads = self._survey(page)
        for item in self.parser.parse(page):
            ref = ads.get(item.external_id) if isinstance(item, Record) else None
            if ref is None:
                yield item
            else:
                yield from self._posting(ref)
        return root

    def _survey(self, page: IO[bytes]) -> tuple[dict, dict[str, str]]:
        """The page without its postings (for what names the next one), and the addresses of
        the postings it lists without their ad (SmartRecruiters), by id."""
        ads: dict[str, str] = {}
        root: Any = {}
        for path, value, whole in json_items(page, {self.paging.items}):
            if path == "":
                root = whole
            elif isinstance(value, dict) and _without_ad(value):
                ads[text(value.get("id") or value.get("uuid"))] = text(value["ref"])
        page.seek(0)
        return (root if isinstance(root, dict) else {}), ads

    def _posting(self, ref: str) -> Iterator[Record | ItemProblem]:
        """A posting's own document, in place of its entry in the list."""
        try:
            document = self._get(ref)
        except FeedError as error:
            if error.code == "http_status" and error.params.get("status") in {404, 410}:
                # Closed between the list and now: not seen, as if it had left the list.
                yield ItemProblem(ref[:200], error.code, error.params)
                return
            raise
        with document:
            yield from self.parser.parse(document)

    def _next(self, url: str, root: dict) -> str | None:
        """The next page's address, or None after the last."""
        if not self.paging.total_key:
            links = root.get("links")
            following = links.get("next") if isinstance(links, dict) else None
            following = urljoin(url, following) if isinstance(following, str) else None
        else:
            following = _offset_page(url, root, self.paging.total_key)
        if not following or following in self.pages_seen:
            return None  # the last page, or one that names a page already read
        self.pages_seen.add(following)
        return following

    def _get(self, url: str) -> IO[bytes]:
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc.lower()) != self.origin:
            raise FetchRefused("foreign_link", url=url[:200])
        self.requests += 1
        if self.requests > settings.IMPORT_MAX_REQUESTS:
            raise FeedError("too_many_requests", limit=settings.IMPORT_MAX_REQUESTS)
        return fetch(url, session=self.session)


def _without_ad(posting: dict) -> bool:
    return not posting.get("jobAd") and isinstance(posting.get("ref"), str)


def _offset_page(url: str, root: dict, total_key: str) -> str | None:
    """The next page of an API that pages by offset: this page's offset and size against the
    total it reports."""
    try:
        offset, size, total = (int(root[name]) for name in ("offset", "limit", total_key))
    except (KeyError, TypeError, ValueError):
        return None
    if size <= 0 or offset + size >= total:
        return None
    return _with_query(url, {"offset": str(offset + size), "limit": str(size)})
