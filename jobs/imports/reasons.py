"""What staff read about a run: every code a parser, the normaliser or the service records,
with its message. Runs store codes and parameters, so each reader sees their own language."""

import contextlib
from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from jobs.compliance.pay import flag_text

REASONS = {
    # The document as a whole.
    "missing_file": _("No such file: %(path)s."),
    "unreadable_file": _("Cannot read %(path)s: %(error)s."),
    "unknown_format": _("Unknown format “%(format)s”."),
    "unrecognised_format": _("The feed's format could not be recognised; choose one."),
    "ambiguous_format": _("The feed could be any of %(formats)s; choose its format."),
    "single_object": _("The document is a single object of no known job format; choose one."),
    "no_postings": _("Not one posting was found in the feed, read as %(format)s."),
    "malformed_json": _("The JSON is malformed: %(error)s."),
    "malformed_xml": _("The XML is malformed: %(error)s."),
    "forbidden_xml": _("The XML declares entities or external references (%(error)s)."),
    "wrong_encoding": _("The feed is not valid UTF-8 text."),
    "refused_scheme": _("Only http and https URLs may be fetched: %(url)s."),
    "private_address": _("%(host)s resolves to a private or local address."),
    "unresolvable_host": _("%(host)s cannot be resolved."),
    "too_many_redirects": _("Too many redirects, last to %(url)s."),
    "too_many_requests": _(
        "The feed names more pages and postings than the %(limit)s requests a run may make."
    ),
    "foreign_link": _("The feed names a page on another site, which was not fetched: %(url)s."),
    "too_large": _("The feed is larger than %(limit)s bytes."),
    "timeout": _("Timed out fetching %(url)s."),
    "network_error": _("Network error fetching %(url)s (%(error)s)."),
    "http_status": _("The server answered with HTTP status %(status)s."),
    "locked": _("Another run of this source is in progress."),
    "time_limit": _("The run took longer than its time limit."),
    "internal_error": _("An unexpected error stopped the run; the logs have the details."),
    # One item.
    "unreadable_item": _("The item could not be read (%(error)s)."),
    "malformed_json_ld": _("A JSON-LD block is malformed."),
    "missing_title": _("The posting has no title."),
    "missing_identity": _("The posting has neither an id nor a URL."),
    "missing_description": _("The posting has no description."),
    "missing_company": _("No company: the feed names none and the source has no default."),
    "unsupported_language": _(
        "The posting is in a language the site does not offer: %(language)s."
    ),
    "unknown_language": _("The posting's language could not be told."),
    "duplicate_in_feed": _("The feed lists this posting more than once."),
    "invalid_posting": _("The posting was refused: %(error)s"),
    # Cleaned or flagged, and imported.
    "truncated": _("%(field)s was cut from %(length)s to %(limit)s characters."),
    "dropped_long_url": _("%(field)s was dropped: %(length)s characters, over %(limit)s."),
    "dropped_bad_url": _("%(field)s was dropped: “%(value)s” is not an http(s) URL."),
    "invalid_email": _("The application email “%(value)s” was dropped."),
    "unknown_country": _("Unknown country “%(value)s” ignored."),
    "salary_unparsed": _("Salary “%(value)s” not understood; left out."),
    "salary_out_of_range": _("Salary %(value)s is out of range; left out."),
    "language_mismatch": _(
        "The feed says %(declared)s but the text reads as %(detected)s; needs review."
    ),
    "language_uncertain": _(
        "The text's language is unsure (%(detected)s, confidence %(confidence)s); filed under "
        "%(language)s; needs review."
    ),
    "pay_rule": _("Pay transparency: a rule this posting does not meet."),
    "merged": _("Same job as posting #%(posting)s; listed once, with both sources."),
    "language_changed": _(
        "The text is now in %(detected)s (it was in %(language)s): the same posting moved "
        "there, keeping its address and history."
    ),
    # Held for moderation, never published by the import.
    "no_apply": _("The posting gives no way to apply (no application URL or email)."),
    "stale_posting": _("The source says it was posted on %(date)s and not updated since."),
    "expired_posting": _("The source says applications closed on %(date)s."),
    "language_flip": _(
        "The text now reads as %(detected)s (it was in %(language)s), yet it barely changed "
        "or its language is unsure: kept in %(language)s until a moderator decides."
    ),
}


def reason_text(code: str, params: dict[str, Any] | None = None) -> str:
    """The message for a code in the active language; unknown codes show as they are."""
    if code == "pay_rule" and params:
        return flag_text(params)
    message = REASONS.get(code)
    if message is None:
        return code
    try:
        return str(message) % _localised(params or {})
    except (KeyError, TypeError, ValueError):
        return str(message)


def _localised(params: dict[str, Any]) -> dict[str, Any]:
    """Dates are stored as ISO text (2026-03-01); the reader sees them in their locale's
    format (1. März 2026, 1 de marzo de 2026)."""
    shown = dict(params)
    for key, value in params.items():
        if key == "date" and isinstance(value, str):
            with contextlib.suppress(ValueError):
                shown[key] = formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
    return shown
