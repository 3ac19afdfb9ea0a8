"""Money in the reader's locale: amounts, currencies and salary ranges."""

import copy
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import NumberPattern, list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CURRENCY_CODES = frozenset(list_currencies())


def validate_currency_code(code: str) -> None:
    if code and code not in CURRENCY_CODES:
        raise ValidationError(
            _("%(code)s is not an ISO 4217 currency code."), params={"code": code}
        )


@cache
def _whole_amount_pattern(locale: str) -> tuple[Locale, NumberPattern]:
    parsed = Locale.parse(locale)
    pattern = copy.copy(parsed.currency_formats["standard"])
    pattern.frac_prec = (0, 0)  # salaries read better as whole units
    return parsed, pattern


def format_money(amount: Decimal, currency: str, locale: str) -> str:
    """'$8,000' in English, '8 000 $US' in French: the locale's own way, in whole units."""
    parsed, pattern = _whole_amount_pattern(locale)
    return pattern.apply(amount, parsed, currency=currency, currency_digits=False)
