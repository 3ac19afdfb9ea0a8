"""Shapes that JSON fields must have: a value of another shape is a form error, never a page
that fails to render."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CEFR_LEVELS = {"A1", "A2", "B1", "B2", "C1", "C2"}
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")
MAX_LANGUAGE_REQUIREMENTS = 10


def validate_language_requirements(value) -> None:
    """A list of at most ten {"language": "en", "level": "C1"} objects: a language code, and
    a CEFR level or none ("")."""
    message = _(
        'Language requirements must be a list such as [{"language": "en", "level": "C1"}]: '
        "a language code, and a level from A1 to C2 or none."
    )
    if not isinstance(value, list) or len(value) > MAX_LANGUAGE_REQUIREMENTS:
        raise ValidationError(message, code="language_requirements")
    for item in value:
        if (
            not isinstance(item, dict)
            or not set(item) <= {"language", "level"}
            or not isinstance(item.get("language"), str)
            or not LANGUAGE_CODE.fullmatch(item["language"])
            or item.get("level", "") not in CEFR_LEVELS | {""}
        ):
            raise ValidationError(message, code="language_requirements")
