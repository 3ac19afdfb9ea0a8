"""Job alerts: subscribe with double opt-in, confirm, unsubscribe, and the digests with
their emails."""

import email.policy
import logging
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.cache import counters
from jobs.consent import alert_consent
from jobs.facets import facets
from jobs.filters import JobFilter, describe_search
from jobs.models import AlertFrequency, JobAlert, JobPosting
from jobs.outbox import OutboxMessage, outbox_add
from jobs.querysets import LIST_ORDER
from jobs.selectors import job_list
from jobs.tokens import Purpose, TokenExpired, alert_from_token, alert_token
from locales.formatting import format_count
from locales.languages import HTML_LANG, Language

logger = logging.getLogger(__name__)

DIGEST_PERIODS = {
    AlertFrequency.DAILY: timedelta(days=1),
    AlertFrequency.WEEKLY: timedelta(days=7),
}
# Beat's runs drift by minutes; an alert sent yesterday at 06:15:03 is due today at 06:15:00.
DIGEST_SLACK = timedelta(hours=1)


def alert_confirm_max_age() -> timedelta:
    return timedelta(days=settings.JOBS_ALERT_CONFIRM_DAYS)


def email_hash(email: str) -> str:
    """What finds an address's alerts without searching by the address itself."""
    return salted_hmac("jobs.alert.email", email.strip().lower(), algorithm="sha256").hexdigest()


def alert_subscribe(
    *, email: str, language: str, parameters: dict[str, str], frequency: str
) -> JobAlert:
    """Ask for an alert on a search; a confirmation email follows, unless the address is
    already subscribed to this very search or has been sent one in the last day (the caller
    says the same in every case). The email quotes nothing of the search: an address that
    has not confirmed receives no text that the person who typed it in chose."""
    email = email.strip()
    validate_email(email)
    if language not in Language.values or frequency not in AlertFrequency.values:
        raise ValidationError(_("Unknown language or frequency."))
    digest = email_hash(email)
    with transaction.atomic():
        alert = (
            JobAlert.objects.select_for_update()
            .filter(email_hash=digest, language=language, parameters=parameters)
            .first()
        )
        if alert is not None and alert.confirmed_at is not None:
            return alert
        alert = alert or JobAlert(email_hash=digest, language=language, parameters=parameters)
        alert.email = email
        alert.frequency = frequency
        alert.created_at = timezone.now()
        for name, value in alert_consent(language).items():
            setattr(alert, name, value)
        try:
            with transaction.atomic():
                alert.save()
        except IntegrityError:  # the same request twice at once: the other one won
            return JobAlert.objects.get(
                email_hash=digest, language=language, parameters=parameters
            )
        if _first_confirmation_today(digest):
            # In the alert's own transaction: sent once it commits, whatever happens after.
            outbox_add(OutboxMessage.ALERT_CONFIRMATION, alert.pk)
    return alert


# One confirmation email per address per day, whatever is asked: the form cannot be used to
# flood somebody's inbox (the per-client limit counts the sender, not the recipient).
CONFIRMATION_INTERVAL_SECONDS = 24 * 60 * 60


def _first_confirmation_today(digest: str) -> bool:
    """Claim today's one confirmation email for this address (an atomic add in the cache)."""
    return counters.add(f"alerts:confirmation-sent:{digest}", 1, CONFIRMATION_INTERVAL_SECONDS)


def alert_confirmation_send(*, alert_id: int) -> bool:
    """Email the link that confirms the alert; False when there is nothing to confirm."""
    alert = JobAlert.objects.filter(pk=alert_id, confirmed_at__isnull=True).first()
    if alert is None:
        return False
    with translation.override(alert.language):
        context = _alert_context(alert)
        context["confirm_url"] = _site_url(
            reverse("jobs:alert_confirm", kwargs={"token": alert_token(alert, Purpose.CONFIRM)})
        )
        context["confirm_days"] = settings.JOBS_ALERT_CONFIRM_DAYS
        _send(alert, _("Confirm your job alert"), "alert_confirm", context)
    return True


def alert_confirm(*, token: str) -> JobAlert:
    """Confirm the alert a confirmation link names; confirming twice is harmless.

    Raises TokenInvalid for a forged link and TokenExpired for an old one.
    """
    alert = alert_from_token(token, Purpose.CONFIRM, max_age=alert_confirm_max_age())
    if alert.confirmed_at is None:
        now = timezone.now()
        # Only what is published from now on: the candidate has just seen the rest.
        JobAlert.objects.filter(pk=alert.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, sent_through=now
        )
        alert.refresh_from_db()
    return alert


