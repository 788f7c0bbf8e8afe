"""Logo uploads: accept real raster images only, keep them small."""

import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def normalised_logo(upload: UploadedFile) -> SimpleUploadedFile:
    """Return the upload re-encoded as PNG, at most LOGO_MAX_PIXELS on its longer side.

    Raises ValidationError for files that are too big or not a PNG, JPEG, WebP or GIF image.
    """
    if upload.size > settings.LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.LOGO_MAX_BYTES),
            }
        )
    try:
        upload.seek(0)
        image = Image.open(upload)
        image_format = image.format
        image.verify()  # detects truncated or corrupt files; the image must be reopened after
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(_("Upload a PNG, JPEG, WebP or GIF image.")) from exc
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(_("Upload a PNG, JPEG, WebP or GIF image."))
    if image.width * image.height > 40_000_000:
        raise ValidationError(_("The image has too many pixels."))
    image = image.convert("RGBA")
    image.thumbnail((settings.LOGO_MAX_PIXELS, settings.LOGO_MAX_PIXELS))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    name = f"{Path(upload.name or 'logo').stem[:60] or 'logo'}.png"
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
