"""Every user-visible string exists in all five languages."""

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
