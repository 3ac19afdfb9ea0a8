import pytest
from django.db import IntegrityError
from django.utils import translation

from locales.models import Region


@pytest.mark.django_db
def test_regions_are_named_in_every_language():
    latin_america = Region.objects.get(code="latin-america")

    names = {}
    for code in ["en", "fr", "de", "es", "pt-br"]:
        with translation.override(code):
            names[code] = latin_america.name
    assert names == {
        "en": "Latin America",
        "fr": "Amérique latine",
        "de": "Lateinamerika",
        "es": "Latinoamérica",
        "pt-br": "América Latina",
    }
    assert {"BR", "MX", "AR", "CO"} <= set(latin_america.countries)
    assert "ES" not in latin_america.countries


@pytest.mark.django_db
def test_every_region_names_real_countries_and_every_language():
    from django_countries import countries

    for region in Region.objects.all():
        assert set(region.names) == {"en", "fr", "de", "es", "pt-br"}, region.code
        assert region.countries, region.code
        assert all(code in countries for code in region.countries), region.code


@pytest.mark.django_db
def test_a_region_without_an_english_name_is_refused():
    with pytest.raises(IntegrityError):
        Region.objects.create(code="nowhere", names={"fr": "Nulle part"}, countries=["FR"])
