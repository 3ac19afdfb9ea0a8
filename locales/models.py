from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from locales.countries import validate_country_code
from locales.languages import Language
from locales.money import validate_currency_code


class Region(models.Model):
    """A named set of countries, such as "Latin America" or "EU".

    A posting that is remote within a region carries the region for display and the region's
    countries for filtering, so a candidate filtering on Brazil finds "Latin America (Remote)".
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    # {"en": "Latin America", "fr": "Amérique latine", ...}: one name per language version.
    names = models.JSONField(_("names"))
    countries = ArrayField(
        models.CharField(max_length=2, validators=[validate_country_code]),
        verbose_name=_("countries"),
        help_text=_("ISO 3166-1 alpha-2 codes of the countries in this region."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(names__has_key=Language.ENGLISH),
                name="region_has_english_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to English."""
        return self.names.get(get_language() or Language.ENGLISH) or self.names[Language.ENGLISH]


class ExchangeRate(models.Model):
    """How many units of a currency one euro buys: what the salary filter converts with.

    Staff keep these current in admin; approximate rates are fine for a "at least" filter.
    """

    currency = models.CharField(
        _("currency"), max_length=3, unique=True, validators=[validate_currency_code]
    )
    per_euro = models.DecimalField(
        _("units per euro"),
        max_digits=14,
        decimal_places=6,
        help_text=_("How many units of this currency one euro buys."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(per_euro__gt=0), name="exchange_rate_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(currency__regex=r"^[A-Z]{3}$"), name="exchange_rate_iso_code"
            ),
        ]

    def __str__(self) -> str:
        return f"1 EUR = {self.per_euro} {self.currency}"
