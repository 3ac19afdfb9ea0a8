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

import hashlib
import time
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token

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
    """Raised by a computation whose result must not be cached (a 404, a rate-limit answer):
    `cached` returns `value` as it is, and for a while others compute their own."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


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
) -> Any:
    """The value of entry `name`, from the cache while it is of this generation and fresh.

    `compute()` returns the value (never None) and the time (as `time.time()`) until which it
    stays fresh, or raises `Uncacheable`. It runs in at most one process at a time per entry
    while others have a value to serve. `local`: the process keeps a copy too (`_held`).
    `scope`: the entry is also retired by `invalidate(scope)`, read in the same round trip.
    """
    key = _key(name)
    held = _held.get(key) if local else None
    generations = [GENERATION_KEY] if scope is None else [GENERATION_KEY, _generation_key(scope)]
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
            return _refresh(key, generation, changed_at, compute, local)
        if current:
            if local:
                _held[key] = entry
            return value
        if not cache.add(lock, 1, LOCK_SECONDS):
            # Another process is recomputing it: the previous value will do, but whatever is
            # computed from it here is not fresh either.
            _used_stale.set(True)
            return value
    elif not cache.add(lock, 1, LOCK_SECONDS):
        waited = _wait_for(key)
        if waited is not None and waited[2] is not None:
            return waited[2]
    try:
        return _refresh(key, generation, changed_at, compute, local)
    finally:
        cache.delete(lock)


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
) -> Any:
    token = _used_stale.set(False)
    try:
        value, fresh_until = compute()
    except Uncacheable as skip:
        cache.set(key, (generation, time.time() + UNCACHEABLE_SECONDS, None), STALE_SECONDS)
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
    cache.set(key, entry, STALE_SECONDS)
    if local:
        _held[key] = entry
    return value


def _wait_for(key: str) -> tuple | None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        entry = cache.get(key)
        if entry is not None:
            return entry
    return None


# --- Rendered pages -------------------------------------------------------------------------

# What a shared page holds where each reader's own CSRF token goes: the alert and report
# forms post with it. Each response gets its reader's token in its place.
CSRF_PLACEHOLDER = "csrf-token-of-the-reader-0b8e1f6c"
# Statuses whose page is the same for every reader of its address.
_SHAREABLE_STATUSES = {200, 410}


def csrf_placeholder(request) -> dict[str, str]:
    """Context processor: a page rendered for the shared cache gets the placeholder."""
    if getattr(request, "renders_shared_page", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
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


def candidate_page(view, *, fresh_until: Callable[[], float]):
    """Serve the view's page from the cache shared by every web process.

    The key is the absolute URL (canonical links and the language come from it) within the
    deployment's version; the page stays fresh for JOBS_PAGE_CACHE_SECONDS at most, never
    past the next generation, and never past `fresh_until()` (as `time.time()`), which the
    caller asks while the page's request and language are active: the next expiry among its
    language's postings, for the job board. Only 200 and 410 pages with no cookie of their
    own are shared.
    """

    @wraps(view)
    def shared_view(request, *args, **kwargs):
        if not _shareable(request):
            return view(request, *args, **kwargs)
        url = request.build_absolute_uri()
        name = f"page:{hashlib.blake2b(url.encode(), digest_size=16).hexdigest()}"

        def render():
            request.renders_shared_page = True
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if (
                response.status_code not in _SHAREABLE_STATUSES
                or response.streaming
                or response.cookies
            ):
                raise Uncacheable(response)
            page = (response.status_code, list(response.headers.items()), response.content)
            return page, min(time.time() + settings.JOBS_PAGE_CACHE_SECONDS, fresh_until())

        page = cached(name, render)
        if isinstance(page, HttpResponseBase):
            response = page
        else:
            status, headers, content = page
            response = HttpResponse(content, status=status, headers=dict(headers))
        if not response.streaming and CSRF_PLACEHOLDER.encode() in response.content:
            response.content = response.content.replace(
                CSRF_PLACEHOLDER.encode(), get_token(request).encode()
            )
        return response

    return shared_view
