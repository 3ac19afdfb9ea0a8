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


# --- Linking an existing account never takes it over (issue 20, finding 1) ------------------


def _add_from_admin(client, actor, **data):
    from django.urls import reverse

    client.force_login(actor)
    return client.post(
        reverse("admin:companies_membership_add"),
        {"company": CompanyFactory().pk, "password": "", "language": "en", **data},
    )


def test_a_moderator_cannot_set_a_superusers_password_through_the_add_form(client):
    from tests.factories import PASSWORD, ModeratorFactory, SuperuserFactory

    boss = SuperuserFactory(username="boss", email="boss@example.com")

    response = _add_from_admin(
        client, ModeratorFactory(), email="BOSS@example.com", password="Attacker-Chosen-42"
    )

    assert response.status_code == 200  # the form again, with the error
    assert "already exists" in response.content.decode()
    boss.refresh_from_db()
    assert boss.check_password(PASSWORD)
    assert not boss.check_password("Attacker-Chosen-42")
    assert not Membership.objects.filter(user=boss).exists()


def test_a_moderator_cannot_link_a_superuser_even_without_a_password(client):
    from tests.factories import ModeratorFactory, SuperuserFactory

    boss = SuperuserFactory(username="boss", email="boss@example.com")

    response = _add_from_admin(client, ModeratorFactory(), email="boss@example.com")

    assert response.status_code == 200
    assert "Only a superuser" in response.content.decode()
    assert not Membership.objects.filter(user=boss).exists()
    assert not boss.groups.exists()


def test_a_superuser_may_link_another_superuser(client):
    from tests.factories import SuperuserFactory

    other = SuperuserFactory(username="other", email="other@example.com")

    response = _add_from_admin(client, SuperuserFactory(), email="other@example.com")

    assert response.status_code == 302
    assert Membership.objects.filter(user=other).exists()


def test_linking_a_disabled_account_leaves_it_disabled_and_its_password_alone(client):
    from tests.factories import PASSWORD, ModeratorFactory

    disabled = UserFactory(username="gone@example.com", is_active=False)

    response = _add_from_admin(client, ModeratorFactory(), email="gone@example.com")

    assert response.status_code == 302
    disabled.refresh_from_db()
    assert not disabled.is_active
    assert disabled.check_password(PASSWORD)
    assert Membership.objects.filter(user=disabled).exists()
    assert authenticate(username="gone@example.com", password=PASSWORD) is None


def test_a_weak_password_for_a_new_recruiter_is_refused(client):
    from tests.factories import ModeratorFactory

    response = _add_from_admin(client, ModeratorFactory(), email="new@example.com", password="123")

    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not get_user_model().objects.filter(email="new@example.com").exists()


def test_the_command_refuses_a_weak_password_and_a_password_for_an_existing_user():
    CompanyFactory(slug="acme")
    existing = UserFactory(username="ana@example.com")

    with pytest.raises(CommandError, match=r"too common|too short"):
        call_command(
            "recruiter_add", "new@example.com", "--company", "acme", "--password", "password"
        )
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "recruiter_add", "ana@example.com", "--company", "acme", "--password", "Long-enough-9"
        )

    existing.refresh_from_db()
    assert not existing.check_password("Long-enough-9")
    assert not get_user_model().objects.filter(email="new@example.com").exists()
