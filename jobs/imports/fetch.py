"""Fetch a feed without letting it hurt the site.

Only http(s); every address a host resolves to must be public unless the host is listed in
``IMPORT_ALLOWED_HOSTS``; the check runs when the socket connects (so a DNS answer that
changes between check and use cannot slip through) and again for each redirect, which are
followed by hand and counted. Connect and read time out, and the body is written to a
temporary file that may not grow past ``IMPORT_MAX_FEED_BYTES``.
"""

from __future__ import annotations

import ipaddress
import socket
import tempfile
from collections.abc import Callable
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from django.conf import settings

from jobs.imports.base import FeedError

USER_AGENT = "jobboard-importer/1.0 (+https://github.com/)"
CHUNK = 64 * 1024


class FetchRefused(FeedError):
    """The URL may not be fetched: wrong scheme, private address, too many redirects, too big."""


class NetworkError(FeedError):
    """The fetch failed in a way that may pass: worth retrying later."""


def is_url(location: str) -> bool:
    return location.lower().startswith(("http://", "https://"))


def _public(address: str) -> bool:
    """Globally routable, per IANA's special-purpose registries: beyond loopback and RFC 1918
    this refuses shared address space (100.64.0.0/10, where cloud metadata and NAT gateways
    live), benchmarking, documentation and reserved ranges."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _allowed(host: str) -> bool:
    return host.lower().rstrip(".") in {name.lower() for name in settings.IMPORT_ALLOWED_HOSTS}


def resolve(host: str, port: int) -> list[str]:
    """The host's addresses, refused unless all are public or the host is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise NetworkError("unresolvable_host", host=host) from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not _allowed(host) and not all(_public(address) for address in addresses):
        raise FetchRefused("private_address", host=host)
    return addresses


def check_url(url: str) -> None:
    """Refuse a URL before any request: scheme, host, and where the host resolves."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchRefused("refused_scheme", url=url[:200])
    resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))


class _GuardedBackend(httpcore.SyncBackend):
    """Connects only to the addresses ``resolve`` accepted, whatever DNS says by then."""

    def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any):
        last: Exception | None = None
        for address in resolve(host, port):
            try:
                return super().connect_tcp(address, port, *args, **kwargs)
            except httpcore.ConnectError as error:
                last = error
        raise last or httpcore.ConnectError(f"cannot connect to {host}")


class GuardedTransport(httpx.HTTPTransport):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # httpx offers no setting for the network backend; its pool takes one.
        self._pool._network_backend = _GuardedBackend()


def client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """An HTTP client for feeds: guarded connections, time-outs, no redirects of its own (each
    is checked by ``fetch``), no proxy or credentials from the environment. One client fetches
    a feed's further pages and postings over the same connection (``jobs.imports.follow``)."""
    timeout = httpx.Timeout(
        connect=settings.IMPORT_CONNECT_TIMEOUT,
        read=settings.IMPORT_READ_TIMEOUT,
        write=settings.IMPORT_READ_TIMEOUT,
        pool=settings.IMPORT_CONNECT_TIMEOUT,
    )
    return httpx.Client(
        transport=transport or GuardedTransport(retries=0),
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": USER_AGENT, "Accept": "*/*"},
    )


def fetch(
    url: str,
    *,
    progress: Callable[[int, int | None], None] | None = None,
    transport: httpx.BaseTransport | None = None,
    session: httpx.Client | None = None,
) -> IO[bytes]:
    """The body at ``url`` in a temporary file, positioned at its start; through ``session``
    when given (``client()``), else a client of its own."""
    if session is None:
        with client(transport) as own:
            return fetch(url, progress=progress, session=own)
    limit = settings.IMPORT_MAX_FEED_BYTES
    for _hop in range(settings.IMPORT_MAX_REDIRECTS + 1):
        check_url(url)
        try:
            with session.stream("GET", url) as response:
                if response.is_redirect and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                return _body(response, limit, progress)
        except httpx.TimeoutException:
            raise NetworkError("timeout", url=url[:200]) from None
        except httpx.HTTPError as error:
            cause = error.__cause__ or error.__context__
            if isinstance(cause, FeedError):
                raise cause from None
            raise NetworkError(
                "network_error", url=url[:200], error=type(error).__name__
            ) from None
    raise FetchRefused("too_many_redirects", url=url[:200])


def _body(response: httpx.Response, limit: int, progress) -> IO[bytes]:
    if response.status_code >= 500 or response.status_code == 429:
        raise NetworkError("http_status", status=response.status_code)
    if response.status_code >= 400:
        raise FeedError("http_status", status=response.status_code)
    declared = response.headers.get("content-length")
    total = int(declared) if declared and declared.isdigit() else None
    if total is not None and total > limit:
        raise FetchRefused("too_large", limit=limit)
    body = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    received = 0
    try:
        for chunk in response.iter_bytes(CHUNK):
            received += len(chunk)
            if received > limit:
                raise FetchRefused("too_large", limit=limit)
            body.write(chunk)
            if progress:
                progress(received, total)
    except BaseException:
        body.close()
        raise
    body.seek(0)
    return body


def open_local(path: str) -> IO[bytes]:
    """A feed on disk, refused past the same size limit as a fetched one."""
    try:
        stream = open(path, "rb")  # noqa: SIM115 - handed to the caller, who closes it
    except FileNotFoundError:
        raise FeedError("missing_file", path=path) from None
    except OSError as error:
        raise FeedError("unreadable_file", path=path, error=error.strerror or "") from None
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size > settings.IMPORT_MAX_FEED_BYTES:
        stream.close()
        raise FetchRefused("too_large", limit=settings.IMPORT_MAX_FEED_BYTES)
    return stream
