from decimal import Decimal

from django.db import transaction

from locales.models import ExchangeRate
from locales.selectors import exchange_rates_invalidate


@transaction.atomic
def exchange_rate_set(*, currency: str, per_euro: Decimal) -> ExchangeRate:
    rate = ExchangeRate.objects.filter(currency=currency).first() or ExchangeRate(
        currency=currency
    )
    rate.per_euro = per_euro
    rate.full_clean()
    rate.save()
    transaction.on_commit(exchange_rates_invalidate)
    return rate
