"""The salary filter's rule: a posting matches when the lower end of its range reaches the
reader's minimum, both counted over the same period in the same currency.

Periods are compared over a year of the posting's country: an hourly wage counts that
country's usual full-time week (HOURS_PER_WEEK, 40 hours where not listed) for 52 weeks, a
daily one 5 days a week, a monthly one 12 months. The reader's minimum is converted the same
way, so "at least 20 an hour" and "at least 3,200 a month" mean what a candidate of that
country would mean. The rule is written under the field (templates/jobs/includes/filter_form.html).
"""

from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

WEEKS_PER_YEAR = 52
DEFAULT_HOURS_PER_WEEK = 40
# A full-time week by law or by common agreement, where it is not 40 hours.
HOURS_PER_WEEK = {
    "FR": 35,
    "BE": 38,
    "DK": 37,
    "GB": Decimal("37.5"),
    "BR": 44,
    "CL": 44,
    "CO": 44,
    "AR": 48,
    "MX": 48,
    "PE": 48,
}
# A salary period's length, as what it adds up to in a year (hours apart, which depend on
# the country).
PER_YEAR = {"day": 5 * WEEKS_PER_YEAR, "week": WEEKS_PER_YEAR, "month": 12, "year": 1}
# The periods a reader may give a minimum in.
READER_PERIODS = ("hour", "month", "year")

MONEY = DecimalField(max_digits=24, decimal_places=6)


def hours_per_year(country: str | None) -> Decimal:
    return Decimal(HOURS_PER_WEEK.get(country or "", DEFAULT_HOURS_PER_WEEK)) * WEEKS_PER_YEAR


def _country_hours_per_year():
    """The posting's first country's working hours in a year, in SQL."""
    return Case(
        *[When(countries__0=code, then=Value(hours_per_year(code))) for code in HOURS_PER_WEEK],
        default=Value(hours_per_year(None)),
        output_field=MONEY,
    )


def _per_year(period):
    """How many of `period` (a column or a fixed value) make the posting country's year."""
    hours = _country_hours_per_year()
    if not hasattr(period, "resolve_expression"):
        return hours if period == "hour" else Value(Decimal(PER_YEAR[period]), output_field=MONEY)
    return Case(
        When(**{period.name: "hour"}, then=hours),
        *[When(**{period.name: name}, then=Value(Decimal(n))) for name, n in PER_YEAR.items()],
        output_field=MONEY,
    )


def paying_at_least(queryset, minimum_euros: Decimal, period: str, include_unknown: bool):
    """The postings of `queryset` whose lowest pay, over a year of their country, reaches
    `minimum_euros` per `period` over the same year; with those that give no salary when
    `include_unknown`. Amounts in other currencies go through the rates staff keep."""
    from locales.models import ExchangeRate

    per_euro = Subquery(
        ExchangeRate.objects.filter(currency=OuterRef("salary_currency")).values("per_euro")
    )
    lowest = Coalesce("salary_min", "salary_max")
    yearly_euros = ExpressionWrapper(
        lowest * _per_year(F("salary_period")) / per_euro, output_field=MONEY
    )
    wanted = ExpressionWrapper(Value(minimum_euros) * _per_year(period), output_field=MONEY)
    queryset = queryset.alias(salary_yearly_euros=yearly_euros, salary_wanted=wanted)
    reaches = Q(salary_yearly_euros__gte=F("salary_wanted"))
    if include_unknown:
        reaches |= Q(salary_min__isnull=True, salary_max__isnull=True)
    return queryset.filter(reaches)


def minimum_text(amount: str, period: str | None) -> str:
    """ "from €50,000 a year", "from €20 an hour": a reader's minimum in words."""
    texts = {
        "year": _("from %(amount)s a year"),
        "month": _("from %(amount)s a month"),
        "hour": _("from %(amount)s an hour"),
    }
    return texts.get(period or "year", texts["year"]) % {"amount": amount}
