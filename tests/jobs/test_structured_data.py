"""The JobPosting JSON-LD on a posting's page, read back as Google reads it."""

import json
import re
from datetime import timedelta
from decimal import Decimal
from html import unescape
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from locales.models import Region
from tests.factories import CompanyFactory, ExpiredPostingFactory, PublishedPostingFactory

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(response) -> list[dict]:
    return [json.loads(block) for block in JSON_LD.findall(response.content.decode())]


def posting_data(client, posting) -> tuple[dict, str]:
    response = client.get(posting.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    [data] = json_ld(response)
    return data, response.content.decode()


def visible_facts(html: str) -> dict[str, str]:
    """The posting's <dl class="facts"> as the page shows it: label -> value."""
    facts = re.search(r'<dl class="facts">(.*?)</dl>', html, re.S).group(1)
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", facts, re.S)
    return {label: " ".join(re.sub(r"<[^>]+>", "", value).split()) for label, value in pairs}


def test_an_onsite_posting_carries_every_required_and_recommended_property(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    company = CompanyFactory(
        name="Acme Robotics",
        website="https://acme.example/",
        logo=SimpleUploadedFile("acme.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
    )
    posting = PublishedPostingFactory(
        company=company,
        language="en",
        title="Senior Backend Engineer",
        location="Melbourne, VIC, Australia",
        countries=["AU"],
        workplace="onsite",
        employment_type="contract",
        experience_years_min=3,
        salary_min=Decimal("90000"),
        salary_max=Decimal("120000"),
        salary_currency="AUD",
        salary_period="year",
        apply_url="https://acme.example/apply",
    )

    data, html = posting_data(client, posting)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "JobPosting"
    assert data["title"] == posting.title
    assert f"<h1>{posting.title}</h1>" in html
    assert data["description"] == posting.description_html
    assert posting.description_html in html
    assert data["datePosted"] == posting.published_at.date().isoformat()
    assert f'datetime="{posting.published_at.replace(microsecond=0).isoformat()}"' in html
    assert data["validThrough"] == posting.expires_at.isoformat()
    assert data["url"] == f"http://testserver{posting.get_absolute_url()}"
    assert f'<link rel="canonical" href="{data["url"]}">' in html
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Acme Robotics",
        "sameAs": "https://acme.example/",
        "logo": f"http://testserver{company.logo.url}",
    }
    assert f'src="{company.logo.url}"' in html
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "name": "Acme Robotics",
        "value": str(posting.pk),
    }
    assert data["employmentType"] == "CONTRACTOR"
    assert data["jobLocation"] == [
        {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressCountry": "AU",
                "addressLocality": "Melbourne",
                "addressRegion": "VIC",
            },
        }
    ]
    assert "jobLocationType" not in data
    assert "applicantLocationRequirements" not in data
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "AUD",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 90000,
            "maxValue": 120000,
            "unitText": "YEAR",
        },
    }
    assert data["experienceRequirements"]["monthsOfExperience"] == 36
    assert data["directApply"] is False  # the page links to the company's own form

    facts = visible_facts(html)
    assert facts["Location"] == "Melbourne, VIC, Australia"
    assert facts["Employment type"] == "Contract"
    # With its approximate amount in the reader's currency (jobs.conversion).
    assert facts["Salary"].startswith("A$90,000 – A$120,000 per year approx. $")
    assert facts["Experience"] == "3+ years"


@pytest.mark.parametrize(
    ("employment_type", "google"),
    [
        ("full_time", "FULL_TIME"),
        ("part_time", "PART_TIME"),
        ("contract", "CONTRACTOR"),
        ("temporary", "TEMPORARY"),
        ("internship", "INTERN"),
    ],
)
def test_employment_types_use_google_s_values(client, employment_type, google):
    posting = PublishedPostingFactory(employment_type=employment_type)

    data, _html = posting_data(client, posting)

    assert data["employmentType"] == google


def test_a_remote_posting_in_a_region_lists_each_of_its_countries(client):
    latin_america = Region.objects.get(code="latin-america")
    posting = PublishedPostingFactory(
        language="es",
        workplace="remote",
        region=latin_america,
        countries=latin_america.countries,
        location="Remoto (América Latina)",
    )

    data, html = posting_data(client, posting)

    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [
        {"@type": "Country", "name": code} for code in latin_america.countries
    ]
    assert {"BR", "MX", "AR"} <= {c["name"] for c in data["applicantLocationRequirements"]}
    assert "jobLocation" not in data
    assert visible_facts(html)["Ubicación"] == "Latinoamérica"


def test_a_hybrid_posting_is_never_telecommute(client):
    posting = PublishedPostingFactory(
        workplace="hybrid", location="Hamburg, Deutschland", countries=["DE"], language="de"
    )

    data, _html = posting_data(client, posting)

    assert "jobLocationType" not in data
    assert "applicantLocationRequirements" not in data
    assert data["jobLocation"][0]["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "DE",
        "addressLocality": "Hamburg",
    }


