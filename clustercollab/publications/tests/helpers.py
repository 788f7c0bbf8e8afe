"""Builders of test PDFs and library items."""

from datetime import date, timedelta
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clustercollab.core.models import Country, IndustrialEcosystem
from clustercollab.core.moderation import ModerationStatus
from clustercollab.publications.files import pdf_text
from clustercollab.publications.models import Publication, PublicationType, TransitionResource

_numbers = count(1)


def pdf_bytes(text: str = "Test publication") -> bytes:
    """A small, well-formed one-page PDF whose page shows ``text``."""
    stream = f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_upload(text: str = "Test publication", name: str = "paper.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def make_publication(
    *,
    authors=(),
    status=ModerationStatus.PUBLISHED,
    publication_type=PublicationType.REPORT,
    ecosystems=(),
    countries=(),
    text: str = "Test publication",
    **fields,
) -> Publication:
    number = next(_numbers)
    values = {
        "title": f"Test publication {number}",
        "slug": f"test-publication-{number}",
        "summary": "A test summary.",
        "publication_type": publication_type,
        "publication_date": date(2025, 3, 1),
        "status": status,
    }
    if status == ModerationStatus.PUBLISHED:
        values["published_at"] = timezone.now() - timedelta(minutes=5)
    values.update(fields)
    publication = Publication(**values)
    upload = pdf_upload(text)
    publication.file = upload
    publication.file_text = pdf_text(upload)
    publication.save()
    publication.authors.set(authors)
    publication.ecosystems.set(IndustrialEcosystem.objects.filter(slug__in=ecosystems))
    publication.countries.set(Country.objects.filter(code__in=countries))
    return publication


def make_resource(*, status=ModerationStatus.PUBLISHED, ecosystems=(), **fields):
    number = next(_numbers)
    values = {
        "title": f"Test resource {number}",
        "slug": f"test-resource-{number}",
        "kind": "guide",
        "theme": "circular_economy",
        "status": status,
    }
    if status == ModerationStatus.PUBLISHED:
        values["published_at"] = timezone.now() - timedelta(minutes=5)
    values.update(fields)
    resource = TransitionResource.objects.create(**values)
    resource.ecosystems.set(IndustrialEcosystem.objects.filter(slug__in=ecosystems))
    return resource
