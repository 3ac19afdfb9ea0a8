from django.db import migrations
from django_countries import countries

EU = (
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
EUROPE = EU + "GB CH NO IS LI RS BA ME MK AL MD UA".split()
MIDDLE_EAST = "AE SA QA KW BH OM IL JO LB TR".split()
AFRICA = "ZA NG KE MA TN GH EG SN CI RW ET UG TZ".split()

REGIONS = [
    (
        "worldwide",
        {"en": "Worldwide", "fr": "Monde entier", "de": "Weltweit", "es": "Todo el mundo",
         "pt-br": "Mundo todo"},
        [code for code, _name in countries],
    ),
    (
        "latin-america",
        {"en": "Latin America", "fr": "Amérique latine", "de": "Lateinamerika",
         "es": "Latinoamérica", "pt-br": "América Latina"},
        "AR BO BR CL CO CR CU DO EC SV GT HN MX NI PA PY PE PR UY VE".split(),
    ),
    (
        "eu",
        {"en": "European Union", "fr": "Union européenne", "de": "Europäische Union",
         "es": "Unión Europea", "pt-br": "União Europeia"},
        EU,
    ),
    (
        "europe",
        {"en": "Europe", "fr": "Europe", "de": "Europa", "es": "Europa", "pt-br": "Europa"},
        EUROPE,
    ),
    (
        "emea",
        {"en": "EMEA", "fr": "EMEA", "de": "EMEA", "es": "EMEA", "pt-br": "EMEA"},
        EUROPE + MIDDLE_EAST + AFRICA,
    ),
    (
        "north-america",
        {"en": "North America", "fr": "Amérique du Nord", "de": "Nordamerika",
         "es": "Norteamérica", "pt-br": "América do Norte"},
        "US CA MX".split(),
    ),
    (
        "apac",
        {"en": "Asia-Pacific", "fr": "Asie-Pacifique", "de": "Asien-Pazifik",
         "es": "Asia-Pacífico", "pt-br": "Ásia-Pacífico"},
        "AU NZ JP KR SG IN CN HK TW PH ID MY TH VN".split(),
    ),
    (
        "dach",
        {"en": "DACH (Germany, Austria, Switzerland)",
         "fr": "DACH (Allemagne, Autriche, Suisse)",
         "de": "DACH (Deutschland, Österreich, Schweiz)",
         "es": "DACH (Alemania, Austria, Suiza)",
         "pt-br": "DACH (Alemanha, Áustria, Suíça)"},
        "DE AT CH".split(),
    ),
]


def create_regions(apps, schema_editor):
    Region = apps.get_model("locales", "Region")
    for code, names, members in REGIONS:
        Region.objects.update_or_create(
            code=code, defaults={"names": names, "countries": sorted(set(members))}
        )


def delete_regions(apps, schema_editor):
    Region = apps.get_model("locales", "Region")
    Region.objects.filter(code__in=[code for code, _names, _members in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("locales", "0001_initial")]

    operations = [migrations.RunPython(create_regions, delete_regions)]
