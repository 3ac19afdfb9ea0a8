from decimal import Decimal

from django.core.cache import cache

from locales.models import ExchangeRate

_RATES_KEY = "locales:exchange-rates:v1"


def exchange_rates() -> dict[str, Decimal]:
    """Units of each currency one euro buys, cached until staff change a rate."""
    rates = cache.get(_RATES_KEY)
    if rates is None:
        rates = dict(ExchangeRate.objects.values_list("currency", "per_euro"))
        cache.set(_RATES_KEY, rates, 60 * 60)
    return rates


def exchange_rates_invalidate() -> None:
    cache.delete(_RATES_KEY)
