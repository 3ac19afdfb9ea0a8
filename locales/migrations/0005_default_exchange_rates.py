from decimal import Decimal

from django.db import migrations

# Approximate rates from November 2026, for a fresh board; staff keep them current in admin.
RATES = {
    "EUR": "1", "USD": "1.08", "GBP": "0.85", "CHF": "0.94", "BRL": "5.90", "MXN": "19.5",
    "ARS": "1150", "CLP": "1020", "COP": "4400", "PEN": "4.05", "UYU": "43.5", "CAD": "1.50",
    "AUD": "1.65", "NZD": "1.80", "SGD": "1.45", "INR": "91", "JPY": "165", "PLN": "4.30",
    "SEK": "11.4", "NOK": "11.7", "DKK": "7.46", "CZK": "25.2", "HUF": "395", "RON": "4.98",
    "ZAR": "19.8", "XOF": "655.957", "MAD": "10.8", "TND": "3.37", "AED": "3.97",
}


def create_rates(apps, schema_editor):
    ExchangeRate = apps.get_model("locales", "ExchangeRate")
    for currency, per_euro in RATES.items():
        ExchangeRate.objects.get_or_create(
            currency=currency, defaults={"per_euro": Decimal(per_euro)}
        )


class Migration(migrations.Migration):
    dependencies = [("locales", "0004_exchange_rates")]

    operations = [migrations.RunPython(create_rates, migrations.RunPython.noop)]
