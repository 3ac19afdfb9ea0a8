"""A foreign salary's approximate amount in the reader's currency (jobs.conversion)."""

from decimal import Decimal

import lxml.html
import pytest

from jobs.conversion import rounded
from locales.services import exchange_rate_set
from tests.factories import PublishedPostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates():
    exchange_rate_set(currency="USD", per_euro=Decimal("1.10"))
    exchange_rate_set(currency="BRL", per_euro=Decimal("6"))


def test_amounts_are_rounded_to_two_significant_digits():
    assert rounded(Decimal("54321")) == 54000
    assert rounded(Decimal("12.34")) == 12
    assert rounded(Decimal("1.25")) == Decimal("1.3")
    assert rounded(Decimal("0")) == 0


def test_a_card_and_the_page_show_a_euro_salary_in_dollars_approximately(client, rates):
    posting = PublishedPostingFactory(
        language="en",
        salary_min=50000,
        salary_max=60000,
        salary_currency="EUR",
        salary_period="year",
    )

    page = lxml.html.fromstring(client.get("/en/").content)
    assert page.xpath("//article//li[@class='approx']/text()") == ["approx. $55,000 – $66,000"]
    html = client.get(posting.get_absolute_url()).content.decode()
    assert "approx. $55,000 – $66,000 per year, converted at the exchange rates of" in html


def test_nothing_is_converted_in_the_reader_s_own_currency(client, rates):
    PublishedPostingFactory(
        language="en", salary_min=50, salary_max=None, salary_currency="USD", salary_period="hour"
    )
    PublishedPostingFactory(
        language="pt-br", salary_min=5000, salary_currency="BRL", salary_period="month"
    )

    for url in ("/en/", "/pt-br/"):
        assert "approx" not in client.get(url).content.decode()


def test_a_reader_of_another_language_gets_their_own_currency(client, rates):
    PublishedPostingFactory(
        language="pt-br", salary_min=Decimal("12.50"), salary_currency="USD", salary_period="hour"
    )

    page = lxml.html.fromstring(client.get("/pt-br/").content)
    [approx] = page.xpath("//article//li[@class='approx']/text()")
    assert approx == "aprox. R$\xa068"  # 12.50 / 1.10 * 6 = 68.18
