"""A fixed-window request counter in the `counters` cache: a Redis every web process shares,
which never evicts (config/caches.py), so flooding the page cache cannot reset a limit."""

import hashlib
from http import HTTPStatus

from django.conf import settings
from django.http import HttpResponse

from config.cache import counters
from config.clients import request_client


def client_address(request) -> str:
    """The client, as every per-client limit counts it: its IPv4 address or its IPv6 /64
    (config.clients). Behind proxies, config.middleware.ClientAddressMiddleware has already put
    the address the trusted proxy saw in REMOTE_ADDR."""
    return request_client(request)


def rate_limited(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one hit of `key`; True once it has gone over `limit` hits in `window` seconds."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    cache_key = f"ratelimit:v1:{scope}:{digest}"
    if counters.add(cache_key, 1, timeout=window):
        return limit < 1
    try:
        hits = counters.incr(cache_key)
    except ValueError:  # the window ended between add() and incr()
        counters.set(cache_key, 1, timeout=window)
        hits = 1
    return hits > limit


def too_many_requests(retry_after: int) -> HttpResponse:
    """A bare 429; the site's error page middleware gives it the readable, translated page."""
    return HttpResponse(status=429, headers={"Retry-After": str(retry_after)})


def search_rate_limited(request) -> bool:
    """Full-text search is the expensive request anyone can make: count it per client. Plain
    browsing (no `q`) is never limited."""
    if not request.GET.get("q", "").strip():
        return False
    return rate_limited(
        scope="search",
        key=client_address(request),
        limit=settings.JOBS_SEARCH_RATE_LIMIT,
        window=settings.JOBS_SEARCH_RATE_WINDOW,
    )


class RateLimitedFormMixin:
    """For a FormView anyone may post to (an alert subscription, a "my data" request): each
    client's posts are counted under `rate_limit_scope`, and past JOBS_ALERT_RATE_LIMIT an
    hour the form comes back with `rate_limit_message` and a 429, sending nothing."""

    rate_limit_scope = ""
    rate_limit_message = ""

    def post(self, request, *args, **kwargs):
        if rate_limited(
            scope=self.rate_limit_scope,
            key=client_address(request),
            limit=settings.JOBS_ALERT_RATE_LIMIT,
            window=settings.JOBS_ALERT_RATE_WINDOW,
        ):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, self.rate_limit_message)
            return self.render_to_response(
                self.get_context_data(form=form), status=HTTPStatus.TOO_MANY_REQUESTS
            )
        return super().post(request, *args, **kwargs)
