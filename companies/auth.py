"""Admin login that slows password guessing down: a cap on failures per client address, and
per username from each address.

A username's failures count per address: a stranger who guesses the owner's password only
locks themselves out (of that username, from their address), never the owner, who logs in from
their own. Every attempt is counted before the password is checked, with one atomic increment
per counter, so concurrent guesses cannot all slip in under the limit; a success gives its
attempt back. Counters live in the `counters` cache (a Redis that every web process shares
and that never evicts: config/caches.py). A locked client gets a clear message and no
authentication attempt at all until the window passes. An IPv6 client counts per /64
(config.clients).
"""

import contextlib
import hashlib

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from config.cache import counters
from config.clients import request_client


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()
    return f"login-attempts:{kind}:{digest}"


def _keys(request, username: str) -> list[tuple[str, int]]:
    client = request_client(request)
    keys = [(_key("ip", client), settings.LOGIN_FAILURES_PER_IP)]
    if username:
        user = username.strip().lower()
        keys.append((_key("user", f"{user}\0{client}"), settings.LOGIN_FAILURES_PER_USERNAME))
    return keys


def _count(key: str) -> int:
    """One more attempt on `key`, atomically; its window starts at the first."""
    counters.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    try:
        return counters.incr(key)
    except ValueError:  # expired between add() and incr()
        counters.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        return 1


def login_attempt(request, username: str) -> bool:
    """Count an attempt for the address, and for the username from it; False when either is
    over its limit (this attempt included): the password must not even be checked."""
    return all(_count(key) <= limit for key, limit in _keys(request, username))


def login_succeeded(request, username: str) -> None:
    """The right password: this username's failures from this address are forgotten, and the
    attempt is not held against the address (a shared office address keeps its others)."""
    (address, _limit), *of_username = _keys(request, username)
    for key, _limit in of_username:
        counters.delete(key)
    with contextlib.suppress(ValueError):  # the window has ended meanwhile
        counters.decr(address)


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if not login_attempt(self.request, username):
            minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
            raise ValidationError(
                ngettext(
                    "Too many failed login attempts. For your security, please wait "
                    "%(minutes)s minute before trying again.",
                    "Too many failed login attempts. For your security, please wait "
                    "%(minutes)s minutes before trying again.",
                    minutes,
                )
                % {"minutes": minutes},
                code="locked",
            )
        cleaned = super().clean()  # a failure stays counted
        login_succeeded(self.request, username)
        return cleaned
