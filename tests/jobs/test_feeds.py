"""RSS and Atom feeds, read with feedparser as a feed reader would."""

import re
from html import unescape
from http import HTTPStatus

import feedparser
import pytest
from lxml import etree

from locales.models import Region
from tests.factories import (
    CompanyFactory,
    ExpiredPostingFactory,
    PostingFactory,
    PublishedPostingFactory,
)

pytestmark = pytest.mark.django_db

FORMATS = [("rss", "rss20"), ("atom", "atom10")]


def read(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    etree.fromstring(response.content)  # well-formed XML, or this raises
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def feed_links(html: str) -> dict[str, str]:
    return {
        kind: unescape(href)
        for kind, href in re.findall(
            r'<link rel="alternate" type="application/(rss|atom)\+xml" title="[^"]*" '
            r'href="([^"]*)">',
            html,
        )
    }


def job_ids(feed) -> list[int]:
    return [int(re.search(r"/jobs/(\d+)/", entry.link).group(1)) for entry in feed.entries]


@pytest.mark.parametrize(("kind", "version"), FORMATS)
def test_feed_items_carry_title_link_date_company_place_and_summary(client, kind, version):
    latin_america = Region.objects.get(code="latin-america")
    posting = PublishedPostingFactory(
        language="en",
        title="Staff Engineer",
        company=CompanyFactory(name="Acme"),
        region=latin_america,
        countries=latin_america.countries,
        description_html="<p>Build <strong>reliable</strong> systems.</p>",
        salary_min=5000,
        salary_max=7000,
        salary_currency="USD",
        salary_period="month",
    )

    feed = read(client, f"/en/feed/{kind}/")

    assert feed.version == version
    assert feed.feed.language == "en"
    assert feed.feed.title == "Jobs · Polyjob"
    assert feed.feed.link == "http://testserver/en/"
    [entry] = feed.entries
    assert entry.title == "Staff Engineer"
    assert entry.link == f"http://testserver{posting.get_absolute_url()}"
    assert entry.published_parsed[:6] == posting.published_at.utctimetuple()[:6]
    assert entry.author == "Acme"
    assert "Acme · Latin America · Remote · $5,000 – $7,000 per month" in entry.summary
    assert "Build reliable systems." in entry.summary
    assert "Latin America" in [tag.term for tag in entry.tags]


@pytest.mark.parametrize(("kind", "version"), FORMATS)
def test_feed_lists_only_open_postings_in_the_url_s_language(client, kind, version):
    french = PublishedPostingFactory(language="fr")
    PublishedPostingFactory(language="de")
    ExpiredPostingFactory(language="fr")
    PostingFactory(language="fr")

    feed = read(client, f"/fr/feed/{kind}/")

    assert job_ids(feed) == [french.pk]
    assert feed.feed.language == "fr"
    assert feed.feed.title == "Offres d’emploi · Polyjob"


def test_brazilian_feed_declares_its_language(client):
    assert read(client, "/pt-br/feed/rss/").feed.language == "pt-BR"


@pytest.mark.parametrize(("kind", "version"), FORMATS)
def test_feed_honours_the_list_s_filters_and_ignores_bad_ones(client, kind, version):
    python = PublishedPostingFactory(
        language="en", title="Python Developer", countries=["BR"], workplace="remote"
    )
    PublishedPostingFactory(language="en", title="Python Developer", countries=["US"])
    PublishedPostingFactory(language="en", title="Go Developer", countries=["BR"])

    query = "q=python&country=BR&workplace=remote&type=nonsense&salary_min=-5&page=99"
    feed = read(client, f"/en/feed/{kind}/?{query}")
    page = client.get("/en/?q=python&country=BR&workplace=remote&type=nonsense&salary_min=-5")

    assert job_ids(feed) == [python.pk]
    assert [p.pk for p in page.context["postings"]] == [python.pk]
    assert feed.feed.title == "“python” jobs · Polyjob"


def test_list_page_links_feeds_with_its_own_filters(client):
    PublishedPostingFactory(language="en", title="Python Developer", countries=["BR"])
    PublishedPostingFactory(language="en", title="Rust Developer", countries=["BR"])

    html = client.get("/en/?q=python&country=BR&currency=ZZZ&page=1").content.decode()

    links = feed_links(html)
    assert set(links) == {"rss", "atom"}
    for kind in ("rss", "atom"):
        url = links[kind]
        assert url.startswith(f"/en/feed/{kind}/?")
        assert "q=python" in url
        assert "country=BR" in url
        assert "page=" not in url
        assert len(read(client, url).entries) == 1


@pytest.mark.parametrize(("kind", "version"), FORMATS)
def test_company_feed_lists_the_company_s_open_postings_in_this_language(client, kind, version):
    company = CompanyFactory(slug="acme", name="Acme")
    mine = PublishedPostingFactory(company=company, language="de")
    PublishedPostingFactory(company=company, language="en")
    PublishedPostingFactory(language="de")

    feed = read(client, f"/de/companies/acme/feed/{kind}/")

    assert job_ids(feed) == [mine.pk]
    assert feed.feed.title == "Stellenangebote bei Acme · Polyjob"
    html = client.get("/de/companies/acme/").content.decode()
    assert feed_links(html) == {
        "rss": "/de/companies/acme/feed/rss/",
        "atom": "/de/companies/acme/feed/atom/",
    }


def test_unknown_company_has_no_feed(client):
    assert client.get("/en/companies/nobody/feed/rss/").status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(("kind", "version"), FORMATS)
def test_hostile_text_leaves_the_feed_valid(client, kind, version):
    title = "Dev </script><script>alert(\"x\")</script> & 'quotes' \x01\x0b\x1f\ufffe end"
    company = CompanyFactory(name='Evil "Co" </script>\x02', slug="evil")
    PublishedPostingFactory(
        company=company,
        language="en",
        title=title,
        location="Paris\x03",
        countries=["FR"],
        description_html="<p>&lt;/script&gt; \x07bell &amp; ]]&gt; done</p>",
    )

    for url in (f"/en/feed/{kind}/", f"/en/companies/evil/feed/{kind}/?q=\x01"):
        feed = read(client, url)
        [entry] = feed.entries
        assert entry.title == "Dev </script><script>alert(\"x\")</script> & 'quotes'  end"
        assert entry.author == 'Evil "Co" </script>'
        assert "<p>&lt;/script&gt; bell &amp; ]]&gt; done</p>" in entry.summary
        assert "<script" not in entry.summary
