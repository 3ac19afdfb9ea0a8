"""What the privacy notice promises: consent recorded with each alert, an address's data
exported and erased through a signed link (no account), and reports' personal data erased
once they have served their purpose."""

import base64
import hashlib
from datetime import datetime, timedelta
from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs.consent import PRIVACY_NOTICE_VERSION
from jobs.filters import describe_search
from jobs.models import JobAlert, Report
from jobs.services.alerts import email_hash
from locales.languages import HTML_LANG

_MY_DATA_SALT = "jobs.privacy.my-data"


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


# --- My data: a signed link, then export or erase ---------------------------------------------


def my_data_token(email: str) -> str:
    """Names an address by its hash only: the address never appears in a URL."""
    return signing.dumps(email_hash(email), salt=_MY_DATA_SALT)


def my_data_hash(token: str) -> str:
    """The address hash a link names. Raises LinkExpired or LinkInvalid."""
    try:
        digest = signing.loads(
            token, salt=_MY_DATA_SALT, max_age=timedelta(hours=settings.JOBS_MY_DATA_LINK_HOURS)
        )
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    if not isinstance(digest, str):
        raise LinkInvalid
    return digest


def _fernet() -> Fernet:
    key = hashlib.sha256(f"jobs.privacy.sealed:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def address_seal(email: str) -> str:
    """The address encrypted for its trip through the broker to a worker: task arguments
    end up in Celery's logs and events, and an address must not."""
    return _fernet().encrypt(email.encode()).decode()


def my_data_link_send(*, sealed_email: str, language: str) -> None:
    """Email the address a link to its data, whether or not anything is stored: the page
    that asked says the same to everyone, so it tells nobody whose address we know."""
    email = _fernet().decrypt(sealed_email.encode(), ttl=24 * 60 * 60).decode().strip()
    validate_email(email)
    with translation.override(language):
        path = reverse("jobs:my_data", kwargs={"token": my_data_token(email)})
        context = {
            "html_lang": HTML_LANG[language],
            "my_data_url": f"{settings.SITE_URL}{path}",
            "hours": settings.JOBS_MY_DATA_LINK_HOURS,
            "privacy_url": f"{settings.SITE_URL}{reverse('jobs:privacy')}",
        }
        message = EmailMultiAlternatives(
            subject=_("Your data on the job board"),
            body=render_to_string("jobs/email/my_data.txt", context),
            to=[email],
        )
        html = render_to_string("jobs/email/my_data.html", context)
        message.attach_alternative(html, "text/html")
        message.send()


def my_data_export(*, digest: str) -> dict[str, Any]:
    """Everything stored about the address with this hash, as JSON-ready data."""
    alerts = JobAlert.objects.filter(email_hash=digest).order_by("pk")
    return {
        "exported_at": timezone.now().isoformat(),
        "privacy_notice_version": PRIVACY_NOTICE_VERSION,
        "job_alerts": [_alert_data(alert) for alert in alerts],
        "notices": [_notice_data(report) for report in _notices(digest)],
        "notes": [
            "Notices about postings are found by the email address they gave; the connection "
            "they came from is kept only as a keyed hash.",
        ],
    }


def _notices(digest: str):
    return Report.objects.filter(notifier_email_hash=digest).select_related("posting")


def _notice_data(report: Report) -> dict[str, Any]:
    return {
        "posting": report.posting.title,
        "url": report.url,
        "reason": report.reason,
        "explanation": report.message,
        "name": report.notifier_name,
        "email": report.notifier_email,
        "good_faith": report.good_faith,
        "sent_at": report.created_at.isoformat(),
        "decided_at": report.resolved_at.isoformat() if report.resolved_at else None,
        "decision": report.resolution,
    }


def _alert_data(alert: JobAlert) -> dict[str, Any]:
    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "email": alert.email,
        "language": alert.language,
        "search": alert.parameters,
        "search_description": describe_search(alert.parameters, alert.language),
        "frequency": alert.frequency,
        "consent": {
            "text": alert.consent_text,
            "language": alert.language,
            "privacy_notice_version": alert.consent_version,
            "given_at": when(alert.created_at),
            "confirmed_at": when(alert.confirmed_at),
        },
        "last_sent_at": when(alert.last_sent_at),
        "sent_through": when(alert.sent_through),
    }


def my_data_erase(*, digest: str) -> int:
    """Delete everything stored about the address; return how many records went."""
    deleted, _rows = JobAlert.objects.filter(email_hash=digest).delete()
    # A notice stays (its reason and outcome count in the transparency report); who sent it
    # and their words go.
    deleted += _notices(digest).update(**NOTIFIER_ERASED)
    return deleted


# --- Reports ----------------------------------------------------------------------------------


def reports_purge_personal_data(*, now: datetime | None = None) -> int:
    """Erase the message, client hash and notifier of reports decided more than
    JOBS_REPORT_RETENTION_DAYS ago; their reason and outcome stay, for the counts. Returns
    how many reports were cleared."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.JOBS_REPORT_RETENTION_DAYS)
    return (
        Report.objects.filter(resolved_at__lt=cutoff)
        .exclude(message="", client_hash="", notifier_email="", notifier_name="")
        .update(client_hash="", **NOTIFIER_ERASED)
    )


NOTIFIER_ERASED = {
    "message": "",
    "url": "",
    "notifier_name": "",
    "notifier_email": "",
    "notifier_email_hash": "",
}
