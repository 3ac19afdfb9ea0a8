"""Countries by ISO 3166-1 alpha-2 code, named by django-countries in the active language."""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries


def is_country_code(code: str) -> bool:
    return code in countries


def validate_country_code(code: str) -> None:
    if code not in countries:
        raise ValidationError(
            _("%(code)s is not an ISO 3166-1 country code."), params={"code": code}
        )


def country_name(code: str) -> str:
    """The country's name in the active language."""
    return _country_name(translation.get_language(), code)


# A list page names some sixty countries; django-countries translates its whole table to
# find one. The names are fixed for a release, so each process keeps those it has looked up.
@lru_cache(maxsize=2048)
def _country_name(language: str | None, code: str) -> str:
    return str(countries.name(code))