def alert_unsubscribe(*, token: str) -> bool:
    """Delete the alert an unsubscribe link names. False when it was already gone.

    Raises TokenInvalid for a forged link.
    """
    try:
        alert = alert_from_token(token, Purpose.UNSUBSCRIBE)
    except TokenExpired:
        return False
    deleted, _rows = JobAlert.objects.filter(pk=alert.pk).delete()
    return bool(deleted)


def alerts_purge_unconfirmed(*, now: datetime | None = None) -> int:
    """Forget the alerts nobody confirmed while their link worked; return how many."""
    cutoff = (now or timezone.now()) - alert_confirm_max_age()
    deleted, _rows = JobAlert.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted


def alerts_send_digests(*, frequency: str, now: datetime | None = None) -> int:
    """Send each due alert of this frequency its new matching postings; return how many
    emails went out. An alert whose email fails is left as it was for the next run."""
    now = now or timezone.now()
    due = now - DIGEST_PERIODS[frequency] + DIGEST_SLACK
    alert_ids = list(
        JobAlert.objects.filter(frequency=frequency, confirmed_at__isnull=False)
        .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=due))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for alert_id in alert_ids:
        try:
            sent += alert_digest_send(alert_id=alert_id, due=due, now=now)
        except Exception:
            logger.exception("Job alert %s: digest not sent", alert_id)
    return sent


def _new_postings(alert: JobAlert) -> QuerySet[JobPosting]:
    """Open postings of the alert's language and search, published since its last digest,
    newest first. A stored value that no longer validates (a company gone, a country with
    nothing open) matches nothing rather than widening the search to everything."""
    postings = job_list(language=alert.language).filter(published_at__gt=alert.sent_through)
    filterset = JobFilter(
        alert.parameters,
        queryset=postings,
        language=alert.language,
        facets=facets(language=alert.language),
    )
    if filterset.errors:
        return postings.none()
    return filterset.qs.order_by(*LIST_ORDER)


def alert_digest_send(*, alert_id: int, due: datetime, now: datetime) -> bool:
    """Email one alert its new postings, once: the row stays locked until the email is sent
    and the alert moved past what it carried, so a concurrent run skips it."""
    with transaction.atomic():
        alert = (
            JobAlert.objects.select_for_update(skip_locked=True)
            .filter(pk=alert_id, confirmed_at__isnull=False)
            .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=due))
            .first()
        )
        if alert is None:
            return False
        postings = _new_postings(alert)
        newest = postings.aggregate(newest=Max("published_at"))["newest"]
        if newest is None:
            return False
        with translation.override(alert.language):
            listed = list(postings[: settings.JOBS_ALERT_DIGEST_SIZE])
            total = (
                postings.count() if len(listed) == settings.JOBS_ALERT_DIGEST_SIZE else len(listed)
            )
            context = _alert_context(alert)
            context.update(
                postings=listed,
                total=total,
                more=total - len(listed),
                search_url=_site_url(_search_path(alert)),
            )
            subject = ngettext(
                "%(count)s new job for your search", "%(count)s new jobs for your search", total
            ) % {"count": format_count(total)}
            _send(alert, subject, "alert_digest", context)
        alert.last_sent_at = now
        alert.sent_through = newest
        alert.save(update_fields=["last_sent_at", "sent_through"])
    return True


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _search_path(alert: JobAlert) -> str:
    path = reverse("jobs:job_list")
    return f"{path}?{urlencode(alert.parameters)}" if alert.parameters else path


def _alert_context(alert: JobAlert) -> dict[str, Any]:
    """What every alert email shows; call with the alert's language active."""
    return {
        "alert": alert,
        "html_lang": HTML_LANG[alert.language],
        "search": describe_search(alert.parameters, alert.language),
        "site_url": settings.SITE_URL,
        "privacy_url": _site_url(reverse("jobs:privacy")),
        "my_data_url": _site_url(reverse("jobs:my_data_request")),
        "unsubscribe_url": _site_url(
            reverse(
                "jobs:alert_unsubscribe",
                kwargs={"token": alert_token(alert, Purpose.UNSUBSCRIBE)},
            )
        ),
    }


class AlertEmail(EmailMultiAlternatives):
    """Python folds a long header without spaces into RFC 2047 encoded words, which mail
    clients do not decode in List-Unsubscribe; RFC 5322 allows lines of 998 characters."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def _send(alert: JobAlert, subject: str, template: str, context: dict[str, Any]) -> None:
    unsubscribe = context["unsubscribe_url"]
    message = AlertEmail(
        subject=subject,
        body=render_to_string(f"jobs/email/{template}.txt", context),
        to=[alert.email],
        headers={
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string(f"jobs/email/{template}.html", context), "text/html"
    )
    message.send()
