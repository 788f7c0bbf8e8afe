"""Import of the EU Funding & Tenders call topics as published funding calls.

Reads ``eu-funding-calls/*.jsonl.gz`` of the shared data directory (one JSON object per line).
Every row is checked by ``call_row_clean`` first; a broken row is reported with its line number
and topic identifier and skipped. The rest is written in one transaction keyed by the topic
identifier: new topics are created as published staff content, changed ones updated, unchanged
ones left alone, so a second run changes nothing. A call that staff turned into a posted call
(its source is no longer "imported") is not overwritten.
"""

import gzip
import hashlib
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from clustercollab.content.importers.call_rows import CallRow, RowError, call_row_clean
from clustercollab.content.models import CallSource, FundingCall
from clustercollab.core.audit import audit_log
from clustercollab.core.models import DataImport, IndustrialEcosystem
from clustercollab.core.moderation import ModerationStatus

CALLS_DIR = "eu-funding-calls"
IMPORT_NAME = "eu-funding-calls"
_CODE_DIR = Path(__file__).resolve().parent

# The FundingCall fields the import owns; everything else (moderation, author) it leaves alone.
_FIELDS = [
    name
    for name in CallRow.__dataclass_fields__
    if name not in {"topic_identifier", "ecosystem_names"}
]


@dataclass
class CallImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # taken over by staff: not overwritten
    skipped: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def as_dict(self) -> dict[str, int]:
        return {
            name: getattr(self, name)
            for name in ("created", "updated", "unchanged", "kept", "skipped")
        }


def _stderr(message: str) -> None:
    sys.stderr.write(message + "\n")


def call_files(directory: Path) -> list[Path]:
    paths = sorted(Path(directory).glob("*.jsonl.gz")) + sorted(Path(directory).glob("*.jsonl"))
    if not paths:
        raise FileNotFoundError(f"No *.jsonl.gz file in {directory}")
    return paths


def _read_lines(path: Path) -> Iterator[tuple[int, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig") as stream:
        yield from enumerate(stream, start=1)


def read_call_rows(
    paths: list[Path], *, report: Callable[[str], None], result: CallImportResult
) -> dict[str, CallRow]:
    """Return the checked rows by topic identifier; report and skip the broken ones."""
    rows: dict[str, CallRow] = {}
    for path in paths:
        for line_number, line in _read_lines(path):
            if not line.strip():
                continue
            where = f"{path.name} line {line_number}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                problem = f"{where}: not valid JSON ({error.msg})"
            else:
                topic = data.get("topicId") if isinstance(data, dict) else None
                if topic:
                    where += f" ({topic})"
                try:
                    row = call_row_clean(data)
                except RowError as error:
                    problem = f"{where}: {error}"
                else:
                    if row.topic_identifier in rows:
                        problem = f"{where}: topic {row.topic_identifier} appears twice"
                    else:
                        rows[row.topic_identifier] = row
                        continue
            result.skipped += 1
            result.problems.append(problem)
            report(f"Skipped {problem}")
    return rows


def _values(row: CallRow) -> dict:
    return {name: getattr(row, name) for name in _FIELDS}


def funding_calls_import(
    *,
    directory: Path,
    report: Callable[[str], None] = _stderr,
    show_progress: bool = False,
) -> CallImportResult:
    """Import the call topics in ``directory``; return what was created, updated and skipped."""
    result = CallImportResult()
    rows = read_call_rows(call_files(directory), report=report, result=result)
    ecosystems = dict(IndustrialEcosystem.objects.values_list("name", "id"))
    existing = {
        call.topic_identifier: call
        for call in FundingCall.objects.filter(topic_identifier__in=list(rows)).prefetch_related(
            "ecosystems"
        )
    }
    now = timezone.now()
    with transaction.atomic():
        for row in tqdm(
            rows.values(), desc="Funding calls", unit=" calls", disable=not show_progress
        ):
            values = _values(row)
            ecosystem_ids = {ecosystems[name] for name in row.ecosystem_names if name in ecosystems}
            call = existing.get(row.topic_identifier)
            if call is None:
                call = FundingCall(
                    topic_identifier=row.topic_identifier,
                    source=CallSource.IMPORTED,
                    status=ModerationStatus.PUBLISHED,
                    published_at=now,
                    language="en",
                    **values,
                )
                call.save()
                call.ecosystems.set(ecosystem_ids)
                result.created += 1
                continue
            if call.source != CallSource.IMPORTED:
                result.kept += 1
                continue
            changed = [name for name, value in values.items() if getattr(call, name) != value]
            for name in changed:
                setattr(call, name, values[name])
            if changed:
                call.save(update_fields=[*changed, "updated_at"])
            if {e.pk for e in call.ecosystems.all()} != ecosystem_ids:
                call.ecosystems.set(ecosystem_ids)
                changed.append("ecosystems")
            if changed:
                result.updated += 1
            else:
                result.unchanged += 1
        if result.changed:
            audit_log(
                actor=None,
                action="content.funding_calls.imported",
                data={**result.as_dict(), "directory": str(directory)},
            )
    return result


def funding_calls_fingerprint(directory: Path) -> str:
    """Return a hash of the call files and the importer's source code."""
    digest = hashlib.sha256()
    for path in call_files(directory) + sorted(_CODE_DIR.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def last_funding_calls_import(fingerprint: str) -> DataImport | None:
    return DataImport.objects.filter(name=IMPORT_NAME, fingerprint=fingerprint).first()


def funding_calls_import_record(*, fingerprint: str, result: CallImportResult) -> DataImport:
    return DataImport.objects.create(
        name=IMPORT_NAME,
        fingerprint=fingerprint,
        summary={**result.as_dict(), "problems": result.problems[:100]},
    )
