"""What production logs carry: one JSON object per line, the request id on every line logged
while a request is served, and a warning for each slow SQL query.

- `RequestIdMiddleware` takes the id from the `X-Request-ID` header a proxy sent (when it
  looks like one) or makes one, and sends it back in the same header.
- `RequestIdFilter` (on the console handler) copies it onto every log record.
- `JsonFormatter` writes records as JSON: time, level, logger, message, request_id, the
  `extra` fields a caller passed, and the traceback if any.
- `slow_query_logger` is a database execute wrapper (installed on every connection by
  `config.apps`) that logs queries slower than `DJANGO_SLOW_QUERY_MS`.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
slow_queries = logging.getLogger("config.slow_query")

# Attributes every LogRecord has; anything else was passed as `extra`.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Cleared when the response is closed (request_finished), not here: Django logs a
        # 4xx or 5xx after the middleware has returned, and that line needs the id too.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


def clear_request_id(**kwargs):
    request_id_var.set(None)


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def slow_query_logger(execute, sql, params, many, context):
    threshold = settings.SLOW_QUERY_MS
    if not threshold:
        return execute(sql, params, many, context)
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        elapsed = (time.perf_counter() - started) * 1000
        if elapsed >= threshold:
            slow_queries.warning(
                "slow query: %.0f ms",
                elapsed,
                extra={
                    "duration_ms": round(elapsed, 1),
                    "sql": str(sql)[:2000],
                    "database": context["connection"].alias,
                },
            )


def install_slow_query_logger(sender, connection, **kwargs):
    """connection_created: once per connection object (it survives reconnects)."""
    if slow_query_logger not in connection.execute_wrappers:
        connection.execute_wrappers.append(slow_query_logger)
