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


def test_too_many_failures_lock_the_username_from_that_address_even_with_the_right_password(
    client, settings
):
    settings.LOGIN_FAILURES_PER_USERNAME = 3
    user = RecruiterFactory()
    for _ in range(3):
        attempt(client, user.username, "wrong", ip="198.51.100.7")

    response = attempt(client, user.username, PASSWORD, ip="198.51.100.7")

    assert response.status_code == HTTPStatus.OK
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_stranger_cannot_lock_the_owner_out(client, settings):
    """Issue 20, finding 9: five bad passwords from anywhere locked any staff account."""
    settings.LOGIN_FAILURES_PER_USERNAME = 3
    user = RecruiterFactory()
    for number in range(10):
        attempt(client, user.username, "wrong", ip=f"198.51.100.{number % 4}")
    for number in range(10):
        attempt(client, user.username, "wrong", ip=f"2001:db8:7:7::{number}")

    assert attempt(client, user.username, PASSWORD, ip="192.0.2.44").status_code == 302
    client.logout()
    # The stranger's own addresses are locked for that username, an IPv6 one per /64.
    assert "Too many failed" in attempt(client, user.username, PASSWORD, ip="198.51.100.1").text
    assert (
        "Too many failed" in attempt(client, user.username, PASSWORD, ip="2001:db8:7:7::99").text
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_cannot_overshoot_the_limit(settings, rf):
    """Every attempt is counted before the password is checked, atomically."""
    import threading

    from django.contrib.auth.signals import user_login_failed
    from django.db import connection

    from companies.auth import ThrottledAdminAuthenticationForm

    settings.LOGIN_FAILURES_PER_USERNAME = 5
    user = RecruiterFactory()
    checked = []
    user_login_failed.connect(lambda **kwargs: checked.append(1), weak=False, dispatch_uid="t")
    start = threading.Barrier(20)

    def guess(number):
        request = rf.post(LOGIN, REMOTE_ADDR="198.51.100.5")
        form = ThrottledAdminAuthenticationForm(
            request, data={"username": user.username, "password": f"wrong{number}"}
        )
        start.wait()
        form.is_valid()
        connection.close()

    threads = [threading.Thread(target=guess, args=(number,)) for number in range(20)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        user_login_failed.disconnect(dispatch_uid="t")

    assert len(checked) == 5


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
