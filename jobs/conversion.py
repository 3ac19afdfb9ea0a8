"""A foreign salary's approximate amount in the reader's usual currency: "approx. $54,000"
beside "€50,000 a year", on the cards and the posting page.

The reader's currency is the one the language version's readers most likely think in
(locales.languages.DEFAULT_CURRENCY). The rates are the site's own (locales.ExchangeRate,
seeded from the repository's data and kept by staff): no request leaves the site. An
approximation says so, and is rounded to two significant digits so it never reads as exact.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.utils import translation
from django.utils.translation import gettext as _

from locales.formatting import active_locale
from locales.languages import DEFAULT_CURRENCY
from locales.money import format_money
from locales.selectors import exchange_rates_dated

SIGNIFICANT_DIGITS = 2


def rounded(amount: Decimal) -> Decimal:
    """54,321 -> 54,000; 12.34 -> 12; 1.234 -> 1.2."""
    if amount <= 0:
        return Decimal(0)
    exponent = amount.adjusted() - SIGNIFICANT_DIGITS + 1
    step = Decimal(1).scaleb(exponent)
    return (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


class Conversion:
    """The page's conversions: its rates are read only when a foreign amount is shown."""

    def __init__(self, language: str) -> None:
        self.currency = DEFAULT_CURRENCY.get(language, "EUR")

    @cached_property
    def _rates(self) -> tuple[dict[str, Decimal], date | None]:
        return exchange_rates_dated()

    @property
    def rates_date(self) -> date | None:
        return self._rates[1]

    def range_text(self, minimum, maximum, currency: str) -> str:
        """ "$54,000 – $65,000", or nothing when the amount is in the reader's currency
        already or a rate is missing."""
        if not currency or currency == self.currency or (minimum is None and maximum is None):
            return ""
        rates = self._rates[0]
        if currency not in rates or self.currency not in rates:
            return ""
        factor = rates[self.currency] / rates[currency]
        locale = active_locale()

        def money(amount):
            value = rounded(Decimal(amount) * factor)
            return format_money(value, self.currency, locale)

        if minimum is None or maximum is None or minimum == maximum:
            return money(minimum if minimum is not None else maximum)
        return _("%(minimum)s – %(maximum)s") % {
            "minimum": money(minimum),
            "maximum": money(maximum),
        }

    def approximate(self, minimum, maximum, currency: str) -> str:
        """ "approx. $54,000 – $65,000", or nothing."""
        text = self.range_text(minimum, maximum, currency)
        return _("approx. %(amount)s") % {"amount": text} if text else ""


def conversion(request) -> dict:
    """Context processor: the page's conversions, for the cards and the posting page."""
    return {"conversion": Conversion(translation.get_language())}
