"""A fixed-window request counter in the cache (Redis when REDIS_URL is set, so every web
process shares it)."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The client's IP address. Behind the trusted proxy that settings declare, that is the
    last address the proxy appended to X-Forwarded-For; anything before it the client wrote."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one hit of `key`; True once it has gone over `limit` hits in `window` seconds."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    cache_key = f"ratelimit:v1:{scope}:{digest}"
    if cache.add(cache_key, 1, timeout=window):
        return limit < 1
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(cache_key, 1, timeout=window)
        hits = 1
    return hits > limit
