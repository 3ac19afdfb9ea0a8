import pytest
from babel.numbers import format_decimal
from django.utils import translation

from locales.formatting import _integer_symbols, format_count
from locales.languages import BABEL_LOCALE, Language

NUMBERS = [0, 1, 7, 42, 999, 1000, 1234, 9999, 10000, 12345, 999999, 1000000, 1234567, 10**12]


@pytest.mark.parametrize("language", Language.values)
def test_counts_are_written_as_babel_writes_them(language):
    with translation.override(language):
        for number in [*NUMBERS, *(-n for n in NUMBERS)]:
            assert format_count(number) == format_decimal(number, locale=BABEL_LOCALE[language])


def test_a_locale_not_grouped_by_threes_is_left_to_babel():
    # Indian English groups lakhs and crores: 12,34,567.
    assert _integer_symbols("en_IN") is None


def test_the_french_separator_is_the_narrow_no_break_space():
    with translation.override("fr"):
        assert format_count(1234567) == "1\u202f234\u202f567"
