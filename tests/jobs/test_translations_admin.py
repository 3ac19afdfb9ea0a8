"""Recruiters link language versions in admin: "this is the French version of …"."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from jobs.models import JobPosting
from tests.factories import (
    CompanyFactory,
    ModeratorFactory,
    PublishedPostingFactory,
    RecruiterFactory,
)
from tests.racing import AdminSession, plain_http_cookies, race  # noqa: F401 (fixture)


def versions_url(posting) -> str:
    return reverse("admin:jobs_jobposting_versions", args=[posting.pk])


def group_of(posting):
    return JobPosting.objects.values_list("translation_group", flat=True).get(pk=posting.pk)


@pytest.mark.django_db
def test_only_the_company_s_recruiters_and_staff_link_its_versions(client):
    company = CompanyFactory()
    english = PublishedPostingFactory(company=company, language="en")
    french = PublishedPostingFactory(company=company, language="fr")
    url = versions_url(french)
    data = {"version_of": english.pk}

    assert client.post(url, data).status_code == HTTPStatus.FOUND  # to the login page
    assert group_of(french) is None
    client.force_login(RecruiterFactory())
    assert client.post(url, data).status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.FORBIDDEN)
    assert group_of(french) is None

    client.force_login(RecruiterFactory(company=company, language="en"))
    page = client.get(reverse("admin:jobs_jobposting_change", args=[french.pk]))
    assert url in page.content.decode()
    linked = client.post(url, data)
    assert linked.status_code == HTTPStatus.FOUND
    assert group_of(french) == group_of(english) is not None

    client.force_login(ModeratorFactory(language="en"))
    assert client.post(url, {"_unlink": "1"}).status_code == HTTPStatus.FOUND
    assert group_of(french) is None


@pytest.mark.django_db
def test_the_same_link_sent_twice_links_once(client):
    company = CompanyFactory()
    english = PublishedPostingFactory(company=company, language="en")
    french = PublishedPostingFactory(company=company, language="fr")
    client.force_login(RecruiterFactory(company=company, language="en"))

    first = client.post(versions_url(french), {"version_of": english.pk})
    second = client.post(versions_url(french), {"version_of": english.pk})

    assert first.status_code == HTTPStatus.FOUND
    # the page no longer offers a posting already linked: the replay is told so, not a 500
    assert second.status_code == HTTPStatus.BAD_REQUEST
    assert group_of(french) == group_of(english) is not None
    page = client.get(versions_url(french)).content.decode()
    assert english.title in page


@pytest.mark.django_db
def test_bad_input_re_renders_the_form(client):
    company = CompanyFactory()
    french = PublishedPostingFactory(company=company, language="fr")
    stranger = PublishedPostingFactory(language="en")
    client.force_login(RecruiterFactory(company=company, language="en"))

    for value in ("", "abc", str(stranger.pk), str(french.pk)):
        response = client.post(versions_url(french), {"version_of": value})
        assert response.status_code == HTTPStatus.BAD_REQUEST, value
    assert group_of(french) is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_http_cookies")
def test_two_recruiters_adding_a_german_version_at_once_add_one(live_server):
    company = CompanyFactory()
    english = PublishedPostingFactory(company=company, language="en", title="Data Engineer")
    first = PublishedPostingFactory(company=company, language="de")
    second = PublishedPostingFactory(company=company, language="de")
    sessions = [
        AdminSession(live_server.url, RecruiterFactory(company=company, language="en"))
        for _ in range(2)
    ]
    forms = [
        (session, versions_url(posting), session.form_values(
            session.open(versions_url(posting)), "versions-link-form"))
        for session, posting in zip(sessions, (first, second), strict=True)
    ]  # fmt: skip

    responses = race(
        *[
            lambda session=session, url=url, values=values: session.submit(
                url, values, version_of=str(english.pk)
            )
            for session, url, values in forms
        ]
    )

    assert sorted(response.status_code for response in responses) == [302, 400]
    refused = next(response for response in responses if response.status_code == 400)
    assert "already has a version in German" in refused.text
    group = group_of(english)
    assert JobPosting.objects.filter(translation_group=group).count() == 2
    for session in sessions:
        session.close()
