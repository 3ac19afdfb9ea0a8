"""The language switch in admin's user tools: a recruiter picks en, fr, de, es or pt-BR, and
it holds on every page after, and in their emails (the profile language)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from companies.models import UserProfile
from tests.factories import RecruiterFactory
from tests.racing import AdminSession, plain_http_cookies, race  # noqa: F401 (fixture)

SWITCH = reverse("admin_language")


def switch_form(page) -> list[tuple[str, str]]:
    form = page.xpath("//form[@class='admin-language']")[0]
    return list(form.form_values())


@pytest.mark.django_db
def test_a_recruiter_switches_admin_to_german_and_it_stays(client):
    recruiter = RecruiterFactory(language="en")
    client.force_login(recruiter)
    changelist = reverse("admin:jobs_jobposting_changelist")

    page = client.get(changelist).content.decode()
    response = client.post(SWITCH, {"language": "de", "next": changelist})
    after = client.get(changelist).content.decode()

    assert 'action="/admin/language/"' in page
    assert 'lang="pt-br"' in page and "Deutsch" in page
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == changelist
    assert UserProfile.objects.get(user=recruiter).language == "de"
    assert '<html lang="de"' in after
    assert "Abmelden" in after


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [{"language": "xx"}, {}, {"language": "de", "next": "https://evil.example/"}]
)
def test_bad_input_is_refused_or_sent_home(client, data):
    recruiter = RecruiterFactory(language="en")
    client.force_login(recruiter)

    response = client.post(SWITCH, data)

    if data.get("language") == "de":
        assert response["Location"] == reverse("admin:index")
    else:
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert UserProfile.objects.get(user=recruiter).language == "en"


@pytest.mark.django_db
def test_the_switch_is_for_staff_signed_in_and_by_post(client):
    anonymous = client.post(SWITCH, {"language": "de"})
    client.force_login(RecruiterFactory(language="en"))
    by_get = client.get(SWITCH)

    assert anonymous.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in anonymous["Location"]
    assert by_get.status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_http_cookies")
def test_the_same_switch_twice_and_two_tabs_at_once_leave_one_language(live_server):
    recruiter = RecruiterFactory(language="en")
    tabs = [AdminSession(live_server.url, recruiter) for _tab in range(2)]
    forms = [switch_form(tab.open("/admin/")) for tab in tabs]

    twice = race(
        lambda: tabs[0].submit(SWITCH, forms[0], language="fr"),
        lambda: tabs[0].submit(SWITCH, forms[0], language="fr"),
    )
    assert [response.status_code for response in twice] == [302, 302]
    assert UserProfile.objects.filter(user=recruiter).count() == 1
    assert UserProfile.objects.get(user=recruiter).language == "fr"

    both = race(
        lambda: tabs[0].submit(SWITCH, forms[0], language="es"),
        lambda: tabs[1].submit(SWITCH, forms[1], language="pt-br"),
    )
    assert [response.status_code for response in both] == [302, 302]
    chosen = UserProfile.objects.get(user=recruiter).language
    assert chosen in ("es", "pt-br")
    for tab in tabs:
        assert (
            f'<html lang="{"pt-BR" if chosen == "pt-br" else chosen}"'
            in tab.client.get("/admin/").text
            or f'<html lang="{chosen}"' in tab.client.get("/admin/").text
        )
        tab.close()
