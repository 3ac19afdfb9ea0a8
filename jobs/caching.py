"""The caches in front of the candidate pages, shared by every web process through the cache.

Three ideas keep them correct and cheap under load:

- **One generation for everything a candidate sees.** A counter in the cache names the current
  state of the postings. Every write a candidate could notice bumps it after its commit
  (`invalidate`), and every entry remembers the generation it was computed at. One bump thus
  retires every cached page and count on every web instance at once, without deleting a key.
- **Stale while revalidate.** An entry past its generation or its freshness is recomputed by
  one process only, the one that wins a short lock; the others serve the previous value
  meanwhile. After an import, a thousand requests for the list cost one query, not a
  thousand. With no previous value at all (a cold cache, a new deployment), the others wait
  a moment for the first computation rather than all running it.
- **Keys belong to a deployment** (`settings.DEPLOY_VERSION`): a release never serves pages
  rendered by the previous one's templates, and two releases running side by side during a
  rolling deploy keep their own entries. The generation itself is shared by all of them, so
  invalidation reaches old and new instances alike.

Without a reachable cache every read computes afresh, as if nothing were cached.
"""

import gzip
import hashlib
import secrets
import time
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.urls import get_script_prefix

from config.cache import counters
from config.deploy import deploy_version
from config.routers import pin_cookie_name, reads_replica

GENERATION_KEY = "jobs:generation"
# When the generation last changed: a read replica may not have replayed that change yet.
CHANGED_AT_KEY = "jobs:generation-changed-at"
# How long an entry may be served stale while one process recomputes it; after that the
# cache forgets it.
STALE_SECONDS = 24 * 60 * 60
# The recomputing process's claim: long enough for the dearest computation, short enough
# that a process that died while holding it delays the next refresh only briefly.
LOCK_SECONDS = 10
# How long the others wait for the first computation of an entry nobody has yet.
WAIT_SECONDS = 2.0
WAIT_STEP = 0.02


def _key(name: str) -> str:
    return f"jobs:{deploy_version()}:{name}"


def invalidate(scope: str | None = None) -> None:
    """A new generation: every cached entry is recomputed on its next read; with `scope`, only
    the entries cached under that scope (`cached(..., scope=...)`)."""
    key = _generation_key(scope)
    try:
        cache.incr(key)
    except ValueError:  # no generation yet (a new or flushed cache)
        _generation_start(key)
    cache.set(CHANGED_AT_KEY, time.time(), timeout=None)


def _generation_key(scope: str | None) -> str:
    return GENERATION_KEY if scope is None else f"{GENERATION_KEY}:{scope}"


def invalidate_on_commit() -> None:
    transaction.on_commit(invalidate)


def _generation_start(key: str = GENERATION_KEY) -> int | None:
    """Start counting from the clock rather than from one, so that entries left from before
    the cache lost the counter (evicted, flushed) can never match a new generation. None when
    the cache cannot be reached."""
    start = time.time_ns() // 1000
    if cache.add(key, start, timeout=None):
        return start
    return cache.get(key)


class Uncacheable(Exception):
    """Raised by a computation whose result must not be cached: `cached` returns `value` as it
    is. With `for_everyone` (a redirect, a page that answers every reader alike but is not a
    200) others compute their own for a while; without it (an answer for this client only, such
    as a 429 or a form's errors) the cache is left as it was, so one client's answer never
    changes what the others get."""

    def __init__(self, value: Any, *, for_everyone: bool = True) -> None:
        super().__init__()
        self.value = value
        self.for_everyone = for_everyone


# How long an entry that turned out uncacheable lets every process compute its own.
UNCACHEABLE_SECONDS = 60


# Entries each process also keeps for itself (`cached(..., local=True)`): small ones that
# every page reads, such as the facets. A copy in hand is used only while it is current, of
# the generation the cache names at this very read and fresh, exactly as the cache's own entry
# would be: only the generation then crosses the network, where the entry was most of a list
# page's cache read (README, "Speed-ups").
_held: dict[str, tuple] = {}


