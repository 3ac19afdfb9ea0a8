"""What a job alert's subscriber agrees to, and under which version of the privacy notice."""

from django.utils import translation
from django.utils.translation import gettext_lazy

# The date of the privacy notice's current text: an alert records the version its
# subscriber agreed to. Change it whenever the notice says something new.
PRIVACY_NOTICE_VERSION = "2026-12-06"

# Shown under the alert form and stored, in the subscriber's language, with the alert.
ALERT_CONSENT = gettext_lazy(
    "By subscribing, you agree that we keep your email address, this search and your "
    "language to send you these emails until you unsubscribe."
)


def alert_consent(language: str) -> dict[str, str]:
    """What an alert records of its subscriber's consent, given in `language`."""
    with translation.override(language):
        return {"consent_text": str(ALERT_CONSENT), "consent_version": PRIVACY_NOTICE_VERSION}
