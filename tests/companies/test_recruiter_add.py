"""`python manage.py recruiter_add EMAIL --company SLUG [--password P]`: a stable interface."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from companies.models import Membership
from companies.roles import RECRUITERS
from tests.factories import CompanyFactory, UserFactory, role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles():
    role(RECRUITERS)


def test_creates_a_recruiter_who_can_log_into_admin(capsys):
    company = CompanyFactory(slug="acme")

    call_command(
        "recruiter_add", "Ana@Example.com", "--company", "acme", "--password", "s3cret-Pw!"
    )

    user = get_user_model().objects.get(email="Ana@Example.com")
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=RECRUITERS).exists()
    assert Membership.objects.filter(user=user, company=company).exists()
    assert authenticate(username="Ana@Example.com", password="s3cret-Pw!") == user
    assert "Created Ana@Example.com as a recruiter of acme." in capsys.readouterr().out


def test_links_an_existing_user_without_duplicating_them(capsys):
    CompanyFactory(slug="acme")
    CompanyFactory(slug="bravo")
    existing = UserFactory(username="ana", email="ana@example.com")

    call_command("recruiter_add", "ANA@example.com", "--company", "acme")
    call_command("recruiter_add", "ana@example.com", "--company", "bravo")
    call_command("recruiter_add", "ana@example.com", "--company", "bravo")

    assert get_user_model().objects.count() == 1
    assert set(existing.companies.values_list("slug", flat=True)) == {"acme", "bravo"}
    assert "Linked existing user ana" in capsys.readouterr().out


def test_without_a_password_the_account_has_none_usable():
    CompanyFactory(slug="acme")

    call_command("recruiter_add", "ana@example.com", "--company", "acme")

    assert not get_user_model().objects.get().has_usable_password()


def test_an_unknown_company_is_a_clear_error():
    with pytest.raises(CommandError, match="Unknown company: 'nope'"):
        call_command("recruiter_add", "ana@example.com", "--company", "nope")

    assert not get_user_model().objects.exists()


def test_a_bad_email_is_a_clear_error():
    CompanyFactory(slug="acme")

    with pytest.raises(CommandError, match="is not a valid email address"):
        call_command("recruiter_add", "not-an-email", "--company", "acme")

    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_errors_exit_non_zero_from_the_shell():
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import database_url

    result = subprocess.run(
        [sys.executable, "manage.py", "recruiter_add", "x@example.com", "--company", "nope!"],
        cwd=Path(__file__).resolve().parents[2],
        # The test database: a fresh clone's own database is not even migrated.
        env={**os.environ, "DATABASE_URL": database_url()},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode != 0
    assert "Unknown company" in result.stderr
    assert "Traceback" not in result.stderr


def test_staff_add_a_recruiter_from_admin(client):
    from django.urls import reverse

    from tests.factories import SuperuserFactory

    company = CompanyFactory(slug="acme")
    client.force_login(SuperuserFactory())

    response = client.post(
        reverse("admin:companies_membership_add"),
        {"email": "new@example.com", "company": company.pk, "password": "", "language": "es"},
    )

    assert response.status_code == 302
    user = get_user_model().objects.get(email="new@example.com")
    assert user.is_staff
    assert user.profile.language == "es"
    assert user.companies.get() == company
