"""Pay as it is: cents kept where an amount has them, in every language, and the Spanish
version's default currency the one its readers' market quotes pay in."""

from decimal import Decimal

import pytest
from django.utils import translation

from jobs.templatetags.jobs_tags import salary
from locales.money import format_money, has_cents
from tests.factories import PublishedPostingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "text"),
    [
        ("12.50", "EUR", "en", "€12.50"),
        ("12.6", "GBP", "en", "£12.60"),
        ("12.50", "EUR", "fr_FR", "12,50\xa0€"),
        ("12.50", "EUR", "de_DE", "12,50\xa0€"),
        ("8000", "USD", "en", "$8,000"),
        ("8000.00", "USD", "en", "$8,000"),
        ("45000", "BRL", "pt_BR", "R$\xa045.000"),
        ("1500.5", "JPY", "en", "¥1,500"),  # a currency without a minor unit has no cents
    ],
)
def test_amounts_keep_their_cents_when_they_have_them(amount, currency, locale, text):
    assert format_money(Decimal(amount), currency, locale) == text


def test_whole_and_fractional_amounts_are_told_apart():
    assert has_cents(Decimal("12.5"))
    assert not has_cents(Decimal("12.00"))
    assert not has_cents(None)


def test_a_range_writes_both_ends_alike():
    posting = PublishedPostingFactory.build(
        salary_min=Decimal("12.50"),
        salary_max=Decimal(15),
        salary_currency="EUR",
        salary_period="hour",
    )
    with translation.override("en"):
        assert salary(posting) == "€12.50 – €15.00 per hour"


def test_an_hourly_wage_shows_its_cents_on_the_card_and_the_posting(client):
    posting = PublishedPostingFactory(
        language="en",
        salary_min=Decimal("12.60"),
        salary_max=Decimal("12.60"),
        salary_currency="GBP",
        salary_period="hour",
    )

    assert "£12.60 per hour" in client.get("/en/").content.decode()
    assert "£12.60 per hour" in client.get(posting.get_absolute_url()).content.decode()


def test_spanish_defaults_to_the_currency_its_market_quotes_pay_in(client):
    html = client.get("/es/").content.decode()
    assert 'value="USD" selected' in html
    assert 'value="EUR" selected' not in html
    # Still the reader's choice, kept in the URL.
    assert (
        'value="EUR" selected' in client.get("/es/?salary_min=1000&currency=EUR").content.decode()
    )
