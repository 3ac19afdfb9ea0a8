"""Strings Django's admin shows whose translations Django's own catalogs lack (or leave
empty) in some of our languages, as of Django 6.1: our catalogs carry them. Marked here so
that `makemessages` keeps them; nothing imports this module."""

from django.utils.translation import gettext_noop

ADMIN_STRINGS = [
    gettext_noop("- Select an option -"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop("Search %(name)s"),
]
