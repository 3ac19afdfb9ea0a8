"""Strings Django's admin shows whose translations Django's own catalogs lack (or leave
empty) in some of our languages, as of Django 6.1: our catalogs carry them. Marked here so
that `makemessages` keeps them; nothing imports this module."""

from django.utils.translation import gettext_noop, ngettext

ADMIN_STRINGS = [
    gettext_noop("- Select an option -"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop("Search %(name)s"),
    # Django's Spanish speaks to recruiters as usted; the board says tú throughout.
    gettext_noop("You may edit it again below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("Yes, I’m sure"),
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Your password was changed."),
    gettext_noop(
        "Please enter your new password twice so we can verify you typed it in correctly."
    ),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we’ll email "
        "instructions for setting a new one."
    ),
]


def _plurals(count: int) -> None:  # never called: `makemessages` reads the call
    ngettext("Please correct the error below.", "Please correct the errors below.", count)
