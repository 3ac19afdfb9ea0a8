"""The site's URLs plus views that fail on purpose, for the error page tests."""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseGone
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("a bug")


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def connection_closed(request):
    raise InterfaceError("connection already closed")


def broker_down(request):
    import kombu.exceptions

    raise kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379.")


def gone(request):
    return HttpResponseGone()


def json_error(request):
    return HttpResponse(b'{"error": "kept"}', status=400, content_type="application/json")


urlpatterns = [
    path("boom/", boom),
    path("database-gone/", database_gone),
    path("connection-closed/", connection_closed),
    path("broker-down/", broker_down),
    path("gone/", gone),
    path("json-error/", json_error),
    *urlpatterns,
]
