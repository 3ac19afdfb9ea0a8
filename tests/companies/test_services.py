"""Writes to companies, memberships and profiles (companies.services)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

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


# --- Logos, whichever door they come through (issue 20, finding 10) ---------------------------


def _png(width: int, height: int) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(output, format="PNG", optimize=True)
    return output.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("bomb.png", _png(12_000, 12_000), "logo_pixels"),  # 144 megapixels, some 100 KB
        ("big.png", b"\x89PNG" + b"\0" * (3 * 1024 * 1024), "logo_bytes"),
        ("page.svg", b"<svg onload='alert(1)'/>", "logo_type"),
        ("page.png", b"<html><script>alert(1)</script></html>", "logo_unreadable"),
    ],
)
def test_the_service_refuses_a_logo_an_import_or_command_brings(media, name, content, code):
    with pytest.raises(ValidationError) as refused:
        company_upsert(slug="acme", name="Acme", logo=SimpleUploadedFile(name, content))

    assert refused.value.code == code
    assert not Company.objects.filter(slug="acme").exists()
    assert not any(media.rglob("*"))


def test_the_service_stores_a_logo_re_encoded_and_deletes_the_old_one(
    media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        company = company_upsert(
            slug="acme", name="Acme", logo=ContentFile(_png(1200, 600), name="Logo.png")
        )
    first = company.logo.name
    with Image.open(media / first) as stored:
        assert (stored.format, stored.size) == ("PNG", (512, 256))

    with django_capture_on_commit_callbacks(execute=True):
        company = company_upsert(
            slug="acme", name="Acme", logo=ContentFile(_png(64, 64), name="second.gif")
        )

    assert company.logo.name != first
    assert not (media / first).exists()
    assert (media / company.logo.name).exists()
    with django_capture_on_commit_callbacks(execute=True):
        company_upsert(slug="acme", name="Acme", logo=None)  # cleared: its file goes too
    assert not any(media.rglob("*.png"))


@pytest.mark.django_db(transaction=True)
def test_two_logos_sent_at_once_or_twice_leave_one_file(media):
    from django.db import connection

    from tests.racing import race

    company_upsert(slug="acme", name="Acme", logo=ContentFile(_png(32, 32), name="old.png"))

    def send(name: str):
        try:
            return company_upsert(
                slug="acme", name="Acme", logo=ContentFile(_png(64, 64), name=name)
            )
        finally:
            connection.close()

    results = race(lambda: send("first.png"), lambda: send("second.png"))
    send("second.png")  # the same request again

    assert not [result for result in results if isinstance(result, Exception)]
    stored = Company.objects.get(slug="acme").logo.name
    assert [path.relative_to(media).as_posix() for path in media.rglob("*.png")] == [stored]
