"""Addresses of pages that take no arguments, in each language version."""

from functools import cache

from django.urls import reverse
from django.utils import translation


@cache
def page_path(name: str, code: str) -> str:
    """The path of page `name` under language `code`'s prefix ("/fr/"), fixed for a release:
    a list page asks for several, some a dozen times, and reversing one costs more than the
    rest of its link."""
    with translation.override(code):
        return reverse(name)
