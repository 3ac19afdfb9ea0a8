"""Staff accounts: logging in with an email, resetting a forgotten password, and the
invitation a new recruiter receives to set their first one.

A recruiter added without a password has an unusable one; Django's reset form skips such
users (they might log in elsewhere), which left them locked out for good. Here every active
staff user may set a password through a reset link, the invitation included.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.auth import ThrottledAdminAuthenticationForm

logger = logging.getLogger(__name__)


class EmailLoginForm(ThrottledAdminAuthenticationForm):
    """Admin's login form: staff log in with their email address, and the field says so."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = gettext_lazy("Email")
        self.fields["username"].widget.attrs["autocomplete"] = "email"


class StaffPasswordResetForm(PasswordResetForm):
    """Reset for every active staff user with this email, a password never set included."""

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(
            email__iexact=email, is_active=True, is_staff=True
        )
        return (user for user in users if user.email.casefold() == email.casefold())


def set_password_url(user) -> str:
    """An absolute link where the user sets a new password (valid until they use it, or for
    PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def recruiter_invite(*, user, company) -> bool:
    """Email a new recruiter a link to set their password, in their language. Returns
    whether it was sent; a mail server's failure is logged, never raised (the recruiter
    exists already, and the reset page sends a new link)."""
    profile = getattr(user, "profile", None)
    language = profile.language if profile is not None else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"user": user, "company": company, "url": set_password_url(user)}
        message = EmailMessage(
            subject=_("Your account on the job board for %(company)s") % {"company": company},
            body=render_to_string("companies/email/invitation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
            headers={"Content-Language": language},
        )
    try:
        message.send()
    except OSError:  # smtplib's errors included
        logger.warning("invitation not sent", extra={"user_id": user.pk}, exc_info=True)
        return False
    return True
