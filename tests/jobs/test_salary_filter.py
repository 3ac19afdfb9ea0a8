"""The salary filter means what it says: a posting matches when the lower end of its range
reaches the minimum, both counted over a year of the posting's country, in one currency;
postings without a salary stay only when the reader asks for them."""

from decimal import Decimal

import pytest

from jobs.filters import alert_search, describe_search
from tests.factories import PublishedPostingFactory
from tests.jobs.test_list import ids

pytestmark = pytest.mark.django_db


def paid(language="en", country="DE", **salary):
    return PublishedPostingFactory(language=language, countries=[country], **salary)


def test_an_hourly_range_counts_from_its_lower_end():
    # $45-50 an hour in the US: 93,600 to 104,000 a year at 40 hours a week.
    internship = paid(
        country="US",
        salary_min=45,
        salary_max=50,
        salary_currency="USD",
        salary_period="hour",
        employment_type="internship",
    )

    def matches(query):
        from django.test import Client

        return ids(Client().get(f"/en/?{query}"))

    assert matches("salary_min=100000&currency=USD") == []
    assert matches("salary_min=93000&currency=USD") == [internship.pk]
    assert matches("salary_min=45&currency=USD&salary_period=hour") == [internship.pk]
    assert matches("salary_min=46&currency=USD&salary_period=hour") == []


def test_a_monthly_salary_is_twelve_months(client):
    monthly = paid(salary_min=4000, salary_max=5000, salary_currency="EUR", salary_period="month")

    assert ids(client.get("/en/?salary_min=45000&currency=EUR")) == [monthly.pk]
    assert ids(client.get("/en/?salary_min=50000&currency=EUR")) == []
    assert ids(client.get("/en/?salary_min=4000&currency=EUR&salary_period=month")) == [monthly.pk]
    assert ids(client.get("/en/?salary_min=4001&currency=EUR&salary_period=month")) == []


def test_an_hourly_wage_counts_its_country_s_working_week(client):
    # €12.50 an hour: 22,750 a year at France's 35 hours, 26,000 at Germany's 40.
    paris = paid(
        country="FR", salary_min=Decimal("12.50"), salary_currency="EUR", salary_period="hour"
    )
    berlin = paid(
        country="DE", salary_min=Decimal("12.50"), salary_currency="EUR", salary_period="hour"
    )

    assert set(ids(client.get("/en/?salary_min=22750&currency=EUR"))) == {paris.pk, berlin.pk}
    assert ids(client.get("/en/?salary_min=23000&currency=EUR")) == [berlin.pk]
    # Asked per hour, each is compared in its own country's hours: both pay 12.50.
    hourly = "/en/?salary_min=12.50&currency=EUR&salary_period=hour"
    assert set(ids(client.get(hourly))) == {paris.pk, berlin.pk}
    assert ids(client.get("/en/?salary_min=12.51&currency=EUR&salary_period=hour")) == []


def test_amounts_are_compared_in_one_currency(client):
    pounds = paid(salary_min=30000, salary_max=40000, salary_currency="GBP", salary_period="year")
    # 30,000 GBP is about 35,300 EUR at the default 0.85 per euro.
    assert ids(client.get("/en/?salary_min=35000&currency=EUR")) == [pounds.pk]
    assert ids(client.get("/en/?salary_min=36000&currency=EUR")) == []


def test_postings_without_a_salary_stay_only_when_asked_for(client):
    unpaid = paid()
    rich = paid(salary_min=90000, salary_currency="EUR", salary_period="year")

    assert ids(client.get("/en/?salary_min=50000&currency=EUR")) == [rich.pk]
    assert set(ids(client.get("/en/?salary_min=50000&currency=EUR&salary_unknown=1"))) == {
        rich.pk,
        unpaid.pk,
    }
    # Without an amount the choice filters nothing.
    assert len(ids(client.get("/en/?salary_unknown=1"))) == 2


def test_the_form_offers_the_period_and_says_the_rule(client):
    html = client.get("/fr/?salary_min=20&currency=EUR&salary_period=hour&salary_unknown=1")
    html = html.content.decode()

    assert '<option value="hour" selected>par heure</option>' in html
    assert 'name="salary_unknown" id="id_salary_unknown" value="1" checked' in html
    assert 'aria-describedby="salary-rule"' in html
    assert "35 en France" in html
    assert "À partir de 20\xa0€ par heure, ou non indiqué" not in html  # the chip's own words
    assert "À partir de 20\xa0€ de l’heure, ou non indiqué" in html


def test_alerts_keep_the_salary_s_qualifiers_only_with_an_amount(client):
    with_amount = client.get("/de/?salary_min=3000&currency=EUR&salary_period=month")
    assert alert_search(with_amount.context["filter"]) == {
        "salary_min": "3000",
        "currency": "EUR",
        "salary_period": "month",
    }
    alone = client.get("/de/?salary_period=month&salary_unknown=1&currency=EUR")
    assert alert_search(alone.context["filter"]) == {}


def test_a_stored_search_says_its_period():
    from django.utils import translation

    with translation.override("es"):
        text = describe_search(
            {"salary_min": "20", "currency": "USD", "salary_period": "hour"}, "es"
        )
    assert text == "desde 20\xa0US$ la hora"