def cached(
    name: str,
    compute: Callable[[], tuple[Any, float]],
    *,
    local: bool = False,
    scope: str | None = None,
    keep: int = STALE_SECONDS,
    wait: float = WAIT_SECONDS,
    lock_seconds: int = LOCK_SECONDS,
    later: Callable[[], bool] | None = None,
) -> Any:
    """The value of entry `name`, from the cache while it is of this generation and fresh.

    `compute()` returns the value (never None) and the time (as `time.time()`) until which it
    stays fresh, or raises `Uncacheable`. It runs in at most one process at a time per entry
    while others have a value to serve. `local`: the process keeps a copy too (`_held`).
    `scope`: the entry is also retired by `invalidate(scope)`, read in the same round trip.
    `keep`: seconds the cache keeps the entry, stale, for others to serve while it is
    recomputed. `wait`: seconds a process waits for another's first computation before it
    computes its own. `lock_seconds`: how long one computation may hold the entry's lock.
    `later`: hands a stale entry's recomputation over to another process (a task that calls
    `cached_refresh`; True when handed over): this reader then serves the previous value
    rather than waiting for the new one, as every other reader does meanwhile.
    """
    key = _key(name)
    held = _held.get(key) if local else None
    generations = _generations(scope)
    names = [*generations, CHANGED_AT_KEY]
    found = cache.get_many(names if held is not None else [*names, key])
    changed_at = found.get(CHANGED_AT_KEY)
    generation = _generation_of(generations, found)
    if generation is None:  # no cache: nothing to share or to protect
        return compute_uncached(compute)
    if held is not None:
        if _current(held, generation):
            return held[2]
        found[key] = cache.get(key)
    entry = found.get(key)
    lock = f"{key}:lock"
    if entry is not None:
        value = entry[2]
        current = _current(entry, generation)
        if value is None:  # recently uncacheable: no lock, no waiting
            if current:
                return compute_uncached(compute)
            return _refresh(key, generation, changed_at, compute, local, keep)
        if current:
            if local:
                _held[key] = entry
            return value
        if not cache.add(lock, 1, lock_seconds) or (later is not None and later()):
            # Another process is recomputing it: the previous value will do, but whatever is
            # computed from it here is not fresh either. (Handed over, the lock stays until
            # that process has stored the new value.)
            _used_stale.set(True)
            return value
    elif not cache.add(lock, 1, lock_seconds):
        waited = _wait_for(key, wait)
        if waited is not None and waited[2] is not None:
            return waited[2]
    try:
        return _refresh(key, generation, changed_at, compute, local, keep)
    finally:
        cache.delete(lock)


def cached_refresh(
    name: str,
    compute: Callable[[], tuple[Any, float]],
    *,
    scope: str | None = None,
    keep: int = STALE_SECONDS,
) -> None:
    """Recompute entry `name` as `cached` would, for the reader that handed it over
    (`cached(..., later=...)`), and release the entry's lock."""
    key = _key(name)
    generations = _generations(scope)
    found = cache.get_many([*generations, CHANGED_AT_KEY])
    generation = _generation_of(generations, found)
    try:
        if generation is not None:
            _refresh(key, generation, found.get(CHANGED_AT_KEY), compute, keep=keep)
    finally:
        cache.delete(f"{key}:lock")


def cached_holds(name: str) -> bool:
    """Whether the cache holds entry `name`, current or stale."""
    return cache.has_key(_key(name))


def _generations(scope: str | None) -> list[str]:
    """The generation keys an entry of `scope` is checked against."""
    return [GENERATION_KEY] if scope is None else [GENERATION_KEY, _generation_key(scope)]


def _generation_of(keys: list[str], found: dict) -> Any:
    """The generation an entry must carry to be current: the global one, with its scope's
    paired to it when it has one. None when the cache cannot be reached."""
    values = []
    for key in keys:
        value = found.get(key)
        if value is None:
            value = _generation_start(key)
            if value is None:
                return None
        values.append(value)
    return values[0] if len(values) == 1 else tuple(values)


def _current(entry: tuple, generation: Any) -> bool:
    entry_generation, fresh_until, _value = entry
    return entry_generation == generation and time.time() < fresh_until


def compute_uncached(compute: Callable[[], tuple[Any, float]]) -> Any:
    try:
        return compute()[0]
    except Uncacheable as skip:
        return skip.value


# Set when a computation used a previous value of another entry (a page built on counts that
# another process is recomputing): what it computed is stored as already stale, so that the
# next reader recomputes it rather than serving old counts as new for minutes.
_used_stale: ContextVar[bool] = ContextVar("jobs_cache_used_stale", default=False)


