"""Privacy: the notice in every language, consent recorded with each alert, the "my data"
export and erasure by signed link, the links in alert emails, and reports' personal data
erased after their retention period."""

import json
import logging
import re
from datetime import timedelta
from email import message_from_bytes
from http import HTTPStatus

import pytest
from django.apps import apps
from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models.functions import Cast
from django.test import Client
from django.utils import timezone

from jobs.consent import PRIVACY_NOTICE_VERSION
from jobs.models import JobAlert, Report, ReportResolution
from jobs.services.alerts import alert_confirm, alert_subscribe, alerts_send_digests
from jobs.services.privacy import reports_purge_personal_data
from jobs.tokens import Purpose, alert_token
from tests.factories import PublishedPostingFactory, ReportFactory

pytestmark = pytest.mark.django_db

EMAIL = "Ana.Candidate@example.org"
LANGUAGES = ["en", "fr", "de", "es", "pt-br"]
PRIVACY = {
    "en": "Privacy notice",
    "fr": "Politique de confidentialité",
    "de": "Datenschutzerklärung",
    "es": "Aviso de privacidad",
    "pt-br": "Aviso de privacidade",
}
CONSENT_FR = (
    "En vous abonnant, vous acceptez que nous conservions votre adresse e-mail, cette "
    "recherche et votre langue pour vous envoyer ces e-mails jusqu’à votre désabonnement."
)


def links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s<>\"]+", text)


def confirmed(email=EMAIL, language="en", parameters=None):
    alert = alert_subscribe(
        email=email, language=language, parameters=parameters or {}, frequency="daily"
    )
    return alert_confirm(token=alert_token(alert, Purpose.CONFIRM))


def ask_for_link(client, mailoutbox, email=EMAIL, language="en") -> str:
    response = client.post(f"/{language}/privacy/my-data/", {"email": email})
    assert response.status_code == HTTPStatus.OK
    [link] = [url for url in links(mailoutbox[-1].body) if "/privacy/my-data/" in url]
    return link.removeprefix(settings.SITE_URL)


def rows_mentioning(text: str) -> dict[str, int]:
    """Every row of every table whose text or JSON columns contain `text`."""
    found = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        texts = {
            f"_{field.attname}_text": Cast(field.attname, models.TextField()) for field in fields
        }
        condition = models.Q()
        for name in texts:
            condition |= models.Q(**{f"{name}__icontains": text})
        if count := model._default_manager.annotate(**texts).filter(condition).count():
            found[model._meta.label] = count
    return found


# --- The notice -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_notice_exists_in_every_language_and_every_footer_links_it(client, language):
    response = client.get(f"/{language}/privacy/")

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f"<h1>{PRIVACY[language]}</h1>" in html
    assert f'href="/{language}/privacy/my-data/"' in html
    posting = PublishedPostingFactory(language=language)
    for path in [f"/{language}/", posting.get_absolute_url(), f"/{language}/nowhere/"]:
        footer = client.get(path).content.decode().split('<footer class="site-footer">')[1]
        assert f'href="/{language}/privacy/"' in footer, path
        assert f'href="/{language}/privacy/my-data/"' in footer, path


def test_the_notice_says_what_is_kept_and_for_how_long(client, settings):
    settings.JOBS_REPORT_RETENTION_DAYS = 90
    settings.JOBS_ALERT_CONFIRM_DAYS = 3
    settings.JOBS_PRIVACY_CONTACT = "privacy@jobs.example.com"

    html = re.sub(r"\s+", " ", client.get("/en/privacy/").content.decode())

    assert "your email address;" in html
    assert "keyed hash of your connection" in html
    assert "erased 90 days after a moderator" in html
    assert "deleted after 3 days" in html
    assert 'href="mailto:privacy@jobs.example.com"' in html
    assert "Version of" in html


# --- Consent --------------------------------------------------------------------------------


