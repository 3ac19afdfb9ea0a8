"""The languages of admin's language switch (templates/admin/base_site.html)."""

from django import template
from django.conf import settings
from django.utils.translation import get_language_info

register = template.Library()


@register.simple_tag
def admin_languages() -> list[tuple[str, str]]:
    """Each language named in itself, as people look for their own."""
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]