def _refresh(
    key: str,
    generation: Any,
    changed_at: float | None,
    compute: Callable[[], tuple[Any, float]],
    local: bool = False,
    keep: int = STALE_SECONDS,
) -> Any:
    token = _used_stale.set(False)
    try:
        value, fresh_until = compute()
    except Uncacheable as skip:
        if skip.for_everyone:
            marker = (generation, time.time() + UNCACHEABLE_SECONDS, None)
            cache.set(key, marker, UNCACHEABLE_SECONDS)
        return skip.value
    finally:
        used_stale = _used_stale.get()
        _used_stale.reset(token)
    if used_stale:
        _used_stale.set(True)  # and whatever is built on this value in turn
        fresh_until = 0.0
    if changed_at is not None and reads_replica():
        # Read from a replica soon after a change, the value may predate that change: keep
        # it only until the replicas have surely replayed it (DATABASE_PIN_SECONDS).
        fresh_until = min(fresh_until, changed_at + settings.DATABASE_PIN_SECONDS)
    entry = (generation, fresh_until, value)
    cache.set(key, entry, keep)
    if local:
        _held[key] = entry
    return value


def _wait_for(key: str, wait: float = WAIT_SECONDS) -> tuple | None:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        entry = cache.get(key)
        if entry is not None:
            return entry
    return None


# --- Rendered pages -------------------------------------------------------------------------

# A shared page holds a placeholder where each reader's own CSRF token goes (the alert and
# report forms post with it); each response gets its reader's token in its place. The
# placeholder is drawn afresh for every rendering and kept with the page: text that anybody
# wrote before (a posting's description) cannot contain it, so no reader's token is ever put
# into a link of theirs.
# Statuses whose page is the same for every reader of its address.
_SHAREABLE_STATUSES = {200, 410}


def csrf_placeholder(request) -> dict[str, str]:
    """Context processor: a page rendered for the shared cache gets the placeholder."""
    placeholder = getattr(request, "shared_page_placeholder", None)
    if placeholder is not None:
        return {"csrf_token": placeholder}
    return {}


def _shareable(request) -> bool:
    """Anonymous reads only: a signed-in user, a reader with a message to see (after a
    report) or one who has just sent a form gets a page of their own."""
    return (
        settings.JOBS_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        # Who has just written reads the primary for a while (config.routers): not a page
        # rendered from a replica that may not have their change.
        and pin_cookie_name() not in request.COOKIES
    )


# How long the cache keeps a page past its freshness, for readers to be served while one
# process renders it anew: long enough to cover a busy page's next read, short enough that
# pages nobody reads again (a crawler's, a flood's) leave the cache soon.
def page_keep_seconds() -> int:
    return max(60, 2 * settings.JOBS_PAGE_CACHE_SECONDS)


def page_parameters(request, names: tuple[str, ...]) -> dict[str, str]:
    """The query parameters a candidate page reads (`names`), as it reads them: the last value
    of each, empty ones left out, `page` as a number with page 1 left out (a page that is not
    a number is kept as it is: the view refuses it). Anything else in the query string shapes
    neither the page nor its cache key."""
    found = {}
    for name in names:
        value = request.GET.get(name, "")
        if value == "":
            continue
        if name == "page":
            try:
                number = int(value)
            except ValueError:
                pass
            else:
                if number == 1:
                    continue
                value = str(number)
        found[name] = value
    return found


def candidate_page(view, *, fresh_until: Callable[[], float], parameters: tuple[str, ...] = ()):
    """Serve the view's page from the cache shared by every web process.

    The key is the page's address as the view reads it: its scheme, host and path (canonical
    links and the language come from them), the script prefix links are reversed under, and
    only the query `parameters` the view reads (`page_parameters`), within the deployment's
    version. An unknown parameter thus neither adds an entry nor reaches a shared page. The
    page stays fresh for JOBS_PAGE_CACHE_SECONDS at most, never past the next generation, and
    never past `fresh_until()` (as `time.time()`), which the caller asks while the page's
    request and language are active: the next expiry among its language's postings, for the
    job board; it is kept
    `page_keep_seconds()`. Only 200 and 410 pages with no cookie of their own are shared; a
    view marks a page for its reader alone (a value it refused, a 429) with
    `request.page_not_shared`, and nothing is stored for it.
    """
    return shared_page(
        view, parameters=parameters, fresh_until=fresh_until, keep=page_keep_seconds
    )


