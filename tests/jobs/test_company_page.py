"""A company's page: who it is, its open postings here, and where its others are."""

from http import HTTPStatus

import lxml.html
import pytest

from jobs import facets
from tests.factories import CompanyFactory, ExpiredPostingFactory, PublishedPostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme():
    return CompanyFactory(
        name="Acme",
        slug="acme",
        description="We make anvils.\n\nAnd rockets.",
        website="https://acme.example/",
        verified=True,
        country="FR",
    )


def test_a_company_page_shows_who_the_company_is(client, acme):
    html = client.get("/en/companies/acme/").content.decode()
    page = lxml.html.fromstring(html)

    assert page.xpath("//h1")[0].text_content() == "Acme"
    assert [p.text_content() for p in page.xpath("//*[@class='company__description']/p")] == [
        "We make anvils.",
        "And rockets.",
    ]
    assert page.xpath("//*[@class='badge']")[0].text_content() == "Verified company"
    assert page.xpath("//a[@href='https://acme.example/']")[0].text_content() == (
        "Company website"
    )
    assert "France" in html
    feed = page.xpath("//p[@class='feed-link']/a")[0]
    assert feed.get("href") == "/en/companies/acme/feed/rss/"


def test_an_unverified_company_has_no_badge_and_a_bad_website_no_link(client):
    CompanyFactory(slug="plain", website="javascript:alert(1)")

    page = lxml.html.fromstring(client.get("/en/companies/plain/").content)

    assert page.xpath("//*[@class='badge']") == []
    assert page.xpath("//*[@class='company']//a") == []


def test_in_a_language_without_its_postings_the_page_points_to_the_others(client, acme):
    PublishedPostingFactory.create_batch(2, company=acme, language="de")
    PublishedPostingFactory(company=acme, language="fr")
    ExpiredPostingFactory(company=acme, language="es")

    response = client.get("/en/companies/acme/")

    page = lxml.html.fromstring(response.content)
    links = page.xpath("//*[@class='company__languages']/a")
    assert [(a.get("href"), a.text_content()) for a in links] == [
        ("/fr/companies/acme/", "1 in French"),
        ("/de/companies/acme/", "2 in German"),
    ]
    assert "no open positions in this language" in response.content.decode()


def test_the_other_languages_leave_out_this_one_and_are_named_in_it(client, acme):
    PublishedPostingFactory(company=acme, language="de")
    here = PublishedPostingFactory(company=acme, language="fr")

    response = client.get("/fr/companies/acme/")

    assert [row.pk for row in response.context["postings"]] == [here.pk]
    page = lxml.html.fromstring(response.content)
    links = [a.text_content() for a in page.xpath("//*[@class='company__languages']/a")]
    assert links == ["1 en allemand"]


def test_a_company_page_runs_three_queries(client, acme, django_assert_num_queries):
    PublishedPostingFactory.create_batch(3, company=acme, language="en")
    PublishedPostingFactory(company=acme, language="de")
    facets.facets(language="en")

    # the company, its cards, its counts per language
    with django_assert_num_queries(3):
        response = client.get("/en/companies/acme/")
    assert response.status_code == HTTPStatus.OK
