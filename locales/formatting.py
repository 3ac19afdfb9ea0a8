"""Numbers in the active language's own way: "1,234" in English, "1 234" in French."""

from datetime import datetime, timedelta
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_timedelta
from babel.numbers import format_decimal, format_percent
from django.utils import timezone, translation
from django.utils.translation import gettext

from locales.languages import BABEL_LOCALE, Language


def active_locale() -> str:
    return BABEL_LOCALE.get(translation.get_language(), BABEL_LOCALE[Language.ENGLISH])


def format_count(number: int) -> str:
    """A whole number as Babel writes it in the active language, without Babel's cost: a
    list page writes a hundred counts, and `format_decimal` took most of a cold facet
    computation (README, "Speed-ups")."""
    locale = active_locale()
    symbols = _integer_symbols(locale)
    if symbols is None or not isinstance(number, int):
        return format_decimal(number, locale=locale)
    group, minus = symbols
    text = f"{abs(number):,}".replace(",", group)
    return f"{minus}{text}" if number < 0 else text


@cache
def _integer_symbols(locale: str) -> tuple[str, str] | None:
    """The group separator and minus sign of a locale whose whole numbers are grouped by
    threes, as Python's "," format groups them; None for any other locale."""
    parsed = Locale.parse(locale)
    if parsed.decimal_formats[None].grouping != (3, 3):
        return None
    symbols = parsed.number_symbols["latn"]
    return symbols["group"], symbols["minusSign"]


def language_name(code: str) -> str:
    """A language named in the active language: "anglais" for "en" on the French site."""
    locale = Locale.parse(active_locale())
    name = locale.languages.get(code.replace("-", "_")) or locale.languages.get(code.split("-")[0])
    return name or code


def age_in_hours(moment: datetime | None, now: datetime | None = None) -> int | None:
    """Whole hours since `moment` (never negative): what a relative date is made of, and so
    all a cached job card needs to know to stay right (jobs.fragments)."""
    if moment is None:
        return None
    elapsed = (now or timezone.now()) - moment
    return max(int(elapsed.total_seconds() // 3600), 0)


def format_age(hours: int | None) -> str:
    """ "2 days ago", "il y a 2 jours", "vor 2 Tagen": an age in the active language."""
    if hours is None:
        return ""
    if hours < 1:
        return gettext("less than an hour ago")
    return _format_age(hours, active_locale())


@lru_cache(maxsize=4096)
def _format_age(hours: int, locale: str) -> str:
    # Under a day in hours, then days, weeks, months as Babel rounds them.
    delta = timedelta(hours=-hours) if hours < 24 else timedelta(days=-(hours // 24))
    return format_timedelta(delta, add_direction=True, locale=locale)


def format_duration(delta: timedelta | None) -> str:
    """ "3 hours", "2 jours": a duration in the active language, rounded as Babel rounds."""
    if delta is None:
        return "—"
    return format_timedelta(delta, threshold=1.5, locale=active_locale())


def format_share(share: float | None) -> str:
    """ "12%", "12 %": a share in the active language."""
    if share is None:
        return "—"
    return format_percent(share, locale=active_locale())
