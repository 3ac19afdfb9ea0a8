from datetime import date
from decimal import Decimal

from django.core.cache import cache

from locales.models import ExchangeRate

_RATES_KEY = "locales:exchange-rates:v1"
_DATED_RATES_KEY = "locales:exchange-rates-dated:v1"


def exchange_rates() -> dict[str, Decimal]:
    """Units of each currency one euro buys, cached until staff change a rate."""
    rates = cache.get(_RATES_KEY)
    if rates is None:
        rates = dict(ExchangeRate.objects.values_list("currency", "per_euro"))
        cache.set(_RATES_KEY, rates, 60 * 60)
    return rates


def exchange_rates_dated() -> tuple[dict[str, Decimal], date | None]:
    """The rates, and the day the latest of them was set: what a converted amount is
    approximated with, and says it was."""
    found = cache.get(_DATED_RATES_KEY)
    if found is None:
        rows = list(ExchangeRate.objects.values_list("currency", "per_euro", "updated_at"))
        latest = max((updated for _code, _rate, updated in rows), default=None)
        found = ({code: rate for code, rate, _updated in rows}, latest and latest.date())
        cache.set(_DATED_RATES_KEY, found, 60 * 60)
    return found


def exchange_rates_invalidate() -> None:
    cache.delete_many([_RATES_KEY, _DATED_RATES_KEY])
