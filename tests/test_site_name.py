"""One name for the site in every language: page titles, the header, feeds and the sender
of every email (DJANGO_SITE_NAME)."""

import pytest
from django.core import mail

from jobs.services import alerts
from tests.factories import PublishedPostingFactory
from tests.test_settings import manage

LANGUAGES = ["en", "fr", "de", "es", "pt-br"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_names_the_site_alike(client, language):
    html = client.get(f"/{language}/").content.decode()

    assert '<a class="brand" href="/' in html
    assert f'<a class="brand" href="/{language}/">Polyjob</a>' in html
    assert " · Polyjob</title>" in html


@pytest.mark.django_db
def test_the_name_is_a_setting(client, settings):
    settings.SITE_NAME = "Empleo & Co"
    html = client.get("/es/").content.decode()
    assert '<a class="brand" href="/es/">Empleo &amp; Co</a>' in html
    assert client.get("/es/no-such-page/").content.decode().count("Empleo &amp; Co") >= 2


@pytest.mark.django_db
def test_feeds_and_posting_cards_carry_the_name(client):
    posting = PublishedPostingFactory(language="fr")
    assert (
        "<title>Offres d’emploi · Polyjob</title>" in client.get("/fr/feed/rss/").content.decode()
    )
    html = client.get(posting.get_absolute_url()).content.decode()
    assert '<meta property="og:site_name" content="Polyjob">' in html


def test_emails_come_from_the_site_by_name():
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEFAULT_FROM_EMAIL)",
        DJANGO_DEBUG="1",
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == '"Polyjob" <jobs@localhost>'

    named = manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEFAULT_FROM_EMAIL)",
        DJANGO_DEBUG="1", DJANGO_SITE_NAME="Bolsa \"Uno\"",
        DJANGO_DEFAULT_FROM_EMAIL="alerts@jobs.example",
    )  # fmt: skip
    assert named.stdout.strip().splitlines()[-1] == '"Bolsa \\"Uno\\"" <alerts@jobs.example>'

    kept = manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEFAULT_FROM_EMAIL)",
        DJANGO_DEBUG="1", DJANGO_DEFAULT_FROM_EMAIL="Jobs team <team@jobs.example>",
    )  # fmt: skip
    assert kept.stdout.strip().splitlines()[-1] == "Jobs team <team@jobs.example>"


@pytest.mark.django_db
def test_an_alert_email_shows_the_site_s_name_as_its_sender(settings):
    settings.DEFAULT_FROM_EMAIL = '"Polyjob" <jobs@localhost>'
    alert = alerts.alert_subscribe(
        email="ana@example.com", language="pt-br", parameters={}, frequency="daily"
    )
    assert alerts.alert_confirmation_send(alert_id=alert.pk)
    message = mail.outbox[-1]
    assert message.from_email == '"Polyjob" <jobs@localhost>'
    assert message.message()["From"] == "Polyjob <jobs@localhost>"


@pytest.mark.django_db
def test_the_accessibility_statement_writes_to_the_sender_s_bare_address(
    client, settings, tmp_path
):
    settings.ACCESSIBILITY_RESULTS = str(tmp_path / "none.json")  # no audit results shown
    settings.DEFAULT_FROM_EMAIL = '"Polyjob" <hello@jobs.example>'
    html = client.get("/en/accessibility/").content.decode()
    assert 'href="mailto:hello@jobs.example"' in html
    assert "&quot;Polyjob&quot;" not in html
