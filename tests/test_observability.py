"""Production logs: JSON lines carrying the request id the response sends back, slow queries
with their duration, and every unexpected error through one reporting hook."""

import io
import json
import logging
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client

from config.observability import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The production console handler (JSON formatter, request id filter) on the root
    logger, writing to a buffer; yields a function returning the parsed lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_production_defaults_to_json_logs(settings):
    assert settings.LOG_FORMAT == "json"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"


def test_every_response_carries_a_request_id_and_its_log_lines_too(client, json_log):
    response = client.get("/en/no-such-page/")

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = [line for line in json_log() if line["logger"] == "django.request"]
    assert line["request_id"] == request_id
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /en/no-such-page/"
    assert line["time"].endswith("+00:00")


def test_a_proxy_s_request_id_is_kept_and_a_hostile_one_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "edge-7f3a.42"})
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id\r\nSet-Cookie: x=1"})

    assert kept["X-Request-ID"] == "edge-7f3a.42"
    assert replaced["X-Request-ID"] != "bad id" and len(replaced["X-Request-ID"]) == 32


def test_slow_queries_are_logged_with_their_duration(settings, json_log):
    settings.SLOW_QUERY_MS = 50
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.1)")
        cursor.execute("SELECT 1")

    [line] = [line for line in json_log() if line["logger"] == "config.slow_query"]
    assert line["sql"] == "SELECT pg_sleep(0.1)"
    assert 100 <= line["duration_ms"] < 5000
    assert line["level"] == "WARNING"


def test_slow_query_logging_can_be_switched_off(settings, json_log):
    settings.SLOW_QUERY_MS = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.05)")

    assert not [line for line in json_log() if line["logger"] == "config.slow_query"]


def test_a_500_is_reported_once_through_the_hook_with_the_request_id(settings, json_log):
    settings.ROOT_URLCONF = "tests.error_urls"

    response = Client(raise_request_exception=False).get("/boom/")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    [report] = [line for line in json_log() if line["logger"] == "config.errors"]
    assert report["request_id"] == response["X-Request-ID"]
    assert report["path"] == "/boom/"
    assert "RuntimeError: a bug" in report["exception"]


def test_a_failed_celery_task_is_reported_through_the_same_hook(monkeypatch):
    from celery.signals import task_failure

    reported = []
    monkeypatch.setattr("config.errors.logger.error", lambda *a, **k: reported.append((a, k)))
    error = ValueError("feed exploded")

    task_failure.send(
        sender=type("Task", (), {"name": "jobs.tasks.import_run"})(), task_id="t1", exception=error
    )

    [(args, kwargs)] = reported
    assert args[1:] == ("ValueError", error)
    assert kwargs["extra"]["error_context"] == {"task": "jobs.tasks.import_run", "task_id": "t1"}


def test_sentry_is_used_only_when_configured(monkeypatch):
    import sys
    import types

    from config import errors

    captured = []
    fake = types.SimpleNamespace(init=lambda **kwargs: None, capture_exception=captured.append)
    monkeypatch.setitem(sys.modules, "sentry_sdk", fake)
    monkeypatch.setattr(errors, "_sentry", None)
    error = RuntimeError("x")

    monkeypatch.delenv("SENTRY_DSN", raising=False)
    errors.report_exception(error)
    monkeypatch.setenv("SENTRY_DSN", "https://key@sentry.example/1")
    errors.report_exception(error)

    assert captured == [error]


def test_a_production_process_writes_json_lines():
    from tests.test_settings import PRODUCTION, manage

    result = manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('jobs').warning('hello %s', 'world', extra={'n': 1})",
        **PRODUCTION,
    )

    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "hello world"
    assert line["logger"] == "jobs"
    assert line["n"] == 1
    assert line["request_id"] is None
