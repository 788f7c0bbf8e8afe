"""Checks on uploaded publication files: a real PDF within the size limit.

A file passes when it is no larger than ``PUBLICATION_FILE_MAX_BYTES``, starts with the PDF
signature ``%PDF-`` and pypdf can read its page tree. The text of its first pages feeds the
library's full-text search.
"""

import logging
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

logger = logging.getLogger(__name__)

PDF_SIGNATURE = b"%PDF-"
# Only the first pages' text is indexed: enough to find a paper by its content.
INDEXED_PAGES = 20
INDEXED_CHARACTERS = 50_000
END_MARKER_WINDOW = 1024


def publication_upload_to(instance: object, filename: str) -> str:
    """An unguessable name under publications/; downloads go through a permission check."""
    return f"publications/{uuid.uuid4().hex}.pdf"


def validate_pdf(file: File) -> None:
    """Raise ValidationError unless ``file`` is a readable PDF within the size limit."""
    limit = settings.PUBLICATION_FILE_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    if PurePath(file.name or "").suffix.lower() != ".pdf":
        raise ValidationError(_("Upload a PDF file (its name ends in .pdf)."), code="not_pdf")
    file.seek(0)
    head = file.read(len(PDF_SIGNATURE))
    file.seek(0)
    if head != PDF_SIGNATURE:
        raise ValidationError(
            _("This file is not a PDF: it does not start with the PDF signature “%PDF-”."),
            code="not_pdf",
        )
    broken = ValidationError(
        _("This PDF cannot be read; it may be damaged. Export it again and upload it."),
        code="broken_pdf",
    )
    # Readers look for the end marker in the last kilobyte; without it pypdf would search the
    # whole file line by line (seconds for a large upload) before giving up.
    file.seek(max(0, (file.size or 0) - END_MARKER_WINDOW))
    tail = file.read()
    file.seek(0)
    if b"%%EOF" not in tail:
        raise broken
    try:
        reader = PdfReader(file)
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        logger.info("Unreadable PDF upload: %s", error)
        raise broken from error
    finally:
        file.seek(0)
    if pages == 0:
        raise ValidationError(_("This PDF has no pages."), code="empty_pdf")


def pdf_text(file: File) -> str:
    """Text of the first pages of a PDF already validated; empty when none can be extracted."""
    try:
        file.seek(0)
        reader = PdfReader(file)
        parts = []
        for page in reader.pages[:INDEXED_PAGES]:
            parts.append(page.extract_text() or "")
            if sum(map(len, parts)) > INDEXED_CHARACTERS:
                break
        # PostgreSQL text columns refuse NUL characters.
        return " ".join(parts)[:INDEXED_CHARACTERS].replace("\x00", "")
    except Exception:  # noqa: BLE001 - text is a search aid; a file that yields none is fine
        logger.info("No text extracted from %s", getattr(file, "name", "?"))
        return ""
    finally:
        file.seek(0)
