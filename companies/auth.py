"""Admin login that slows password guessing down: a cap on failures per IP and per username.

Counters live in the cache (Redis in production, so every web process shares them). A locked
client gets a clear message and no authentication attempt at all until the window passes.
"""

import hashlib

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()
    return f"login-failures:{kind}:{digest}"


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def _keys(request, username: str) -> list[tuple[str, int]]:
    keys = [(_key("ip", _client_ip(request)), settings.LOGIN_FAILURES_PER_IP)]
    if username:
        keys.append((_key("user", username.strip().lower()), settings.LOGIN_FAILURES_PER_USERNAME))
    return keys


def login_locked(request, username: str) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(request, username))


def login_failed(request, username: str) -> None:
    for key, _limit in _keys(request, username):
        # add() sets the window on the first failure only; incr() keeps it.
        cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def login_succeeded(request, username: str) -> None:
    # The username's counter only: a shared office IP should not be reset by one success.
    cache.delete(_key("user", username.strip().lower()))


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if login_locked(self.request, username):
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
        try:
            cleaned = super().clean()
        except ValidationError:
            login_failed(self.request, username)
            raise
        login_succeeded(self.request, username)
        return cleaned
