from http import HTTPStatus

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


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
