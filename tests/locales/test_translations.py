"""Every user-visible string exists in all five languages."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
CATALOGS = ["fr", "de", "es", "pt_BR"]


@pytest.mark.parametrize("locale", CATALOGS)
def test_catalog_is_complete(locale):
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalog = read_po(po, locale=locale)

    untranslated = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not (all(message.string) if isinstance(message.string, tuple) else message.string)
        )
    ]
    assert untranslated == []
    assert len(catalog) > 100


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Jobs"),
        ("fr", "Offres d’emploi"),
        ("de", "Stellenangebote"),
        ("es", "Empleos"),
        ("pt-br", "Vagas"),
    ],
)
def test_compiled_catalogs_are_in_use(language, expected):
    with translation.override(language):
        assert translation.gettext("Jobs") == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Dec. 5, 2026"),
        ("fr", "5 décembre 2026"),
        ("de", "5. Dezember 2026"),
        ("es", "5 de diciembre de 2026"),
        ("pt-br", "5 de dezembro de 2026"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(language, expected):
    from datetime import date

    from django.utils.formats import date_format

    with translation.override(language):
        assert date_format(date(2026, 12, 5), "DATE_FORMAT") == expected


@pytest.mark.parametrize("locale", CATALOGS)
def test_the_date_filter_is_not_labelled_as_one_date(locale):
    """ "Publiée le" labels the date of a posting, not a choice of ranges."""
    with translation.override(locale.lower().replace("_", "-")):
        posted, date_posted = translation.gettext("Posted"), translation.gettext("Date posted")
    assert posted != date_posted
    assert not date_posted.endswith((" le", " am", " el", " em"))


def test_spanish_speaks_to_the_reader_as_tu_throughout():
    with (LOCALE_DIR / "es" / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalog = read_po(po, locale="es")
    usted = re.compile(
        r"\b(usted|Su navegador|Vuelva|Espere|inténtelo|Inténtelo|No tiene permiso|buscaba|"
        r"Revise|Confirme|Elija|Indique|Compruebe)\b"
    )
    assert [m.id for m in catalog if m.id and usted.search(str(m.string))] == []
