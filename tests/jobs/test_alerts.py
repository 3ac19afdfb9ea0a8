"""Job alerts through the doors a candidate uses: the list's form, the emailed links, and
the digests that beat sends (tasks run eagerly here; see test_alert_worker.py for Redis)."""

import re
from datetime import timedelta
from email import message_from_bytes
from http import HTTPStatus

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.utils import timezone

from config.celery import app as celery_app
from jobs.models import JobAlert
from jobs.services.alerts import (
    alert_confirm,
    alert_subscribe,
    alerts_purge_unconfirmed,
    alerts_send_digests,
)
from jobs.tokens import Purpose, alert_token
from tests.factories import CompanyFactory, PublishedPostingFactory

pytestmark = pytest.mark.django_db

EMAIL = "candidate@example.org"


@pytest.fixture(autouse=True)
def eager_tasks():
    """With REDIS_URL set, tasks would go to a broker nobody reads in these tests."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


@pytest.fixture
def subscribe(client, django_capture_on_commit_callbacks):
    def post(language="en", data=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                f"/{language}/alerts/",
                {"email": EMAIL, "frequency": "daily", **(data or {})},
                **extra,
            )

    return post


def links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s<>\"]+", text)


def confirm_link(message) -> str:
    [link] = [url for url in links(message.body) if "/alerts/confirm/" in url]
    return link.removeprefix(settings.SITE_URL)


def confirmed_alert(language="en", parameters=None, frequency="daily") -> JobAlert:
    alert = alert_subscribe(
        email=EMAIL, language=language, parameters=parameters or {}, frequency=frequency
    )
    return alert_confirm(token=alert_token(alert, Purpose.CONFIRM))


# --- Subscribing ----------------------------------------------------------------------------


def test_every_list_page_offers_the_alert_form_for_its_search(client):
    PublishedPostingFactory(language="en", countries=["BR"])

    html = client.get("/en/?q=python&country=BR&type=bogus&sort=newest&page=1").content.decode()

    form = re.search(r'<form class="alert-form".*?</form>', html, re.S).group(0)
    assert 'action="/en/alerts/"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input type="hidden" name="q" value="python">' in form
    assert '<input type="hidden" name="country" value="BR">' in form
    assert 'name="type"' not in form  # a bad value is not part of the search
    assert 'name="sort"' not in form
    assert '<label for="alert_email">Email address</label>' in form
    assert 'type="email" name="email" id="alert_email"' in form
    assert "<legend>How often</legend>" in form
    assert re.search(r'<label for="alert_frequency_0"><input type="radio"', form)


def test_subscribing_stores_the_validated_search_and_sends_a_confirmation(subscribe, mailoutbox):
    PublishedPostingFactory(language="fr", countries=["BE"])

    response = subscribe(
        "fr",
        {
            "q": " python ",
            "country": "BE",
            "workplace": "nowhere",
            "sort": "newest",
            "posted": "7",
            "currency": "EUR",
            "frequency": "weekly",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/fr/alerts/pending/"
    alert = JobAlert.objects.get()
    assert alert.parameters == {"q": "python", "country": "BE"}
    assert alert.language == "fr"
    assert alert.frequency == "weekly"
    assert alert.confirmed_at is None
    assert alert.email == EMAIL
    assert alert.email_hash and EMAIL not in alert.email_hash
    [message] = mailoutbox
    assert message.to == [EMAIL]
    assert message.subject == "Confirmez votre alerte emploi"
    # Nothing typed by whoever filled in the form reaches an address that has not confirmed.
    assert "python" not in message.body
    assert "python" not in message.alternatives[0][0]
    assert confirm_link(message).startswith("/fr/alerts/confirm/")


def test_the_confirmation_email_has_text_html_and_unsubscribe_headers(subscribe, mailoutbox):
    subscribe()

    [message] = mailoutbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en">' in html
    assert f'href="{settings.SITE_URL}{confirm_link(message)}"' in html
    parsed = message_from_bytes(message.message().as_bytes())
    assert re.fullmatch(r"<https?://\S+/en/alerts/unsubscribe/\S+/>", parsed["List-Unsubscribe"])
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_address_never_appears_on_a_page_or_in_a_url(client, subscribe, mailoutbox):
    response = subscribe()
    pending = client.get(response["Location"])
    confirm = client.get(confirm_link(mailoutbox[0]))

    for url in [response["Location"], confirm_link(mailoutbox[0])]:
        assert EMAIL not in url
        assert "example.org" not in url
    for page in [pending, confirm]:
        assert page.status_code == HTTPStatus.OK
        assert EMAIL not in page.content.decode()
    assert "Check your inbox" in pending.content.decode()


def test_a_bad_address_re_renders_the_form_with_its_error(subscribe, mailoutbox):
    response = subscribe("en", {"email": "not-an-address", "q": "rust"})

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert 'value="not-an-address" aria-invalid="true"' in html
    assert '<input type="hidden" name="q" value="rust">' in html
    assert JobAlert.objects.count() == 0
    assert mailoutbox == []


def test_a_missing_frequency_is_an_error_too(subscribe):
    response = subscribe("en", {"frequency": "hourly"})

    assert response.status_code == HTTPStatus.OK
    assert "Select a valid choice." in response.content.decode()
    assert EMAIL not in response.content.decode()  # a valid address is not echoed


def test_subscribing_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/en/alerts/", {"email": EMAIL, "frequency": "daily"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert JobAlert.objects.count() == 0


def test_subscribing_is_rate_limited_per_client(subscribe, settings, mailoutbox):
    settings.JOBS_ALERT_RATE_LIMIT = 2
    for query in ["one", "two"]:
        assert subscribe("en", {"q": query}).status_code == HTTPStatus.FOUND

    response = subscribe("en", {"q": "three"})
    other_client = subscribe("en", {"q": "four"}, REMOTE_ADDR="10.1.2.3")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many subscriptions" in response.content.decode()
    assert EMAIL not in response.content.decode()
    assert other_client.status_code == HTTPStatus.FOUND
    assert JobAlert.objects.filter(parameters={"q": "three"}).count() == 0
    assert JobAlert.objects.count() == 3
    assert len(mailoutbox) == 1  # one confirmation per address per day


def test_asking_twice_for_the_same_search_keeps_one_alert(subscribe, client, mailoutbox):
    subscribe("en", {"q": "go"})
    subscribe("en", {"q": "go", "frequency": "weekly"})

    alert = JobAlert.objects.get()
    assert alert.frequency == "weekly"
    assert len(mailoutbox) == 1  # one confirmation per address per day

    client.post(confirm_link(mailoutbox[-1]))
    subscribe("en", {"q": "go"})

    assert JobAlert.objects.count() == 1
    assert len(mailoutbox) == 1  # already confirmed: nothing to send, nothing revealed


def test_one_confirmation_email_per_address_per_day(subscribe, mailoutbox):
    """Issue 20, finding 8: the form was a relay to any inbox, one email per request."""
    for number in range(5):
        subscribe("en", {"q": f"search {number}"}, REMOTE_ADDR=f"198.51.100.{number}")
    subscribe("fr", {"email": "someone.else@example.org"})

    assert JobAlert.objects.filter(email=EMAIL).count() == 5
    assert sorted(message.to[0] for message in mailoutbox) == [
        EMAIL,
        "someone.else@example.org",
    ]


# --- Confirming ------------------------------------------------------------------------------


def test_opening_the_link_confirms_nothing_its_button_does(client, subscribe, mailoutbox):
    """Issue 20, finding 8: mail scanners open every link (GET, HEAD) and opted people in."""
    subscribe("de", {"q": "python"})
    link = confirm_link(mailoutbox[0])

    opened = client.get(link)
    scanned = client.head(link)

    assert opened.status_code == scanned.status_code == HTTPStatus.OK
    assert JobAlert.objects.get().confirmed_at is None
    page = opened.content.decode()
    assert re.search(
        r'<form method="post">\s*<input type="hidden" name="csrfmiddlewaretoken"', page
    )
    assert "Jobalarm bestätigen" in page or "<button" in page


def test_the_confirmation_link_confirms_once_and_for_all(client, subscribe, mailoutbox):
    subscribe("de", {"q": "python"})
    link = confirm_link(mailoutbox[0])

    first = client.post(link)
    second = client.post(link)

    assert first.status_code == second.status_code == HTTPStatus.OK
    assert "Ihr Jobalarm ist bestätigt" in first.content.decode()
    alert = JobAlert.objects.get()
    assert alert.confirmed_at is not None
    assert alert.sent_through == alert.confirmed_at


@pytest.mark.parametrize(
    "token",
    ["nonsense", "W10:1tQZ9v:forged", "MTIz:1u0000:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
)
def test_a_forged_confirmation_link_says_so(client, token):
    response = client.get(f"/en/alerts/confirm/{token}/")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This link is not valid" in response.content.decode()


def test_an_unsubscribe_token_does_not_confirm(client):
    alert = alert_subscribe(email=EMAIL, language="en", parameters={}, frequency="daily")

    response = client.get(f"/en/alerts/confirm/{alert_token(alert, Purpose.UNSUBSCRIBE)}/")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    alert.refresh_from_db()
    assert alert.confirmed_at is None


def test_an_expired_confirmation_link_says_so(client, monkeypatch):
    alert = alert_subscribe(email=EMAIL, language="es", parameters={}, frequency="daily")
    four_days_ago = signing.b62_encode(int(timezone.now().timestamp()) - 4 * 24 * 3600)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: four_days_ago)
    token = alert_token(alert, Purpose.CONFIRM)
    monkeypatch.undo()

    response = client.get(f"/es/alerts/confirm/{token}/")

    assert response.status_code == HTTPStatus.GONE
    assert "Este enlace ha caducado" in response.content.decode()
    alert.refresh_from_db()
    assert alert.confirmed_at is None


def test_unconfirmed_alerts_are_deleted_after_a_few_days():
    stale = alert_subscribe(
        email="old@example.org", language="en", parameters={}, frequency="daily"
    )
    JobAlert.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=4))
    fresh = alert_subscribe(
        email="new@example.org", language="en", parameters={}, frequency="daily"
    )
    kept = confirmed_alert()
    JobAlert.objects.filter(pk=kept.pk).update(created_at=timezone.now() - timedelta(days=40))

    assert alerts_purge_unconfirmed() == 1

    assert set(JobAlert.objects.values_list("pk", flat=True)) == {fresh.pk, kept.pk}


# --- Digests ----------------------------------------------------------------------------------


def test_a_digest_carries_new_matching_postings_once(mailoutbox):
    alert = confirmed_alert("en", {"q": "python", "country": "BR"})
    PublishedPostingFactory(  # published before the alert was confirmed
        language="en",
        title="Python Old",
        countries=["BR"],
        published_at=timezone.now() - timedelta(days=2),
    )
    match = PublishedPostingFactory(
        language="en", title="Python Developer", countries=["BR"], published_at=timezone.now()
    )
    PublishedPostingFactory(language="en", title="Python Developer", countries=["US"])
    PublishedPostingFactory(language="en", title="Rust Developer", countries=["BR"])
    PublishedPostingFactory(language="pt-br", title="Python Developer", countries=["BR"])
    JobAlert.objects.filter(pk=alert.pk).update(sent_through=timezone.now() - timedelta(hours=1))
    mailoutbox.clear()

    assert alerts_send_digests(frequency="daily") == 1
    assert alerts_send_digests(frequency="daily") == 0  # not due again today
    tomorrow = timezone.now() + timedelta(days=1)
    assert alerts_send_digests(frequency="daily", now=tomorrow) == 0  # nothing new

    [digest] = mailoutbox
    assert digest.subject == "1 new job for your search"
    assert f"{settings.SITE_URL}{match.get_absolute_url()}" in digest.body
    assert "Python Old" not in digest.body
    assert digest.body.count("Developer") == 1
    parsed = message_from_bytes(digest.message().as_bytes())
    assert "/en/alerts/unsubscribe/" in parsed["List-Unsubscribe"]
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = digest.alternatives[0][0]
    assert f'href="{settings.SITE_URL}{match.get_absolute_url()}"' in html
    alert.refresh_from_db()
    assert alert.sent_through == match.published_at
    assert alert.last_sent_at is not None

    later = PublishedPostingFactory(
        language="en", title="Python Lead", countries=["BR"], published_at=timezone.now()
    )
    assert alerts_send_digests(frequency="daily", now=tomorrow) == 1
    assert f"{settings.SITE_URL}{later.get_absolute_url()}" in mailoutbox[-1].body
    assert match.get_absolute_url() not in mailoutbox[-1].body


def test_a_digest_speaks_the_subscriber_s_language(mailoutbox):
    confirmed_alert("pt-br", {"workplace": "remote"})
    PublishedPostingFactory.create_batch(
        2, language="pt-br", workplace="remote", published_at=timezone.now() + timedelta(seconds=1)
    )
    mailoutbox.clear()

    assert alerts_send_digests(frequency="daily") == 1

    [digest] = mailoutbox
    assert digest.subject == "2 novas vagas para a sua busca"
    assert "/pt-br/jobs/" in digest.body
    assert "Remoto" in digest.body
    assert '<html lang="pt-BR">' in digest.alternatives[0][0]


def test_a_long_digest_lists_the_newest_and_links_to_the_rest(mailoutbox, settings):
    settings.JOBS_ALERT_DIGEST_SIZE = 2
    confirmed_alert("en")
    soon = timezone.now() + timedelta(seconds=1)
    PublishedPostingFactory.create_batch(3, language="en", published_at=soon)
    mailoutbox.clear()

    alerts_send_digests(frequency="daily")

    [digest] = mailoutbox
    assert digest.subject == "3 new jobs for your search"
    assert digest.body.count("/en/jobs/") == 2
    assert "And 1 more:" in digest.body


def test_weekly_alerts_wait_a_week(mailoutbox):
    alert = confirmed_alert("en", frequency="weekly")
    JobAlert.objects.filter(pk=alert.pk).update(last_sent_at=timezone.now() - timedelta(days=2))
    PublishedPostingFactory(language="en", published_at=timezone.now() + timedelta(seconds=1))
    mailoutbox.clear()

    assert alerts_send_digests(frequency="daily") == 0
    assert alerts_send_digests(frequency="weekly") == 0
    assert alerts_send_digests(frequency="weekly", now=timezone.now() + timedelta(days=5)) == 1


def test_a_search_that_no_longer_validates_matches_nothing(mailoutbox):
    company = CompanyFactory(slug="acme")
    PublishedPostingFactory(language="en", company=company)
    confirmed_alert("en", {"company": "acme"})
    company.postings.all().delete()
    company.delete()
    PublishedPostingFactory(language="en", published_at=timezone.now() + timedelta(seconds=1))
    mailoutbox.clear()

    assert alerts_send_digests(frequency="daily") == 0
    assert mailoutbox == []


def test_the_beat_schedule_sends_digests_and_purges():
    schedule = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    digests = [
        entry["args"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "jobs.tasks.send_alert_digests"
    ]

    assert sorted(digests) == [("daily",), ("weekly",)]
    assert "jobs.tasks.purge_unconfirmed_alerts" in schedule


# --- Unsubscribing ----------------------------------------------------------------------------


def test_the_unsubscribe_link_asks_first_then_unsubscribes(client):
    alert = confirmed_alert("fr", {"q": "data"})
    url = f"/fr/alerts/unsubscribe/{alert_token(alert, Purpose.UNSUBSCRIBE)}/"

    page = client.get(url)

    assert page.status_code == HTTPStatus.OK
    html = page.content.decode()
    assert "“data”" in html
    assert '<form method="post">' in html
    assert EMAIL not in html
    assert JobAlert.objects.filter(pk=alert.pk).exists()

    done = client.post(url)

    assert done.status_code == HTTPStatus.OK
    assert "Votre désinscription est confirmée" in done.content.decode()
    assert not JobAlert.objects.filter(pk=alert.pk).exists()
    assert client.get(url).status_code == HTTPStatus.OK  # already gone, said kindly


def test_one_click_unsubscribe_works_without_a_csrf_token():
    alert = confirmed_alert("en")
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/en/alerts/unsubscribe/{alert_token(alert, Purpose.UNSUBSCRIBE)}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == HTTPStatus.OK
    assert JobAlert.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_unsubscribe_link_says_so(client, method):
    alert = confirmed_alert("en")
    forged = alert_token(alert, Purpose.CONFIRM)  # genuine, but for something else

    response = getattr(client, method)(f"/en/alerts/unsubscribe/{forged}/")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This link is not valid" in response.content.decode()
    assert JobAlert.objects.count() == 1
