"""Numbers in the active language's own way: "1,234" in English, "1 234" in French."""

from babel import Locale
from babel.numbers import format_decimal
from django.utils import translation

from locales.languages import BABEL_LOCALE, Language


def active_locale() -> str:
    return BABEL_LOCALE.get(translation.get_language(), BABEL_LOCALE[Language.ENGLISH])


def format_count(number: int) -> str:
    return format_decimal(number, locale=active_locale())


def language_name(code: str) -> str:
    """A language named in the active language: "anglais" for "en" on the French site."""
    locale = Locale.parse(active_locale())
    name = locale.languages.get(code.replace("-", "_")) or locale.languages.get(code.split("-")[0])
    return name or code
