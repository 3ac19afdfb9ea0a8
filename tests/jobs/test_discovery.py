"""What search engines read: the sitemap, robots.txt, canonicals, robots meta and hreflang."""

import re
from datetime import timedelta
from html import unescape
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from jobs.sitemaps import PostingSitemap
from tests.factories import (
    CompanyFactory,
    ExpiredPostingFactory,
    PostingFactory,
    PublishedPostingFactory,
)

pytestmark = pytest.mark.django_db

SCHEMA = etree.XMLSchema(etree.parse(Path(__file__).parents[1] / "data" / "sitemap.xsd"))
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(client, url: str) -> etree._Element:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    SCHEMA.assertValid(document)
    return document


def all_sitemap_urls(client) -> dict[str, str | None]:
    """Every <loc> of every section the index lists, with its <lastmod>."""
    index = sitemap(client, "/sitemap.xml")
    urls = {}
    for section in index.findall("s:sitemap/s:loc", NS):
        document = sitemap(client, urlsplit(section.text).path)
        for url in document.findall("s:url", NS):
            urls[url.findtext("s:loc", namespaces=NS)] = url.findtext("s:lastmod", namespaces=NS)
    return urls


def head_links(html: str, rel: str) -> list[dict[str, str]]:
    head = html.split("</head>")[0]
    links = []
    for tag in re.findall(r"<link [^>]*>", head):
        attributes = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag))
        if attributes.get("rel") == rel:
            links.append({name: unescape(value) for name, value in attributes.items()})
    return links


def canonical(html: str) -> str:
    [link] = head_links(html, "canonical")
    return link["href"]


def robots(html: str) -> str | None:
    match = re.search(r'<meta name="robots" content="([^"]*)">', html)
    return match.group(1) if match else None


def hreflangs(html: str) -> dict[str, str]:
    return {
        link["hreflang"]: link["href"]
        for link in head_links(html, "alternate")
        if "hreflang" in link
    }


# --- Sitemap --------------------------------------------------------------------------------


def test_sitemap_lists_open_postings_companies_and_home_pages_per_language(client):
    acme = CompanyFactory(slug="acme")
    french = PublishedPostingFactory(language="fr", company=acme)
    german = PublishedPostingFactory(language="de")
    PostingFactory(language="fr")  # a draft
    expired = ExpiredPostingFactory(language="fr", company=CompanyFactory(slug="gone"))

    urls = all_sitemap_urls(client)

    base = "http://testserver"
    assert f"{base}{french.get_absolute_url()}" in urls
    assert f"{base}{german.get_absolute_url()}" in urls
    assert f"{base}{expired.get_absolute_url()}" not in urls
    assert f"{base}/fr/companies/acme/" in urls
    assert f"{base}/en/companies/acme/" not in urls  # nothing open in English
    assert f"{base}/fr/companies/gone/" not in urls
    for code in ["en", "fr", "de", "es", "pt-br"]:
        assert f"{base}/{code}/" in urls
    # To the second, not the day: a posting changed twice in a day says so.
    assert urls[f"{base}{french.get_absolute_url()}"] == french.updated_at.isoformat()
    assert len([url for url in urls if "/jobs/" in url]) == 2


def test_posting_sections_page_by_id_ranges_never_by_offset(client, monkeypatch):
    """A deep page must cost what the first does: at 1,000,000 postings an OFFSET page of a
    section outlasted gunicorn's timeout. Every open posting is on exactly one page."""
    monkeypatch.setattr(PostingSitemap, "limit", 3)
    postings = PublishedPostingFactory.create_batch(7, language="fr")
    PostingFactory(language="fr")  # a draft, between them

    index = sitemap(client, "/sitemap.xml")
    pages = [
        urlsplit(loc.text)
        for loc in index.findall("s:sitemap/s:loc", NS)
        if "postings-fr" in loc.text
    ]
    seen = []
    with CaptureQueriesContext(connection) as queries:
        for page in pages:
            path = f"{page.path}?{page.query}" if page.query else page.path
            document = sitemap(client, path)
            seen += [loc.text for loc in document.findall("s:url/s:loc", NS)]

    base = "http://testserver"
    assert sorted(seen) == sorted(f"{base}{p.get_absolute_url()}" for p in postings)
    assert len(pages) >= 3
    assert not [q["sql"] for q in queries.captured_queries if "OFFSET" in q["sql"]]


def test_sitemap_index_lists_only_sections_with_content(client):
    PublishedPostingFactory(language="es")

    index = sitemap(client, "/sitemap.xml")

    sections = [urlsplit(loc.text).path for loc in index.findall("s:sitemap/s:loc", NS)]
    assert "/sitemap-postings-es.xml" in sections
    assert "/sitemap-companies-es.xml" in sections
    assert "/sitemap-postings-en.xml" not in sections
    assert {f"/sitemap-pages-{code}.xml" for code in ["en", "fr", "de", "es", "pt-br"]} <= set(
        sections
    )
    assert all(
        section.findtext("s:lastmod", namespaces=NS)
        for section in index.findall("s:sitemap", NS)
        if "pages-es" in section.findtext("s:loc", namespaces=NS)
    )


