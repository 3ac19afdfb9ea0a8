"""Writes to companies, memberships and profiles (companies.services)."""

import pytest
from django.core.exceptions import ValidationError

from companies.models import Company, Membership
from companies.roles import RECRUITERS, company_ids
from companies.services import (
    company_upsert,
    membership_add,
    profile_set_language,
    recruiter_add,
)
from tests.factories import UserFactory, role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles():
    role(RECRUITERS)


def test_upsert_creates_then_updates_the_company_of_a_slug():
    created = company_upsert(slug="acme", name="Acme", country="FR")

    updated = company_upsert(slug="acme", name="Acme Robotics", website="https://acme.example")

    assert updated.pk == created.pk
    assert Company.objects.count() == 1
    stored = Company.objects.get(slug="acme")
    assert (stored.name, stored.country, stored.website) == (
        "Acme Robotics", "FR", "https://acme.example"
    )  # fmt: skip


def test_upsert_refuses_a_company_that_does_not_validate():
    with pytest.raises(ValidationError) as refused:
        company_upsert(slug="acme", name="Acme", website="not a url")

    assert "website" in refused.value.message_dict
    assert not Company.objects.exists()


def test_a_membership_is_added_once_and_counts_at_once(company):
    user = UserFactory()
    assert company.pk not in company_ids(user)

    membership_add(user=user, company=company)
    membership_add(user=user, company=company)

    assert Membership.objects.filter(user=user, company=company).count() == 1
    assert company.pk in company_ids(user)


def test_a_profile_language_must_be_one_of_the_sites():
    user = UserFactory()

    assert profile_set_language(user=user, language="pt-br").language == "pt-br"
    with pytest.raises(ValidationError):
        profile_set_language(user=user, language="xx")
    user.profile.refresh_from_db()
    assert user.profile.language == "pt-br"


def test_adding_a_recruiter_links_the_user_with_that_email_whatever_its_case(company):
    existing = UserFactory(username="ana", email="Ana@Example.com")

    added = recruiter_add(email="ana@example.COM", company=company)

    assert not added.user_created
    assert added.user.pk == existing.pk
    assert added.user.is_staff
    assert added.user.groups.filter(name=RECRUITERS).exists()
    assert added.membership.company == company


def test_a_new_recruiter_gets_an_unusable_password_and_english_by_default(company):
    added = recruiter_add(email=" new@example.com ", company=company)

    assert added.user_created
    assert added.user.username == "new@example.com"
    assert not added.user.has_usable_password()
    assert added.user.profile.language == "en"
