from http import HTTPStatus

from django.contrib.sitemaps import views as sitemap_views
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from jobs.filters import JobFilter
from jobs.sitemaps import sitemaps_with_content


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "down"
    return "ok"


def _cache_status() -> str:
    try:
        cache.set("healthz", "ok", timeout=5)
        return "ok" if cache.get("healthz") == "ok" else "down"
    except Exception:  # noqa: BLE001 - any failure of the cache backend means "down"
        return "down"


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers; the body names the state of each part."""
    checks = {"database": _database_status(), "cache": _cache_status()}
    status = HTTPStatus.OK if checks["database"] == "ok" else HTTPStatus.SERVICE_UNAVAILABLE
    return JsonResponse(
        {"status": "ok" if status == HTTPStatus.OK else "down", **checks}, status=status
    )


@require_safe
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page links."""
    return HttpResponsePermanentRedirect(staticfiles_storage.url("favicon.svg"))


@cache_control(max_age=60 * 60, public=True)
def robots_txt(request):
    """Crawlers may read every list, posting, company page and feed, but not admin, the
    alert links sent by email, or the endless filter combinations of the list (whose pages
    say noindex as well). Google and Bing read `*` as any run of characters; the two
    patterns per parameter match it first in the query string or after another one."""
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /*/alerts/"]
    for name in JobFilter.base_filters:
        lines += [f"Disallow: /*?{name}=", f"Disallow: /*&{name}="]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap_index'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def sitemap_index(request, sitemaps):
    return sitemap_views.index(
        request, sitemaps=sitemaps_with_content(sitemaps), sitemap_url_name="sitemap_section"
    )
