from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from locales.countries import validate_country_code
from locales.languages import Language


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
