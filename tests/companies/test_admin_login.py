"""Admin login slows password guessing down, per username and per IP."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, RecruiterFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


def attempt(client, username, password, ip="203.0.113.9"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )


def test_a_correct_password_logs_in(client):
    user = RecruiterFactory()

    assert attempt(client, user.username, PASSWORD).status_code == HTTPStatus.FOUND


def test_too_many_failures_lock_the_username_even_with_the_right_password(client, settings):
    settings.LOGIN_FAILURES_PER_USERNAME = 3
    user = RecruiterFactory()
    for number in range(3):
        attempt(client, user.username, "wrong", ip=f"198.51.100.{number}")

    response = attempt(client, user.username, PASSWORD, ip="198.51.100.99")

    assert response.status_code == HTTPStatus.OK
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_too_many_failures_from_one_ip_lock_that_ip(client, settings):
    settings.LOGIN_FAILURES_PER_IP = 3
    user = RecruiterFactory()
    for number in range(3):
        attempt(client, f"guess{number}", "wrong")

    locked = attempt(client, user.username, PASSWORD)
    elsewhere = attempt(client, user.username, PASSWORD, ip="192.0.2.1")

    assert "Too many failed login attempts" in locked.content.decode()
    assert elsewhere.status_code == HTTPStatus.FOUND


def test_a_success_clears_the_username_s_failures(client, settings):
    settings.LOGIN_FAILURES_PER_USERNAME = 3
    user = RecruiterFactory()
    attempt(client, user.username, "wrong")
    attempt(client, user.username, "wrong")
    assert attempt(client, user.username, PASSWORD).status_code == HTTPStatus.FOUND
    client.logout()

    attempt(client, user.username, "wrong")
    attempt(client, user.username, "wrong")

    assert attempt(client, user.username, PASSWORD).status_code == HTTPStatus.FOUND
