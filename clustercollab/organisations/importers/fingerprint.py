"""A fingerprint of the demo import's inputs and code, so an unchanged import can be skipped."""

import hashlib
import json
from pathlib import Path

from clustercollab.core.models import DataImport

IMPORT_NAME = "cordis-demo-data"
_CODE_DIR = Path(__file__).resolve().parent


def demo_data_fingerprint(*, directory: Path, options: dict) -> str:
    """Return a hash of the CSV files, the importer's source code and the import options."""
    digest = hashlib.sha256()
    paths = sorted(p for p in directory.iterdir() if p.suffix in {".csv", ".gz"})
    paths += sorted(_CODE_DIR.glob("*.py"))
    for path in paths:
        digest.update(path.name.encode())
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def last_demo_data_import(fingerprint: str) -> DataImport | None:
    """Return the last completed import with this fingerprint, if any."""
    return DataImport.objects.filter(name=IMPORT_NAME, fingerprint=fingerprint).first()


def demo_data_import_record(*, fingerprint: str, summary: dict) -> DataImport:
    return DataImport.objects.create(name=IMPORT_NAME, fingerprint=fingerprint, summary=summary)
