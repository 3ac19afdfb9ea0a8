"""Abuse: searches are rate limited per client, and nothing redirects off the site."""

from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.factories import PASSWORD, ModeratorFactory, PublishedPostingFactory

pytestmark = pytest.mark.django_db

EVIL = "evil.example"


@pytest.fixture
def search_limit(settings):
    settings.JOBS_SEARCH_RATE_LIMIT = 3
    settings.JOBS_SEARCH_RATE_WINDOW = 60


def test_searching_past_the_limit_is_a_readable_429(client, search_limit):
    statuses = [client.get("/fr/", {"q": f"python {n}"}).status_code for n in range(4)]

    assert statuses == [HTTPStatus.OK] * 3 + [HTTPStatus.TOO_MANY_REQUESTS]
    response = client.get("/fr/", {"q": "django"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Retry-After"] == "60"
    body = response.content.decode()
    assert '<html lang="fr">' in body
    assert "Trop de requêtes" in body


def test_browsing_without_a_query_is_never_limited(client, search_limit):
    statuses = {client.get("/en/", {"page": 1, "q": " "}).status_code for _ in range(6)}
    statuses |= {client.get("/en/", {"country": "FR"}).status_code for _ in range(6)}

    assert statuses == {HTTPStatus.OK}


def test_the_limit_is_per_client_and_covers_feeds(search_limit):
    first = Client(REMOTE_ADDR="198.51.100.1")
    second = Client(REMOTE_ADDR="198.51.100.2")
    for _ in range(3):
        assert first.get("/en/feed/rss/", {"q": "x"}).status_code == HTTPStatus.OK

    assert first.get("/en/", {"q": "x"}).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert first.get("/en/feed/atom/", {"q": "x"}).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert second.get("/en/", {"q": "x"}).status_code == HTTPStatus.OK


def test_reports_alerts_and_admin_logins_have_their_own_limits(settings):
    # Each is tested where it lives (tests/jobs/test_reports.py, test_alerts.py,
    # tests/companies/test_admin_login.py); this pins that they stay switched on.
    assert settings.JOBS_REPORTS_PER_CLIENT_PER_HOUR > 0
    assert settings.JOBS_ALERT_RATE_LIMIT > 0
    assert settings.LOGIN_FAILURES_PER_IP > 0
    assert settings.LOGIN_FAILURES_PER_USERNAME > 0
    from django.contrib import admin

    from companies.auth import ThrottledAdminAuthenticationForm

    assert issubclass(admin.site.login_form, ThrottledAdminAuthenticationForm)


def assert_on_site(response):
    location = response.headers.get("Location")
    if location is None:
        return
    parts = urlsplit(location)
    assert parts.netloc in {"", "testserver"}, location
    assert not location.startswith(("//", "/\\", "\\")), location
    assert parts.scheme in {"", "http", "https"}, location


OFF_SITE = [
    f"https://{EVIL}/",
    f"//{EVIL}/",
    f"///{EVIL}/",
    f"/\\{EVIL}/",
    f"\\\\{EVIL}",
    f"https:{EVIL}",
    f"javascript:alert(document.domain)//{EVIL}",
    f"http://testserver@{EVIL}/",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_admin_login_never_follows_next_off_the_site(client, target):
    moderator = ModeratorFactory()

    page = client.get("/admin/login/", {"next": target})
    response = client.post(
        "/admin/login/",
        {"username": moderator.username, "password": PASSWORD, "next": target},
    )

    assert page.status_code == HTTPStatus.OK
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_admin_logout_never_follows_next_off_the_site(client, target):
    client.force_login(ModeratorFactory())

    response = client.post(f"/admin/logout/?next={target}")

    assert_on_site(response)


def test_there_is_no_set_language_view_to_abuse(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": f"https://{EVIL}/"})

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    "path",
    [
        f"//{EVIL}",
        f"//{EVIL}/",
        f"/%2F{EVIL}/",
        f"/%2f%2f{EVIL}",
        f"/\\{EVIL}",
        f"/%5C{EVIL}",
        f"/en//{EVIL}",
        f"/en/companies//{EVIL}",
        f"/en/jobs/1/x/..//{EVIL}",
        f"/{EVIL}",
        f"/favicon.ico?next=https://{EVIL}/",
        f"/?next=https://{EVIL}/",
        f"/en/alerts/?next=https://{EVIL}/",
    ],
)
def test_no_address_redirects_off_the_site(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    assert_on_site(response)


def test_a_posting_s_own_redirect_stays_on_the_site(client):
    posting = PublishedPostingFactory(language="de")

    response = client.get(f"/en/jobs/{posting.pk}/wrong-slug/?next=https://{EVIL}/")

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == posting.get_absolute_url()


def test_the_apply_link_is_the_posting_s_own_http_url_and_nothing_else(client):
    posting = PublishedPostingFactory(language="en", apply_url="https://careers.example/apply/7")
    hostile = PublishedPostingFactory(language="en", apply_url="javascript:alert(1)")

    page = client.get(posting.get_absolute_url(), {"apply": f"https://{EVIL}/"}).content.decode()
    hostile_page = client.get(hostile.get_absolute_url()).content.decode()

    assert 'href="https://careers.example/apply/7"' in page
    assert EVIL not in page
    assert "javascript:" not in hostile_page
