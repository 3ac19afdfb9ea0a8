"""Month names as each language writes them inside a date.

Django names the months of its date formats ("F" in DATE_FORMAT) from its own catalogs, and
the site's catalogs (LOCALE_PATHS) come first. Brazilian Portuguese writes months in lower
case, "5 de dezembro de 2026", where Django's catalog capitalises them: the site's catalogs
name all twelve in every language, so a date reads as each language writes it.
"""

from django.utils.translation import gettext_noop

MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