def test_every_sitemap_url_resolves(client):
    PublishedPostingFactory.create_batch(2, language="en")
    PublishedPostingFactory(language="pt-br", company=CompanyFactory(slug="brasil-sa"))

    urls = all_sitemap_urls(client)

    assert len(urls) >= 5 + 3 + 3
    for url in urls:
        response = client.get(urlsplit(url).path)
        assert response.status_code == HTTPStatus.OK, url
        assert canonical(response.content.decode()) == url


def test_a_posting_leaves_the_sitemap_the_moment_it_expires(client):
    posting = PublishedPostingFactory(
        language="en", published_at=timezone.now() - timedelta(days=3)
    )
    url = f"http://testserver{posting.get_absolute_url()}"
    assert url in all_sitemap_urls(client)

    posting.expires_at = timezone.now() - timedelta(seconds=1)
    posting.save()  # the hourly expiry task has not run: the posting is still "published"

    assert url not in all_sitemap_urls(client)


def test_a_posting_s_lastmod_follows_its_company_too(client):
    acme = CompanyFactory(slug="acme")
    posting = PublishedPostingFactory(language="en", company=acme)
    url = f"http://testserver{posting.get_absolute_url()}"
    before = all_sitemap_urls(client)

    # The posting page shows its company: renaming the company changes the page.
    acme.name = "Acme Cooperative"
    acme.save()

    after = all_sitemap_urls(client)
    assert after[url] > before[url]
    assert after[url] == acme.updated_at.isoformat()


# --- robots.txt -----------------------------------------------------------------------------


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_admin_and_filters(client):
    response = client.get("/robots.txt")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    for name in ["q", "country", "workplace", "type", "seniority", "salary_min", "posted"]:
        assert f"Disallow: /*?{name}=" in lines
        assert f"Disallow: /*&{name}=" in lines
    assert not any("page" in line for line in lines)  # page 2 stays crawlable


# --- Canonicals, robots and hreflang --------------------------------------------------------


def test_the_plain_list_is_its_own_canonical_with_every_language_version(client):
    html = client.get("/fr/").content.decode()

    assert canonical(html) == "http://testserver/fr/"
    assert robots(html) is None
    assert hreflangs(html) == {
        "en": "http://testserver/en/",
        "fr": "http://testserver/fr/",
        "de": "http://testserver/de/",
        "es": "http://testserver/es/",
        "pt-BR": "http://testserver/pt-br/",
        "x-default": "http://testserver/",
    }


@pytest.mark.parametrize(
    "query", ["q=python", "country=DE", "sort=newest", "country=ZZ", "q=python&page=2"]
)
def test_filtered_lists_are_noindex_and_point_to_the_plain_list(client, query):
    PublishedPostingFactory.create_batch(21, language="en", title="Python developer")

    html = client.get(f"/en/?{query}").content.decode()

    assert robots(html) == "noindex, follow"
    assert canonical(html) == "http://testserver/en/"


def test_later_pages_are_their_own_canonical_without_hreflang(client):
    PublishedPostingFactory.create_batch(21, language="en")

    html = client.get("/en/?page=2").content.decode()

    assert canonical(html) == "http://testserver/en/?page=2"
    assert robots(html) is None
    assert hreflangs(html) == {}


def test_company_pages_link_the_languages_where_the_company_has_open_postings(client):
    acme = CompanyFactory(slug="acme")
    PublishedPostingFactory(company=acme, language="fr")
    PublishedPostingFactory(company=acme, language="de")

    french = client.get("/fr/companies/acme/").content.decode()
    english = client.get("/en/companies/acme/").content.decode()

    assert canonical(french) == "http://testserver/fr/companies/acme/"
    assert robots(french) is None
    assert hreflangs(french) == {
        "fr": "http://testserver/fr/companies/acme/",
        "de": "http://testserver/de/companies/acme/",
        "x-default": "http://testserver/fr/companies/acme/",
    }
    # Nothing open in English: the page exists but is not worth indexing.
    assert canonical(english) == "http://testserver/en/companies/acme/"
    assert robots(english) == "noindex, follow"


def test_company_page_two_is_its_own_canonical(client):
    acme = CompanyFactory(slug="acme")
    PublishedPostingFactory.create_batch(21, company=acme, language="en")

    html = client.get("/en/companies/acme/?page=2").content.decode()

    assert canonical(html) == "http://testserver/en/companies/acme/?page=2"
    assert hreflangs(html) == {}


def test_every_page_has_an_absolute_canonical(client):
    posting = PublishedPostingFactory(language="en")

    html = client.get(posting.get_absolute_url()).content.decode()

    assert canonical(html) == f"http://testserver{posting.get_absolute_url()}"
    assert robots(html) is None


def test_canonical_follows_the_request_s_scheme_and_host(client, settings):
    settings.ALLOWED_HOSTS = ["jobs.example.com"]

    html = client.get("/de/", headers={"host": "jobs.example.com"}, secure=True).content.decode()

    assert canonical(html) == "https://jobs.example.com/de/"
    assert hreflangs(html)["x-default"] == "https://jobs.example.com/"
