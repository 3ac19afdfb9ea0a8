"""Addresses of pages that take no arguments, in each language version."""

from functools import cache

from django.urls import get_script_prefix, reverse
from django.utils import translation


def page_path(name: str, code: str) -> str:
    """The path of page `name` under language `code`'s prefix ("/fr/"): a list page asks for
    several, some a dozen times, and reversing one costs more than the rest of its link.

    Each process keeps only the part after the script prefix, and puts the request's own
    prefix in front on every call: a path cached while serving one request can never carry
    that request's prefix into another's links."""
    return get_script_prefix() + _tail(name, code)


@cache
def _tail(name: str, code: str) -> str:
    with translation.override(code):
        path = reverse(name)
    prefix = get_script_prefix()
    return path[len(prefix) :] if path.startswith(prefix) else path.lstrip("/")
