"""Staff accounts: the login field says Email, a forgotten or never-set password is reset from
the login page, a new recruiter is invited to set one; a recruiter's change of their company's
identity takes its verification away."""

import re
from http import HTTPStatus

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from companies.models import Membership
from companies.roles import RECRUITERS
from tests.factories import (
    CompanyFactory,
    ModeratorFactory,
    RecruiterFactory,
    SuperuserFactory,
    role,
)
from tests.moderation.test_versions import form_data

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
RESET = reverse("admin_password_reset")


def link_in(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/admin/reset/\S+/)", body).group(1)


def set_password(client, path: str, password: str) -> None:
    """Open the emailed link and choose a password, as the person would."""
    form_page = client.get(path, follow=True)
    assert form_page.status_code == HTTPStatus.OK
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
    )
    assert done.status_code == HTTPStatus.FOUND, done.content.decode()[:2000]


def test_the_login_page_asks_for_an_email_and_links_the_reset(client):
    with translation.override("en"):
        page = client.get(LOGIN).content.decode()

    assert re.search(r"<label[^>]*for=\"id_username\"[^>]*>Email:</label>", page)
    assert f'href="{RESET}"' in page


def test_a_recruiter_without_a_password_sets_one_through_the_reset(client, mailoutbox):
    role(RECRUITERS)
    from companies.services import recruiter_add

    added = recruiter_add(email="ines@example.com", company=CompanyFactory())
    assert not added.user.has_usable_password()

    response = client.post(RESET, {"email": "Ines@Example.com"})

    assert response.status_code == HTTPStatus.FOUND
    assert [message.to for message in mailoutbox] == [["ines@example.com"]]
    set_password(client, link_in(mailoutbox[0].body), "a long new passphrase 42")
    assert client.login(username="ines@example.com", password="a long new passphrase 42")


def test_the_admin_s_add_recruiter_form_sends_an_invitation(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    role(RECRUITERS)
    company = CompanyFactory(name="Acme", slug="acme")
    client.force_login(SuperuserFactory())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:companies_membership_add"),
            {
                "email": "joao@example.com",
                "company": company.pk,
                "password": "",
                "language": "pt-br",
            },
        )

    assert response.status_code == HTTPStatus.FOUND
    user = get_user_model().objects.get(email="joao@example.com")
    assert Membership.objects.filter(user=user, company=company).exists()
    [invitation] = mailoutbox
    assert invitation.to == ["joao@example.com"]
    assert "Acme" in invitation.subject
    assert invitation.extra_headers["Content-Language"] == "pt-br"
    client.logout()
    set_password(client, link_in(invitation.body), "uma senha bem longa 42")
    assert client.login(username="joao@example.com", password="uma senha bem longa 42")


def test_no_invitation_when_a_password_was_given(mailoutbox, django_capture_on_commit_callbacks):
    role(RECRUITERS)
    from companies.services import recruiter_add

    with django_capture_on_commit_callbacks(execute=True):
        recruiter_add(email="eva@example.com", company=CompanyFactory(), password="pw-1234-long")

    assert mailoutbox == []


# --- Company identity ---------------------------------------------------------------------


def company_change(client, company, **changes):
    url = reverse("admin:companies_company_change", args=[company.pk])
    data = {**form_data(client.get(url).content, "company_form"), **changes, "_save": "Save"}
    return client.post(url, data)


@pytest.mark.parametrize(
    "changes", [{"name": "Google LLC"}, {"website": "https://google.example"}]
)
def test_a_recruiter_s_new_identity_drops_the_verification(client, changes):
    company = CompanyFactory(name="Acme", slug="acme", verified=True)
    recruiter = RecruiterFactory(company=company, language="en")
    client.force_login(recruiter)

    response = company_change(client, company, **changes)

    assert response.status_code == HTTPStatus.FOUND
    company.refresh_from_db()
    assert not company.verified
    entries = LogEntry.objects.filter(object_id=str(company.pk), user=recruiter)
    assert any("Verification removed" in entry.get_change_message() for entry in entries)


def test_a_recruiter_s_description_keeps_the_verification(client):
    company = CompanyFactory(name="Acme", slug="acme", verified=True)
    client.force_login(RecruiterFactory(company=company, language="en"))

    company_change(client, company, description="We make anvils.")

    company.refresh_from_db()
    assert (company.description, company.verified) == ("We make anvils.", True)


def test_staff_renaming_keeps_the_verification(client):
    company = CompanyFactory(name="Acme", slug="acme", verified=True)
    client.force_login(ModeratorFactory(language="en"))

    company_change(client, company, name="Acme GmbH")

    company.refresh_from_db()
    assert (company.name, company.verified) == ("Acme GmbH", True)