def shared_page(
    view,
    *,
    parameters: tuple[str, ...],
    fresh_until: Callable[[], float] | None,
    keep: Callable[[], int],
    fresh: Callable[[], int] = lambda: settings.JOBS_PAGE_CACHE_SECONDS,
    wait: float = WAIT_SECONDS,
    lock_seconds: int = LOCK_SECONDS,
    compress: bool = False,
):
    """`candidate_page` for any view whose response is the same for every anonymous reader of
    its address: fresh for `fresh()` seconds at most, and never past `fresh_until()` when
    given, kept `keep()` seconds, with others waiting `wait` seconds for its first computation
    (which may take `lock_seconds`). `compress`: the body is kept gzipped, and sent so to
    clients that accept it (a sitemap of 50,000 addresses is 7 MB, 0.5 MB gzipped)."""

    @wraps(view)
    def shared_view(request, *args, **kwargs):
        if not _shareable(request):
            return view(request, *args, **kwargs)
        found = page_parameters(request, parameters)
        if "q" in found and not _search_admitted(found["q"], keep()):
            return view(request, *args, **kwargs)
        query = urlencode(sorted(found.items()))
        address = f"{get_script_prefix()} {request.build_absolute_uri(request.path)}?{query}"
        name = f"page:{hashlib.blake2b(address.encode(), digest_size=16).hexdigest()}"

        def render():
            placeholder = f"csrf-placeholder-{secrets.token_hex(16)}"
            request.shared_page_placeholder = placeholder
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if getattr(request, "page_not_shared", False):
                raise Uncacheable(response, for_everyone=False)
            if (
                response.status_code not in _SHAREABLE_STATUSES
                or response.streaming
                or response.cookies
            ):
                raise Uncacheable(response)
            content = response.content
            if compress:
                content = Gzipped(gzip.compress(content, compresslevel=6, mtime=0))
            page = (response.status_code, list(response.headers.items()), content, placeholder)
            until = time.time() + fresh()
            return page, until if fresh_until is None else min(until, fresh_until())

        page = cached(name, render, keep=keep(), wait=wait, lock_seconds=lock_seconds)
        if isinstance(page, HttpResponseBase):  # rendered for this reader alone
            return _with_token(request, page, getattr(request, "shared_page_placeholder", None))
        status, headers, content, placeholder = page
        if isinstance(content, Gzipped):
            return _gzipped_response(request, status, dict(headers), content)
        response = HttpResponse(content, status=status, headers=dict(headers))
        return _with_token(request, response, placeholder)

    return shared_view


def _search_admitted(text: str, keep: int) -> bool:
    """Whether pages for the search `text` may enter the cache: the first
    JOBS_PAGE_CACHE_QUERIES distinct searches of each period of `keep` seconds may, later
    ones are served uncached. Every `q` is a valid search, so without this bound one client
    inventing searches would fill the cache with pages nobody reads again. The count is a
    counter (it must not be evicted with the pages); the verdict on each search is kept with
    the pages, so a search that was admitted stays so for its period."""
    limit = settings.JOBS_PAGE_CACHE_QUERIES
    window = int(time.time() // keep)
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    verdict_key = _key(f"search-admitted:{window}:{digest}")
    admitted = cache.get(verdict_key)
    if admitted is None:
        count_key = f"page-cache-searches:{deploy_version()}:{window}"
        counters.add(count_key, 0, keep)
        try:
            admitted = counters.incr(count_key) <= limit
        except ValueError:  # the period ended between add() and incr()
            admitted = False
        cache.set(verdict_key, admitted, keep)
    return admitted


class Gzipped(bytes):
    """A cached body kept gzipped (`shared_page(..., compress=True)`)."""


def _gzipped_response(request, status: int, headers: dict, body: Gzipped) -> HttpResponse:
    headers["Vary"] = "Accept-Encoding"
    if "gzip" not in request.headers.get("Accept-Encoding", ""):
        return HttpResponse(gzip.decompress(body), status=status, headers=headers)
    headers["Content-Encoding"] = "gzip"
    return HttpResponse(bytes(body), status=status, headers=headers)


def _with_token(request, response: HttpResponseBase, placeholder: str | None):
    """The reader's CSRF token where the page's own placeholder is, in HTML pages only."""
    if (
        placeholder
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and placeholder.encode() in response.content
    ):
        response.content = response.content.replace(
            placeholder.encode(), get_token(request).encode()
        )
    return response
