from http import HTTPStatus

import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "counters": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client):
    from django.db import connections

    # Swap in a connection to a database that does not exist: the real failure of a server
    # that went away, without stopping the server that other tests share.
    original = connections["default"]
    broken = type(original)({**original.settings_dict, "NAME": "no_such_database"}, "default")
    connections["default"] = broken
    try:
        response = client.get("/healthz")
    finally:
        connections["default"] = original
        broken.close()

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {
        "status": "down",
        "database": "down",
        "cache": "ok",
        "counters": "ok",
    }


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == HTTPStatus.METHOD_NOT_ALLOWED
