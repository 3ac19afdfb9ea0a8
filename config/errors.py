"""One door for unexpected errors: the 500 handler and Celery's task_failure signal report
through `report_exception`. It logs (as JSON in production, with the request id), and when
`SENTRY_DSN` is set and sentry-sdk is installed it sends the error to Sentry too. Another
tracker is a change to this module alone."""

import logging
import os

logger = logging.getLogger("config.errors")

_sentry = None


def _sentry_client():
    """sentry_sdk, initialised once, when a DSN is configured and the package is installed."""
    global _sentry
    dsn = os.environ.get("SENTRY_DSN")
    if not dsn:
        return None
    if _sentry is None:
        try:
            import sentry_sdk  # optional: only deployments that report to Sentry install it
        except ImportError:
            logger.warning("SENTRY_DSN is set but sentry-sdk is not installed")
            _sentry = False
        else:
            sentry_sdk.init(dsn=dsn, send_default_pii=False)
            _sentry = sentry_sdk
    return _sentry or None


def report_exception(exc: BaseException, request=None, **context) -> None:
    """Record `exc` with what is known of where it happened. Never raises: it runs while
    something has already gone wrong."""
    try:
        extra = {"error_context": context}
        if request is not None:
            extra.update(
                request_id=getattr(request, "request_id", None),
                method=request.method,
                path=request.path,
            )
        logger.error(
            "%s: %s",
            type(exc).__name__,
            exc,
            exc_info=(type(exc), exc, exc.__traceback__),
            extra=extra,
        )
        sentry = _sentry_client()
        if sentry is not None:
            sentry.capture_exception(exc)
    except Exception:  # reporting must not turn one error into two
        logging.getLogger(__name__).exception("report_exception failed")
