"""Image uploads on news and success stories: real raster images only, bounded in size."""

import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def normalised_image(upload: UploadedFile) -> SimpleUploadedFile:
    """Return the upload re-encoded (JPEG, or PNG with transparency), at most
    CONTENT_IMAGE_MAX_PIXELS on its longer side.

    Raises ValidationError for files that are too big or not a PNG, JPEG, WebP or GIF image.
    """
    if upload.size > settings.CONTENT_IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.CONTENT_IMAGE_MAX_BYTES),
            },
            code="too_big",
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
        raise ValidationError(_("Upload a PNG, JPEG, WebP or GIF image."), code="invalid") from exc
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(_("Upload a PNG, JPEG, WebP or GIF image."), code="invalid")
    if image.width * image.height > 40_000_000:
        raise ValidationError(_("The image has too many pixels."), code="too_many_pixels")
    limit = settings.CONTENT_IMAGE_MAX_PIXELS
    stem = Path(upload.name or "image").stem[:60] or "image"
    out = io.BytesIO()
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        image.thumbnail((limit, limit))
        image.save(out, format="PNG", optimize=True)
        return SimpleUploadedFile(f"{stem}.png", out.getvalue(), content_type="image/png")
    image = image.convert("RGB")
    image.thumbnail((limit, limit))
    image.save(out, format="JPEG", quality=85, optimize=True)
    return SimpleUploadedFile(f"{stem}.jpg", out.getvalue(), content_type="image/jpeg")
