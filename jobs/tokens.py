"""Signed tokens that stand for a job alert in the links we email: the address itself never
appears in a URL. A token names the alert and the first characters of its address's hash,
so it can only ever act on the subscription it was made for."""

from datetime import timedelta
from enum import StrEnum

from django.core import signing

from jobs.models import JobAlert

_HASH_PREFIX = 16


class Purpose(StrEnum):
    CONFIRM = "jobs.alert.confirm"
    UNSUBSCRIBE = "jobs.alert.unsubscribe"


class TokenInvalid(Exception):
    """Forged, mangled or made for something else."""


class TokenExpired(Exception):
    """Genuine, but too old, or its alert is gone."""


def alert_token(alert: JobAlert, purpose: Purpose) -> str:
    return signing.dumps([alert.pk, alert.email_hash[:_HASH_PREFIX]], salt=purpose)


def alert_from_token(
    token: str, purpose: Purpose, *, max_age: timedelta | None = None
) -> JobAlert:
    try:
        pk, hash_prefix = signing.loads(token, salt=purpose, max_age=max_age)
    except signing.SignatureExpired:
        raise TokenExpired from None
    except (signing.BadSignature, TypeError, ValueError):
        raise TokenInvalid from None
    alert = JobAlert.objects.filter(pk=pk, email_hash__startswith=hash_prefix).first()
    if alert is None:
        raise TokenExpired
    return alert
