"""Money in the reader's locale: amounts, currencies and salary ranges."""

import copy
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import NumberPattern, get_currency_precision, list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CURRENCY_CODES = frozenset(list_currencies())


def validate_currency_code(code: str) -> None:
    if code and code not in CURRENCY_CODES:
        raise ValidationError(
            _("%(code)s is not an ISO 4217 currency code."), params={"code": code}
        )


@cache
def _amount_pattern(locale: str, digits: int) -> tuple[Locale, NumberPattern]:
    parsed = Locale.parse(locale)
    pattern = copy.copy(parsed.currency_formats["standard"])
    pattern.frac_prec = (digits, digits)
    return parsed, pattern


def has_cents(amount: Decimal | None) -> bool:
    """Whether an amount has a fraction of its unit: 12.50 has, 12.00 has not."""
    return amount is not None and Decimal(amount) % 1 != 0


def format_money(amount: Decimal, currency: str, locale: str, *, cents: bool | None = None) -> str:
    """'$8,000' in English, '8 000 $US' in French: the locale's own way. Whole units for a
    whole amount (salaries read better so), and the currency's own decimals for an amount
    that has cents, or wherever `cents` asks for them: '€12.50' stays '€12.50', never '€12'
    or '€13' (an hourly wage's cents are a real part of it)."""
    if cents is None:
        cents = has_cents(amount)
    digits = get_currency_precision(currency) if cents else 0
    parsed, pattern = _amount_pattern(locale, digits)
    return pattern.apply(amount, parsed, currency=currency, currency_digits=False)