@pytest.mark.parametrize(
    ("minimum", "maximum", "period", "value"),
    [
        (Decimal(8000), Decimal(8000), "month", {"value": 8000, "unitText": "MONTH"}),
        (Decimal(50), None, "hour", {"minValue": 50, "unitText": "HOUR"}),
        (None, Decimal(700), "day", {"maxValue": 700, "unitText": "DAY"}),
        (Decimal(1000), Decimal(1200), "week", {"minValue": 1000, "maxValue": 1200}),
    ],
)
def test_salary_is_a_monetary_amount_in_the_posting_s_unit(
    client, minimum, maximum, period, value
):
    posting = PublishedPostingFactory(
        salary_min=minimum, salary_max=maximum, salary_currency="EUR", salary_period=period
    )

    data, _html = posting_data(client, posting)

    salary = data["baseSalary"]
    assert salary["@type"] == "MonetaryAmount"
    assert salary["currency"] == "EUR"
    assert salary["value"]["@type"] == "QuantitativeValue"
    assert salary["value"]["unitText"] == period.upper()
    assert value.items() <= salary["value"].items()


def test_a_posting_without_salary_or_expiry_leaves_them_out(client):
    posting = PublishedPostingFactory(expires_at=None)

    data, _html = posting_data(client, posting)

    assert "baseSalary" not in data
    assert "validThrough" not in data


def test_hostile_text_cannot_break_out_of_the_script_element(client):
    hostile = 'Dev </script><script>alert("x")</script> & "quotes" \x01\x1f'
    company = CompanyFactory(name='Evil </SCRIPT> <!-- "Co"')
    posting = PublishedPostingFactory(
        company=company,
        title=hostile,
        description_html="<p>&lt;/script&gt; &amp; </p>",
        location='"Paris" </script>',
        countries=["FR"],
        workplace="onsite",
    )

    data, html = posting_data(client, posting)

    script = JSON_LD.search(html).group(1)
    assert "<" not in script
    assert ">" not in script
    assert "&" not in script
    assert data["title"] == hostile
    assert data["hiringOrganization"]["name"] == company.name
    assert data["jobLocation"][0]["address"]["addressLocality"] == '"Paris" </script>'
    # Only the script elements the page means to have: its data, its share and save scripts.
    assert html.count("<script") == 3
    assert html.count('<script src="/static/js/share.') == 1
    assert html.count('<script src="/static/js/saved.') == 1


def test_expired_postings_and_lists_carry_no_structured_data(client):
    expired = ExpiredPostingFactory(language="en")
    PublishedPostingFactory(language="en")

    gone = client.get(expired.get_absolute_url())
    listing = client.get("/en/")

    assert gone.status_code == HTTPStatus.GONE
    assert json_ld(gone) == []
    assert '<meta name="robots" content="noindex">' in gone.content.decode()
    assert json_ld(listing) == []


def test_the_markup_leaves_the_page_the_instant_the_posting_expires(client):
    posting = PublishedPostingFactory(
        published_at=timezone.now() - timedelta(days=10),
        expires_at=timezone.now() + timedelta(minutes=10),
    )
    assert json_ld(client.get(posting.get_absolute_url()))

    posting.expires_at = timezone.now() - timedelta(seconds=1)
    posting.save()

    assert json_ld(client.get(posting.get_absolute_url())) == []


def test_postings_carry_open_graph_and_twitter_cards(client):
    posting = PublishedPostingFactory(
        language="fr", title="Développeuse Python", description_html="<p>Rejoignez-nous.</p>"
    )

    html = client.get(posting.get_absolute_url()).content.decode()

    url = f"http://testserver{posting.get_absolute_url()}"
    title = f"Développeuse Python – {posting.company.name}"
    assert f'<meta property="og:title" content="{title}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:description" content="Rejoignez-nous.">' in html
    assert '<meta property="og:locale" content="fr_FR">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert f'<meta name="twitter:title" content="{title}">' in html


def test_open_graph_tags_escape_the_posting_s_text(client):
    posting = PublishedPostingFactory(title='Dev "lead" <b>')

    html = client.get(posting.get_absolute_url()).content.decode()

    tag = re.search(r'<meta property="og:title" content="([^"]*)">', html).group(1)
    assert unescape(tag).startswith('Dev "lead" <b>')


def test_an_imported_posting_with_no_type_and_a_year_and_a_half_of_experience(client):
    """A type the source did not state is left out, never claimed as full-time; a decimal
    experience is shown as written and given to search engines in months."""
    posting = PublishedPostingFactory(employment_type="", experience_years_min=Decimal("1.5"))

    data, html = posting_data(client, posting)

    assert "employmentType" not in data
    assert data["experienceRequirements"]["monthsOfExperience"] == 18
    facts = visible_facts(html)
    assert "Employment type" not in facts
    assert facts["Experience"] == "1.5+ years"


def test_a_posting_that_asks_no_experience_says_so_on_the_page_and_to_search_engines(client):
    posting = PublishedPostingFactory(experience_years_min=Decimal(0))

    data, html = posting_data(client, posting)

    assert data["experienceRequirements"] == "no requirements"
    assert visible_facts(html)["Experience"] == "None required"
