"""What production responses tell browsers: graded as Mozilla's HTTP Observatory grades them,
and the headers and cookies each page type carries."""

from http import HTTPStatus

import pytest
from django.test import Client

from tests.factories import PASSWORD, CompanyFactory, ModeratorFactory, PublishedPostingFactory
from tests.observatory import observatory_grade, parse_csp

pytestmark = pytest.mark.django_db

ORIGIN = "https://testserver"
FOREIGN = "https://attacker.example"


def graded(client, settings, url: str):
    response = client.get(url, secure=True, HTTP_ORIGIN=FOREIGN)
    assert response.status_code == HTTPStatus.OK
    # SecurityMiddleware reads its settings when the handler loads it: a new client.
    settings.SECURE_SSL_REDIRECT = True
    over_http = Client().get(url, secure=False)
    settings.SECURE_SSL_REDIRECT = False
    grade = observatory_grade(
        response,
        cookies=list(response.cookies.values()),
        http_response=over_http,
        origin=ORIGIN,
        probe_origin=FOREIGN,
    )
    print(f"\n{url}\n{grade}")
    return response, grade


def page_urls():
    posting = PublishedPostingFactory(language="en")
    return [
        "/en/",
        "/fr/?q=python&country=FR",
        posting.get_absolute_url(),
        f"/en/companies/{posting.company.slug}/",
        "/admin/login/",
    ]


def test_every_page_type_grades_a_plus(client, settings):
    for url in page_urls():
        _response, grade = graded(client, settings, url)
        assert grade.grade == "A+", f"{url}\n{grade}"
        assert grade.score >= 120, f"{url}\n{grade}"


def test_the_admin_after_login_grades_a_plus_with_its_session_cookie(client, settings):
    moderator = ModeratorFactory()
    login = client.post(
        "/admin/login/",
        {"username": moderator.username, "password": PASSWORD, "next": "/admin/"},
        secure=True,
    )
    assert login.status_code == HTTPStatus.FOUND
    session = login.cookies["__Host-sessionid"]
    grade = observatory_grade(
        login, cookies=[session], http_response=None, origin=ORIGIN, probe_origin=FOREIGN
    )
    assert grade.results["cookies"][1] == 5, grade
    _response, grade = graded(client, settings, "/admin/jobs/jobposting/")
    assert grade.grade == "A+", grade


def test_cookies_are_host_only_secure_httponly_and_samesite(client):
    posting = PublishedPostingFactory(language="en")
    moderator = ModeratorFactory()
    cookies = {}
    for response in [
        client.get(posting.get_absolute_url(), secure=True),  # the report form's CSRF token
        client.get("/admin/login/", secure=True),
        client.post(
            "/admin/login/",
            {"username": moderator.username, "password": PASSWORD},
            secure=True,
        ),
    ]:
        cookies.update(response.cookies)

    assert set(cookies) >= {"__Host-csrftoken", "__Host-sessionid"}
    for name, cookie in cookies.items():
        if not cookie.value:
            continue  # a deletion
        assert name.startswith("__Host-"), name
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name
        assert cookie["path"] == "/", name
        assert not cookie["domain"], name


def test_the_policy_is_strict_with_a_nonce_only_where_a_script_needs_it(client):
    policy = parse_csp(client.get("/en/", secure=True)["Content-Security-Policy"])

    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    for sources in policy.values():
        assert "'unsafe-inline'" not in sources
        assert "'unsafe-eval'" not in sources
        assert "*" not in sources


@pytest.mark.parametrize(
    "url",
    [
        "/healthz",
        "/robots.txt",
        "/sitemap.xml",
        "/en/feed/rss/",
        "/en/no-such-page/",
        "/admin/",
    ],
)
def test_every_response_carries_the_headers(client, url):
    CompanyFactory()
    response = client.get(url, secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_static_files_carry_the_headers_too(client):
    from django.contrib.staticfiles.storage import staticfiles_storage

    response = client.get(staticfiles_storage.url("css/site.css"), secure=True)

    assert response.status_code == HTTPStatus.OK
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_the_same_host_over_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()

    response = client.get("/en/?q=x", secure=False)

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "https://testserver/en/?q=x"
    # Load balancers probe over HTTP.
    assert client.get("/healthz", secure=False).status_code == HTTPStatus.OK
