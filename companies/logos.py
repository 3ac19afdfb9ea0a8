"""Company logos: what an upload must be, and what is stored of it.

An upload is refused beyond LOGO_MAX_BYTES, beyond LOGO_MAX_PIXELS (read from the image's
header, before anything is decoded: a small file may describe a 144-megapixel image that
takes gigabytes to decode), or unless it is a PNG, JPEG, WebP or GIF image by both its name
and its content. What is stored is never the upload itself: the image is decoded and encoded
anew as a PNG of at most LOGO_STORED_SIZE pixels a side, so no other content (scripts in an
SVG, an HTML page with an image's name, a polyglot) can reach /media/.
"""

import io
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 4096 * 4096
LOGO_STORED_SIZE = 512
LOGO_EXTENSIONS = {".png", ".jpg", ".jpeg", ".webp", ".gif"}
LOGO_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def logo_clean(upload) -> ContentFile:
    """The upload as it is stored (a new PNG), or ValidationError saying what is wrong."""
    if PurePath(upload.name or "").suffix.lower() not in LOGO_EXTENSIONS:
        raise ValidationError(
            _("A logo must be a PNG, JPEG, WebP or GIF image."), code="logo_type"
        )
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("A logo may be %(megabytes)s MB at most.") % {"megabytes": LOGO_MAX_BYTES >> 20},
            code="logo_bytes",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format not in LOGO_FORMATS:
                raise ValidationError(
                    _("A logo must be a PNG, JPEG, WebP or GIF image."), code="logo_type"
                )
            width, height = image.size
            if width * height > LOGO_MAX_PIXELS:
                raise ValidationError(
                    _("A logo may be %(pixels)s pixels at most (%(side)s × %(side)s).")
                    % {"pixels": f"{LOGO_MAX_PIXELS:,}", "side": 4096},
                    code="logo_pixels",
                )
            image.seek(0)
            image.load()
            stored = image.convert("RGBA")
    except (OSError, SyntaxError, Image.DecompressionBombError, EOFError):
        raise ValidationError(
            _("This file could not be read as an image."), code="logo_unreadable"
        ) from None
    stored.thumbnail((LOGO_STORED_SIZE, LOGO_STORED_SIZE))
    output = io.BytesIO()
    stored.save(output, format="PNG", optimize=True)
    name = slugify(PurePath(upload.name).stem)[:50] or "logo"
    return ContentFile(output.getvalue(), name=f"{name}.png")


def logo_forget(name: str) -> None:
    """Delete a replaced or cleared logo's file once the change is committed."""
    from django.core.files.storage import default_storage
    from django.db import transaction

    transaction.on_commit(lambda: default_storage.delete(name))
