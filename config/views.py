import logging
import secrets
import sys
from http import HTTPStatus

import kombu.exceptions
from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from config.cache import counters
from config.errors import report_exception
from jobs.filters import JobFilter
from jobs.sitemaps import sitemaps_with_content
from locales.languages import HTML_LANG

logger = logging.getLogger(__name__)

# The errors that mean "not now" rather than "never": the database is down or restarting,
# its connections are exhausted or a statement timed out; or the Celery broker (Redis) cannot
# take a task. Pages answer 503 for them.
TEMPORARILY_UNAVAILABLE = (OperationalError, InterfaceError, kombu.exceptions.OperationalError)

# The last resort when even the error template cannot render.
FALLBACK_PAGE = (
    "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error {status}</title>"
    "<h1>Error {status}</h1><p><a href=/>{site}</a></p></html>"
)


def error_page(request, status: int, headers: dict[str, str] | None = None) -> HttpResponse:
    """The styled page for an error `status` (templates/<status>.html), in the language of
    the URL (or the one negotiated for it). Never raises: it may be rendering the answer to
    a failure of the database, the cache, the host header or a template."""
    language = (
        translation.get_language_from_path(request.path_info)
        or translation.get_language()
        or settings.LANGUAGE_CODE
    )
    context = {
        "status": status,
        "html_lang": HTML_LANG.get(language, language),
        "site_name": settings.SITE_NAME,  # also without the request's context processors
    }
    with translation.override(language):
        try:
            body = render_to_string(f"{status}.html", context, request=request)
        except Exception:  # noqa: BLE001 - e.g. a disallowed Host breaks build_absolute_uri
            try:
                body = render_to_string(f"{status}.html", context)
            except Exception:
                logger.exception("the %s page could not render", status)
                body = FALLBACK_PAGE.format(status=status, site=escape(settings.SITE_NAME))
    response = HttpResponse(body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def service_unavailable(request) -> HttpResponse:
    return error_page(
        request,
        HTTPStatus.SERVICE_UNAVAILABLE,
        {"Retry-After": str(settings.RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
    )


def too_many_requests(request, retry_after: int) -> HttpResponse:
    return error_page(
        request,
        HTTPStatus.TOO_MANY_REQUESTS,
        {"Retry-After": str(retry_after), "Cache-Control": "no-store"},
    )


def bad_request(request, exception=None):
    return error_page(request, HTTPStatus.BAD_REQUEST)


def permission_denied(request, exception=None):
    return error_page(request, HTTPStatus.FORBIDDEN)


def csrf_failure(request, reason=""):
    return error_page(request, HTTPStatus.FORBIDDEN)


def page_not_found(request, exception=None):
    return error_page(request, HTTPStatus.NOT_FOUND)


def server_error(request):
    """handler500. Django calls it while handling the exception, so sys.exc_info() names it:
    a database that went away (raised outside a view, where the middleware cannot see it)
    is a 503; anything else is reported and answered 500."""
    exc = sys.exc_info()[1]
    if isinstance(exc, TEMPORARILY_UNAVAILABLE):
        logger.warning("service unavailable: %s", exc)
        return service_unavailable(request)
    if exc is not None:
        report_exception(exc, request=request)
    return error_page(request, HTTPStatus.INTERNAL_SERVER_ERROR)


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "down"
    return "ok"


def _cache_status(cache) -> str:
    """ "down" unless a write of a value of this very check reads back, and no write of this
    process failed lately: a Redis at its memory cap still answers reads and pings."""
    token = secrets.token_hex(8)
    try:
        cache.set("healthz", token, timeout=5)
        if cache.get("healthz") != token:
            return "down"
    except Exception:  # noqa: BLE001 - any failure of the cache backend means "down"
        return "down"
    writes_failing = getattr(cache, "writes_failing", None)
    return "down" if writes_failing is not None and writes_failing() else "ok"


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers; the body names the state of each part."""
    # `counters`: rate limits and the login throttle, which count nothing while it is down.
    checks = {
        "database": _database_status(),
        "cache": _cache_status(cache),
        "counters": _cache_status(counters),
    }
    status = HTTPStatus.OK if checks["database"] == "ok" else HTTPStatus.SERVICE_UNAVAILABLE
    response = JsonResponse(
        {"status": "ok" if status == HTTPStatus.OK else "down", **checks}, status=status
    )
    if status != HTTPStatus.OK:
        response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
    return response


@require_safe
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page links."""
    return HttpResponsePermanentRedirect(staticfiles_storage.url("favicon.svg"))


@cache_control(max_age=60 * 60, public=True)
def robots_txt(request):
    """Crawlers may read every list, posting, company page and feed, but not admin, the
    alert and "my data" links sent by email, or the endless filter combinations of the list
    (whose pages say noindex as well). Google and Bing read `*` as any run of characters; the two
    patterns per parameter match it first in the query string or after another one."""
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /*/alerts/"]
    lines.append("Disallow: /*/privacy/my-data/*/")  # the emailed links, not the form
    for name in JobFilter.base_filters:
        lines += [f"Disallow: /*?{name}=", f"Disallow: /*&{name}="]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap_index'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def sitemap_index(request, sitemaps):
    return sitemap_views.index(
        request, sitemaps=sitemaps_with_content(sitemaps), sitemap_url_name="sitemap_section"
    )