def test_an_alert_records_the_consent_its_subscriber_saw_in_their_language(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    form = client.get("/fr/").content.decode()
    assert CONSENT_FR in form
    assert 'href="/fr/privacy/#alerts"' in form

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/fr/alerts/", {"email": EMAIL, "frequency": "daily"})

    alert = JobAlert.objects.get()
    assert alert.consent_text == CONSENT_FR
    assert alert.consent_version == PRIVACY_NOTICE_VERSION
    assert alert.language == "fr"
    assert alert.created_at is not None
    assert alert.confirmed_at is None  # no proof yet: the double opt-in is pending
    alert = alert_confirm(token=alert_token(alert, Purpose.CONFIRM))
    assert alert.confirmed_at >= alert.created_at


# --- Alert emails -----------------------------------------------------------------------------


def test_alert_emails_link_the_notice_and_my_data_and_keep_one_click_unsubscribe(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert = alert_subscribe(email=EMAIL, language="de", parameters={}, frequency="daily")
    alert = alert_confirm(token=alert_token(alert, Purpose.CONFIRM))
    [confirmation] = mailoutbox
    PublishedPostingFactory(language="de", published_at=timezone.now())
    JobAlert.objects.filter(pk=alert.pk).update(sent_through=timezone.now() - timedelta(hours=1))
    assert alerts_send_digests(frequency="daily") == 1
    digest = mailoutbox[-1]

    for message in (confirmation, digest):
        assert f"{settings.SITE_URL}/de/privacy/" in links(message.body)
        assert f"{settings.SITE_URL}/de/privacy/my-data/" in links(message.body)
        html = message.alternatives[0][0]
        assert f'href="{settings.SITE_URL}/de/privacy/my-data/"' in html
        parsed = message_from_bytes(message.message().as_bytes())
        assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = parsed["List-Unsubscribe"].strip("<>")

    # RFC 8058: the mail client's POST carries no cookie and no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        unsubscribe.removeprefix(settings.SITE_URL),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == HTTPStatus.OK
    assert not JobAlert.objects.exists()


# --- My data --------------------------------------------------------------------------------


def test_an_address_gets_a_link_to_see_export_and_erase_its_data(client, mailoutbox):
    confirmed(EMAIL, "en", {"q": "python"})
    confirmed(EMAIL.lower(), "fr", {"q": "données"})
    other = confirmed("someone.else@example.org", "en", {"q": "python"})
    mailoutbox.clear()

    link = ask_for_link(client, mailoutbox, email=EMAIL.upper(), language="es")

    [message] = mailoutbox
    assert message.to == [EMAIL.upper()]
    assert message.subject == "Tus datos en la bolsa de empleo"
    assert link.startswith("/es/privacy/my-data/")
    assert EMAIL.lower() not in link.lower()

    page = client.get(link)
    assert page.status_code == HTTPStatus.OK
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "“python”" in html and "“données”" in html
    assert "someone.else" not in html

    export = client.get(f"{link}export/")
    assert export.status_code == HTTPStatus.OK
    assert export["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(export.content)
    assert [alert["search"] for alert in data["job_alerts"]] == [
        {"q": "python"},
        {"q": "données"},
    ]
    consent = data["job_alerts"][1]["consent"]
    assert consent["language"] == "fr"
    assert consent["privacy_notice_version"] == PRIVACY_NOTICE_VERSION
    assert consent["text"] == CONSENT_FR
    assert consent["confirmed_at"] is not None

    erased = client.post(link)

    assert erased.status_code == HTTPStatus.OK
    assert "2" in erased.content.decode()
    # Nothing in the database mentions the address any more; the other subscriber stays.
    assert rows_mentioning(EMAIL) == {}
    assert rows_mentioning("someone.else@example.org") == {"jobs.JobAlert": 1}
    assert JobAlert.objects.get().pk == other.pk
    assert "No guardamos nada" in client.get(link).content.decode()


def test_asking_for_an_unknown_address_looks_the_same(client, mailoutbox, caplog):
    confirmed()
    with caplog.at_level(logging.DEBUG):
        known = client.post("/en/privacy/my-data/", {"email": EMAIL})
        unknown = client.post("/en/privacy/my-data/", {"email": "nobody@example.org"})

    assert known.content == unknown.content
    # The task that emails the link carries the address sealed: it never reaches the logs.
    assert "send_my_data_link" in caplog.text
    assert EMAIL not in caplog.text and "nobody@example.org" not in caplog.text
    link = next(url for url in links(mailoutbox[-1].body) if "/privacy/my-data/" in url)
    page = client.get(link.removeprefix(settings.SITE_URL)).content.decode()
    assert "We store nothing about this email address." in page
    assert "Erase my data" not in page


def test_a_bad_address_re_renders_the_form(client, mailoutbox):
    response = client.post("/fr/privacy/my-data/", {"email": "not an address"})

    assert response.status_code == HTTPStatus.OK
    assert 'aria-invalid="true"' in response.content.decode()
    assert mailoutbox == []


def test_asking_is_rate_limited_per_client(client, settings, mailoutbox):
    settings.JOBS_ALERT_RATE_LIMIT = 2
    for _ in range(2):
        client.post("/en/privacy/my-data/", {"email": EMAIL})

    response = client.post("/en/privacy/my-data/", {"email": EMAIL})

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert len(mailoutbox) == 2


def test_expired_and_forged_links_say_so_and_erase_nothing(client, mailoutbox, settings):
    confirmed()
    link = ask_for_link(client, mailoutbox)
    forged = signing.dumps("0" * 64, salt="something.else")

    assert client.post(f"/en/privacy/my-data/{forged}/").status_code == HTTPStatus.BAD_REQUEST
    assert client.get(f"/en/privacy/my-data/{forged}/export/").status_code == 400
    settings.JOBS_MY_DATA_LINK_HOURS = 0
    expired = client.post(link)
    assert expired.status_code == HTTPStatus.GONE
    assert 'href="/en/privacy/my-data/"' in expired.content.decode()
    assert JobAlert.objects.count() == 1


def test_robots_keep_crawlers_off_the_my_data_links_but_not_the_form(client, mailoutbox):
    rules = client.get("/robots.txt").content.decode()
    assert "Disallow: /*/privacy/my-data/*/" in rules
    assert "noindex" not in client.get("/en/privacy/my-data/").content.decode()
    link = ask_for_link(client, mailoutbox)
    assert '<meta name="robots" content="noindex">' in client.get(link).content.decode()


# --- Reports' retention -----------------------------------------------------------------------


def test_reports_lose_their_personal_data_after_the_decision_and_retention(settings):
    settings.JOBS_REPORT_RETENTION_DAYS = 30
    now = timezone.now()
    old = ReportFactory(
        resolved_at=now - timedelta(days=31), resolution=ReportResolution.DISMISSED
    )
    recent = ReportFactory(
        resolved_at=now - timedelta(days=29), resolution=ReportResolution.TAKEN_DOWN
    )
    undecided = ReportFactory()
    Report.objects.filter(pk=undecided.pk).update(created_at=now - timedelta(days=400))

    assert reports_purge_personal_data() == 1
    assert reports_purge_personal_data() == 0

    old.refresh_from_db()
    assert (old.message, old.client_hash) == ("", "")
    assert (old.reason, old.resolution) == ("scam", "dismissed")  # the counts keep them
    for kept in (recent, undecided):
        kept.refresh_from_db()
        assert kept.message and kept.client_hash


def test_beat_erases_reports_personal_data_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["report-personal-data-purge"]
    assert entry["task"] == "jobs.tasks.purge_report_personal_data"
