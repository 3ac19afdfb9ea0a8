"""Middleware the project adds around Django's own."""

import logging

from django.conf import settings

from config.clients import is_trusted_proxy, parsed_address
from config.views import TEMPORARILY_UNAVAILABLE, error_page, service_unavailable

logger = logging.getLogger(__name__)

ERROR_PAGES = {400, 403, 404, 410, 429, 500, 503}


class ClientAddressMiddleware:
    """Behind proxies, REMOTE_ADDR is the nearest proxy's address: every client would share
    one rate limit and one admin login throttle. Each proxy appends the address it received
    the request from to X-Forwarded-For, so with DJANGO_TRUSTED_PROXY_HOPS proxies in front, the
    client is the entry that many places from the right; anything left of it the client wrote
    itself and is ignored. The header counts only on a request that came from a trusted proxy
    (FORWARDED_ALLOW_IPS, the addresses gunicorn trusts too), and only when that entry is an IP
    address: anything else keeps the address the request came from. REMOTE_ADDR is replaced,
    so every reader of it gets the client."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        hops = settings.TRUSTED_PROXY_HOPS
        if hops and is_trusted_proxy(
            request.META.get("REMOTE_ADDR", ""), tuple(settings.TRUSTED_PROXIES)
        ):
            forwarded = [
                address.strip()
                for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if address.strip()
            ]
            # Fewer entries than proxies: the request did not come through them all. Keep the
            # address it came from rather than trust one it may have written.
            if len(forwarded) >= hops:
                address = parsed_address(forwarded[-hops])
                if address is not None:
                    request.META["REMOTE_ADDR"] = address
        return self.get_response(request)


class CrossOriginResourcePolicyMiddleware:
    """`Cross-Origin-Resource-Policy` on every response, static files included (whitenoise
    answers further in), which Django's SecurityMiddleware does not set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.SECURE_CROSS_ORIGIN_RESOURCE_POLICY
        if policy:
            response.headers.setdefault("Cross-Origin-Resource-Policy", policy)
        return response


class DatabaseUnavailableMiddleware:
    """A view that finds the database down (or restarting, or out of connections), or the
    Celery broker unreachable, answers with the translated 503 page and a Retry-After, not a
    500 and a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, TEMPORARILY_UNAVAILABLE):
            logger.warning("service unavailable: %s", exception)
            return service_unavailable(request)
        return None


class ErrorPageMiddleware:
    """An error response with no body of its own (`HttpResponseGone()`, a bare 429 or 503)
    gets the styled, translated page for its status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in ERROR_PAGES and not response.streaming and not response.content:
            page = error_page(request, response.status_code)
            for name, value in response.items():
                if name.lower() not in {"content-type", "content-length"}:
                    page[name] = value
            return page
        return response
