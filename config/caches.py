"""The caches, as config/settings.py declares them (README, "Redis").

Two aliases on two Redis databases that must behave differently when memory runs short:

- `default`, the shared cache of pages, counts and fragments, on REDIS_URL: a Redis that
  evicts the least recently used entries at its memory cap. Anything in it may vanish at any
  moment and is recomputed.
- `counters`, what must not vanish under memory pressure: rate limits, the admin login
  throttle, the daily alert-confirmation caps. An evicted counter is a limit that starts
  again, so a client that floods the page cache would reset its own limits. They live on the
  broker's Redis, which never evicts (`maxmemory-policy noeviction`, since a queued email must
  not disappear either), or wherever COUNTERS_REDIS_URL says. They are few and small, and
  each expires with its window.
"""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from config.env import env, env_float, env_int

# Broker URL schemes redis-py can read, once kombu's Unix socket form is translated.
REDIS_SCHEMES = {"redis", "rediss", "unix", "redis+socket"}


def redis_py_url(url: str) -> str:
    """A broker's URL as redis-py reads it: kombu's Unix socket form
    (`redis+socket:///path?virtual_host=1`, the embedded server's) becomes `unix:///path?db=1`."""
    parts = urlsplit(url)
    if parts.scheme != "redis+socket":
        return url
    db = parse_qs(parts.query).get("virtual_host", ["0"])[0]
    return f"unix://{parts.path}?db={db}"


def embedded_redis_urls(data_dir: Path) -> tuple[str, str]:
    """The embedded server's (cache URL, broker URL): the broker on a database of its own, so
    that clearing the cache never touches a queued task."""
    from config.embedded_redis import embedded_broker_url, embedded_redis_url

    return embedded_redis_url(data_dir, db=0), embedded_broker_url(data_dir, db=1)


def counters_url(broker_url: str, cache_url: str) -> str:
    """Where counters live unless COUNTERS_REDIS_URL says: the broker's Redis when the broker is
    a Redis, else (a broker of another kind) the cache's."""
    if urlsplit(broker_url).scheme in REDIS_SCHEMES:
        return redis_py_url(broker_url)
    return cache_url


def _redis_options() -> dict:
    return {
        "socket_connect_timeout": env_float("CACHE_CONNECT_TIMEOUT", 0.5),
        "socket_timeout": env_float("CACHE_SOCKET_TIMEOUT", 1.0),
    }


def caches(cache_url: str, counters_redis_url: str) -> dict:
    prefix = env("CACHE_KEY_PREFIX", "jobboard")
    # After a failure, calls skip Redis for this long instead of each waiting for it.
    retry_after = env_float("CACHE_RETRY_AFTER", 5.0)
    return {
        "default": {
            # Redis down is a slower site, not a broken one: errors are logged and each
            # call answers as a miss (config/cache.py).
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": cache_url,
            "KEY_PREFIX": prefix,
            "VERSION": env_int("CACHE_VERSION", 1),
            "OPTIONS": _redis_options(),
            "RETRY_AFTER": retry_after,
        },
        "counters": {
            # Shares its database with the broker: clear() removes its own keys only.
            "BACKEND": "config.cache.CountersRedisCache",
            "LOCATION": counters_redis_url,
            # Not CACHE_VERSION: a new page cache version must not reset every limit.
            "KEY_PREFIX": f"{prefix}:counters",
            "OPTIONS": _redis_options(),
            "RETRY_AFTER": retry_after,
        },
    }
