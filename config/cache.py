"""A Redis cache that degrades to "no cache" when Redis is away.

Django's RedisCache raises on every call once Redis stops answering, and the cache sits in
front of every page, the rate limits and the login throttle: one stopped Redis would be a
site of 500s. Here a connection or timeout error is logged as a warning and the call answers
as if the key were missing (reads miss, writes are dropped, counters start again). For a
few seconds after a failure calls skip Redis altogether, so a dead server costs no timeouts.

Any other error Redis answers (OutOfMemoryError once it reaches `maxmemory` with nothing it may
evict, a read-only replica, a script error) is "no cache" for that call too: it is logged, the
call answers as a miss or as a dropped write, and /healthz reports the cache as down while
writes fail (`writes_failing`). Only unreachability makes later calls skip Redis: a server
that refuses writes still answers reads.

Rate limits and the admin login throttle fail open while Redis is down: they count nothing.
Refusing every search and every login instead would take the site down with its cache.
"""

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.connection import ConnectionProxy
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What must survive the page cache's evictions (rate limits, the login throttle, the alert
# caps), as `django.core.cache.cache` is the default alias: config/caches.py.
counters = ConnectionProxy(caches, "counters")

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# Seconds after a failed write during which /healthz says the cache is down.
WRITE_FAILURE_SECONDS = 30.0


class ReusingRedisCacheClient(RedisCacheClient):
    """One redis-py client per connection pool, where Django makes one per call: building a
    client fills its table of some 170 response callbacks, a tenth of a millisecond that
    every cache read paid (two to three per list page). A client is a thread-safe handle on
    its pool, and a pool notices a fork and starts afresh, so sharing it is safe."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # pools live as long as this object
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self.retry_after = float(params.get("RETRY_AFTER", 5.0))
        self._down_until = 0.0
        self._write_failed_at = None
        self._refused_logged_at = None

    def _call(self, operation: str, default, function, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            result = function(*args, **kwargs)
        except UNAVAILABLE as error:
            # Once per retry window at most: a long outage stays visible without flooding.
            logger.warning(
                "cache unavailable, serving without it for %ss (%s): %s",
                self.retry_after,
                operation,
                error,
            )
            self._down_until = time.monotonic() + self.retry_after
            self._write_failed_at = time.monotonic()
            return default
        except RedisError as error:
            self._refused(operation, error)
            return default
        if self._down_until:
            logger.info("cache available again")
            self._down_until = 0.0
        return result

    def _refused(self, operation: str, error: Exception) -> None:
        """Redis answered with an error: this call does without the cache. Logged once per
        retry window, as a full cache refuses every write of every page."""
        now = time.monotonic()
        if operation not in {"get", "get_many", "has_key"}:
            self._write_failed_at = now
        if self._refused_logged_at is None or now - self._refused_logged_at > self.retry_after:
            self._refused_logged_at = now
            logger.warning("cache refused %s, serving without it: %s", operation, error)

    def redis(self, *, write: bool = True):
        """The redis-py client this cache talks through (one per server, shared): for what the
        cache API does not say, such as a key's time to live or the server's memory."""
        return self._cache.get_client(write=write)

    def writes_failing(self) -> bool:
        """Whether a write failed in this process in the last WRITE_FAILURE_SECONDS."""
        failed = self._write_failed_at
        return failed is not None and time.monotonic() - failed < WRITE_FAILURE_SECONDS

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Without a cache an add succeeds, as Django's DummyCache's does: a caller taking a
        # lock computes for itself instead of waiting for a holder that does not exist.
        return self._call("add", True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        # As if the key had just been created: a rate limit counts one hit.
        return self._call("incr", delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", [], super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._call("clear", False, super().clear)


class CountersRedisCache(ResilientRedisCache):
    """The `counters` cache (config/caches.py), on a database it shares with the broker's
    queues: `clear()` deletes this cache's own keys (those under its KEY_PREFIX and version),
    never the database, which Django's RedisCache would empty with every queued task in it."""

    def clear(self):
        return self._call("clear", False, self._clear_own)

    def _clear_own(self) -> bool:
        client = self.redis()
        pattern = _glob_escape(self.make_key("")) + "*"
        batch = []
        for key in client.scan_iter(match=pattern, count=500):
            batch.append(key)
            if len(batch) >= 500:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
        return True


def _glob_escape(text: str) -> str:
    """`text` matched literally in a Redis SCAN MATCH pattern."""
    return "".join(f"\\{char}" if char in "*?[]\\" else char for char in text)
