"""Error pages: styled, in the request's language, and never a traceback, whatever failed
(the code, the database, the cache)."""

import logging
from http import HTTPStatus

import pytest
from django.db import OperationalError, connections
from django.test import Client

from config.views import server_error
from tests.factories import PublishedPostingFactory

pytestmark = pytest.mark.django_db

HEADINGS = {
    "en": "Page not found",
    "fr": "Page introuvable",
    "de": "Seite nicht gefunden",
    "es": "Página no encontrada",
    "pt-br": "Página não encontrada",
}


@pytest.fixture
def errors(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    return Client(raise_request_exception=False)


def assert_error_page(response, status, text, lang="en", middleware=True):
    assert response.status_code == status
    body = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert f'<html lang="{lang}">' in body
    assert text in body
    assert '<link rel="stylesheet"' in body
    assert "Traceback" not in body
    if middleware:
        assert "Content-Security-Policy" in response


@pytest.mark.parametrize("language", HEADINGS)
def test_404_speaks_the_language_of_the_url(client, language):
    response = client.get(f"/{language}/no-such-page/")

    lang = {"pt-br": "pt-BR"}.get(language, language)
    assert_error_page(response, HTTPStatus.NOT_FOUND, HEADINGS[language], lang)


def test_a_missing_posting_and_company_are_the_404_page(client):
    posting = client.get("/fr/jobs/999999/x/")
    company = client.get("/de/companies/nope/")

    assert_error_page(posting, HTTPStatus.NOT_FOUND, "Page introuvable", "fr")
    assert_error_page(company, HTTPStatus.NOT_FOUND, "Seite nicht", "de")


def test_a_bug_is_a_translated_500_and_is_reported(errors, caplog):
    with caplog.at_level(logging.ERROR, logger="config.errors"):
        response = errors.get("/boom/", HTTP_ACCEPT_LANGUAGE="fr")

    assert_error_page(response, HTTPStatus.INTERNAL_SERVER_ERROR, "Une erreur", "fr")
    [record] = [r for r in caplog.records if r.name == "config.errors"]
    assert "RuntimeError: a bug" in record.getMessage()
    assert record.exc_info


def test_a_bad_host_is_a_400_page(client):
    response = client.get("/en/", HTTP_HOST="attacker.example")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Bad request" in response.content.decode()


def test_a_refused_csrf_check_is_a_translated_403_page():
    posting = PublishedPostingFactory(language="es")
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"{posting.get_absolute_url()}report/", {"reason": "spam"})

    assert_error_page(response, HTTPStatus.FORBIDDEN, "Acceso denegado", "es")


def test_a_bare_error_response_gets_the_page_and_keeps_its_headers(errors):
    assert_error_page(errors.get("/gone/"), HTTPStatus.GONE, "This page is gone")
    kept = errors.get("/json-error/")
    assert kept.content == b'{"error": "kept"}'


@pytest.mark.parametrize("path", ["/database-gone/", "/connection-closed/", "/broker-down/"])
def test_a_database_error_in_a_view_is_a_503_with_retry_after(errors, path, caplog):
    with caplog.at_level(logging.WARNING):
        response = errors.get(path, HTTP_ACCEPT_LANGUAGE="de")

    assert_error_page(response, HTTPStatus.SERVICE_UNAVAILABLE, "Vorübergehend", "de")
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "service unavailable" in caplog.text


def test_a_database_error_outside_a_view_is_a_503_too(rf):
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = server_error(rf.get("/pt-br/"))

    assert_error_page(
        response, HTTPStatus.SERVICE_UNAVAILABLE, "Temporariamente", "pt-BR", middleware=False
    )


@pytest.fixture
def database_down():
    """A connection to a database that does not exist: the real failure of a server that went
    away, without stopping the one other tests share."""
    original = connections["default"]
    broken = type(original)({**original.settings_dict, "NAME": "no_such_database"}, "default")
    connections["default"] = broken
    yield
    connections["default"] = original
    broken.close()


@pytest.mark.parametrize(
    "path", ["/en/", "/fr/?q=python", "/en/jobs/1/x/", "/en/companies/acme/", "/en/feed/rss/"]
)
def test_pages_answer_503_while_the_database_is_down(path, database_down):
    response = Client(raise_request_exception=False).get(path)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "30"
    heading = "Temporairement" if path.startswith("/fr/") else "Temporarily unavailable"
    assert heading in response.content.decode()


def test_healthz_names_the_part_that_is_down(database_down):
    response = Client().get("/healthz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["database"] == "down"
    assert response["Retry-After"] == "30"


@pytest.fixture
def redis_down(settings):
    down = {
        "LOCATION": "redis://127.0.0.1:6390/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        "RETRY_AFTER": 0,  # try Redis on every call: each must fail softly
    }
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.ResilientRedisCache", **down},
        "counters": {"BACKEND": "config.cache.CountersRedisCache", **down},
    }


def test_the_site_serves_with_redis_down_and_says_so(client, redis_down, caplog, settings):
    posting = PublishedPostingFactory(language="en")
    paths = [
        "/en/",
        "/en/?q=engineer",
        posting.get_absolute_url(),
        f"/en/companies/{posting.company.slug}/",
        "/en/feed/rss/?q=engineer",
        "/admin/login/",
        "/sitemap.xml",
    ]
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        statuses = {path: client.get(path).status_code for path in paths}
        health = client.get("/healthz")

    assert statuses == dict.fromkeys(paths, HTTPStatus.OK)
    assert health.status_code == HTTPStatus.OK
    assert health.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "down",
        "counters": "down",
    }
    warnings = [r for r in caplog.records if r.name == "config.cache"]
    assert warnings
    assert "cache unavailable" in warnings[0].getMessage()


def test_with_redis_down_reports_and_logins_still_work(client, redis_down):
    from tests.factories import PASSWORD, ModeratorFactory

    moderator = ModeratorFactory()
    response = client.post("/admin/login/", {"username": moderator.username, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND


def test_after_a_failure_redis_is_skipped_for_a_while(caplog):
    import time

    from config.cache import ResilientRedisCache

    cache = ResilientRedisCache(
        "redis://127.0.0.1:6390/0",
        {"OPTIONS": {"socket_connect_timeout": 0.5}, "RETRY_AFTER": 60},
    )
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        started = time.monotonic()
        results = [cache.get("key", "miss") for _ in range(100)]
        elapsed = time.monotonic() - started

    assert results == ["miss"] * 100
    assert cache.add("key", 1) is True  # as with no cache at all (DummyCache)
    assert cache.incr("counter") == 1
    assert cache.get_many(["a", "b"]) == {}
    # One connection attempt and one warning; the other calls did not wait for Redis.
    assert len([r for r in caplog.records if r.name == "config.cache"]) == 1
    assert elapsed < 1


def test_an_error_page_that_cannot_render_falls_back_to_plain_html(rf, monkeypatch):
    from django.template import TemplateSyntaxError

    from config import views

    def broken(*args, **kwargs):
        raise TemplateSyntaxError("a broken template")

    monkeypatch.setattr(views, "render_to_string", broken)

    response = views.page_not_found(rf.get("/en/x/"))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"<h1>Error 404</h1>" in response.content


def test_cache_calls_share_one_client_per_server(settings):
    from config.cache import ResilientRedisCache

    cache = ResilientRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "client-reuse-test"})
    cache.set("answer", 42)

    assert cache.get("answer") == 42
    assert cache.get_many(["answer"]) == {"answer": 42}
    assert cache.redis(write=False) is cache.redis(write=True)
    cache.delete("answer")
