"""Reads of candidate pages go to a PostgreSQL read replica; everything else to the primary.

Replicas are named in DATABASE_REPLICA_URLS (settings make them `replica_1`, `replica_2`...).
The primary (`default`) takes every write and every read, except those of a request that
`ReplicaRoutingMiddleware` chose for a replica, which is a GET or HEAD of a candidate page
(`REPLICA_VIEWS`) from a client that has not written anything in the last
DATABASE_PIN_SECONDS. Within such a request the reads move back to the primary as soon as it
writes or opens a transaction, so that a request never misses its own change.

Admin, forms, alerts, management commands and Celery tasks never set the request's read
alias: they read the primary. With no replica configured the router is not installed and
the middleware steps aside at once.

A replica that does not answer when a request would read it is left out for
DATABASE_REPLICA_RETRY_SECONDS, and the request reads another replica or the primary: a replica
down is a busier primary, not an error page.

The choice is a context variable: one per request, whatever the threads or tasks serving them.
"""

import logging
import random
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

# The alias the current request's reads go to; None is the primary.
_read_alias: ContextVar[str | None] = ContextVar("database_read_alias", default=None)

PRIMARY = "default"

# Candidate pages: what anonymous visitors read most, and where a fraction of a second of
# replication lag is invisible. By URL name (namespace included).
REPLICA_VIEWS = frozenset(
    {
        "jobs:job_list",
        "jobs:job_detail",
        "jobs:company_detail",
        "jobs:job_feed_rss",
        "jobs:job_feed_atom",
        "jobs:company_feed_rss",
        "jobs:company_feed_atom",
        "sitemap_index",
        "sitemap_section",
    }
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# Replicas that did not answer, and the monotonic time until which they are left out.
_down_until: dict[str, float] = {}


def replica_answers(alias: str) -> bool:
    """Whether the replica can serve this request's reads: connected, or connecting now."""
    if _down_until.get(alias, 0.0) > time.monotonic():
        return False
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as error:
        _down_until[alias] = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS
        logger.warning(
            "replica %s does not answer: reading elsewhere for %s s",
            alias,
            settings.DATABASE_REPLICA_RETRY_SECONDS,
            extra={"alias": alias, "error": str(error)},
        )
        return False
    _down_until.pop(alias, None)
    return True


def replica_choose() -> str | None:
    """A replica that answers, at random (spreading the load is all the randomness is for),
    or None: the primary."""
    replicas = list(settings.DATABASE_REPLICAS)
    random.shuffle(replicas)
    return next((alias for alias in replicas if replica_answers(alias)), None)


def pin_cookie_name() -> str:
    # The __Host- prefix needs a Secure cookie, which browsers refuse over plain HTTP.
    return "__Host-dbpin" if settings.SESSION_COOKIE_SECURE else "dbpin"


def reads_replica() -> bool:
    """Whether the current request's reads go to a replica now."""
    return _read_alias.get() is not None and not connections[PRIMARY].in_atomic_block


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = _read_alias.get()
        if alias is None or connections[PRIMARY].in_atomic_block:
            # A transaction reads what it is about to write: the primary.
            return PRIMARY
        return alias

    def db_for_write(self, model, **hints):
        # The request's later reads must see this write.
        _read_alias.set(None)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the primary's rows: objects from any of them may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Replicas replay the primary's changes, schema included; never migrate them.
        return db == PRIMARY


class ReplicaRoutingMiddleware:
    """Chooses where each request reads (see the module's docstring), and after a write
    (any POST, PUT, PATCH or DELETE) sets a short-lived cookie that keeps that client's next
    requests on the primary: a recruiter who saves sees the saved posting, even on a candidate
    page, even when a replica lags.

    The cookie only ever moves reads to the primary, so a client forging it gains nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        token = _read_alias.set(None)
        try:
            if settings.DATABASE_ROUTING_DEBUG:
                with QueryCounter() as counter:
                    response = self.get_response(request)
                response["X-DB-Queries"] = counter.header()
            else:
                response = self.get_response(request)
        finally:
            _read_alias.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                pin_cookie_name(),
                "1",
                max_age=settings.DATABASE_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.DATABASE_REPLICAS:
            return None
        if (
            request.method in {"GET", "HEAD"}
            and request.resolver_match.view_name in REPLICA_VIEWS
            and pin_cookie_name() not in request.COOKIES
        ):
            _read_alias.set(replica_choose())
        return None


class QueryCounter:
    """Counts the queries each database alias runs while it is active (DATABASE_ROUTING_DEBUG),
    so that tests and the scale-out proof see, from outside the process, where a page read."""

    def __init__(self):
        self.counts: dict[str, int] = {}
        self._wrapped: list = []

    def __enter__(self):
        for connection in connections.all():
            wrapper = self._counter(connection.alias)
            connection.execute_wrappers.append(wrapper)
            self._wrapped.append((connection, wrapper))
        return self

    def __exit__(self, *exc_info):
        for connection, wrapper in self._wrapped:
            connection.execute_wrappers.remove(wrapper)

    def _counter(self, alias: str):
        def count(execute, sql, params, many, context):
            self.counts[alias] = self.counts.get(alias, 0) + 1
            return execute(sql, params, many, context)

        return count

    def header(self) -> str:
        """`default=1, replica_1=4`: aliases that ran no query are left out."""
        return ", ".join(f"{alias}={n}" for alias, n in sorted(self.counts.items()))
