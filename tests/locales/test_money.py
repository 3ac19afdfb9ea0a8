from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from locales.money import format_money, validate_currency_code


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "$8,000"),
        ("fr_FR", "8\u202f000\u00a0$US"),
        ("de_DE", "8.000\u00a0$"),
        ("es_ES", "8.000\u00a0US$"),
        ("pt_BR", "US$\u00a08.000"),
    ],
)
def test_amounts_are_written_the_locale_s_way(locale, expected):
    assert format_money(Decimal(8000), "USD", locale) == expected


def test_unknown_currency_is_refused():
    validate_currency_code("BRL")
    with pytest.raises(ValidationError):
        validate_currency_code("XYZ")
