"""The EU funding-call import: row parsing on real rows, and the import of the real file."""

import gzip
import json
from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from clustercollab.content.importers.call_rows import (
    RowError,
    call_row_clean,
    has_mojibake,
    parse_deadline,
    parse_deadlines,
    parse_eur_amount,
    text_repair,
)
from clustercollab.content.importers.funding_calls import CALLS_DIR, funding_calls_import
from clustercollab.content.models import CallSource, CallStatus, DeadlineModel, FundingCall
from clustercollab.core.models import AuditLogEntry
from clustercollab.core.moderation import ModerationStatus

CALLS_PATH = Path(settings.SHARED_DATA_DIR) / CALLS_DIR
# The snapshot's date (SOURCE.md): the portal's statuses were true on this day.
SNAPSHOT_DAY = datetime(2026, 8, 12, 12, 0, tzinfo=UTC)
MOJIBAKE_SEQUENCES = ("â€", "Ã©", "Ã¨", "Ã¤", "Ã¶", "Ã¼", "Â ", "\ufffd")


def real_rows() -> dict[str, dict]:
    path = next(CALLS_PATH.glob("*.jsonl.gz"))
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        rows = [json.loads(line) for line in stream]
    return {row["topicId"]: row for row in rows}


@pytest.fixture(scope="module")
def rows():
    return real_rows()


def write_rows(directory: Path, lines: list[str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    with gzip.open(directory / "calls.jsonl.gz", "wt", encoding="utf-8") as stream:
        stream.write("\n".join(lines) + "\n")
    return directory


# --- parsing (pure) ---------------------------------------------------------------------------


def test_it_repairs_mojibake_in_a_real_title(rows):
    title = next(row["title"] for row in rows.values() if "Womenâ€™s" in row["title"])
    assert "â€" in title
    repaired = text_repair(title)
    assert "Women’s Political" in repaired
    assert "Papua New Guinea (PNG) – Civic" in repaired
    assert not has_mojibake(repaired)
    assert text_repair(repaired) == repaired


def test_it_leaves_correct_text_alone():
    for text in ("Europe’s café – “quoted”", "Ääkköset öljyssä", "Straße", "plain ASCII"):
        assert text_repair(text) == text


def test_it_repairs_latin1_mojibake():
    assert text_repair("cafÃ© crÃ¨me") == "café crème"


def test_a_real_row_is_cleaned(rows):
    row = call_row_clean(rows["ERC-2026-POC"])
    assert row.title == "ERC PROOF OF CONCEPT GRANTS"
    assert row.programme == "Horizon Europe"
    assert row.call_identifier == "ERC-2026-POC"
    # 17 March 2026 at 17:00 in Brussels (CET, UTC+1) is 16:00 UTC.
    assert row.deadline_at == datetime(2026, 3, 17, 16, 0, tzinfo=UTC)
    assert row.budget == Decimal("150000.00")
    assert row.expected_grants == 400
    assert row.link.startswith("https://ec.europa.eu/")
    assert "beneficiaries’ personnel costs" in row.description
    assert not has_mojibake(row.description)
    assert row.description.startswith("<p><strong>Objective:</strong>")


def test_a_real_two_stage_row(rows):
    topic = next(topic for topic, row in rows.items() if row["deadlineModel"] == "two-stage")
    row = call_row_clean(rows[topic])
    assert row.deadline_model == DeadlineModel.TWO_STAGE
    assert row.deadline_at.tzinfo is not None
    assert row.second_deadline_at is None  # the data gives the first stage only


def test_two_stage_deadlines_are_split():
    first, second = parse_deadlines("2026-09-23; 2027-04-14")
    assert first == datetime(2026, 9, 23, 15, 0, tzinfo=UTC)  # CEST, UTC+2
    assert second == datetime(2027, 4, 14, 15, 0, tzinfo=UTC)
    row = call_row_clean(
        {
            "topicId": "X-1",
            "title": "Two stages",
            "programme": "Horizon Europe",
            "deadline": ["2027-04-14", "2026-09-23"],
            "deadlineModel": "two-stage",
        }
    )
    assert (row.deadline_at, row.second_deadline_at) == (first, second)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-09-23", datetime(2026, 9, 23, 15, 0, tzinfo=UTC)),
        ("2026-12-01", datetime(2026, 12, 1, 16, 0, tzinfo=UTC)),  # winter time, UTC+1
        ("2026-09-23 17:00:00 Brussels time", datetime(2026, 9, 23, 15, 0, tzinfo=UTC)),
        ("2026-09-23T17:00:00+02:00", datetime(2026, 9, 23, 15, 0, tzinfo=UTC)),
        ("2026-09-23T15:00:00Z", datetime(2026, 9, 23, 15, 0, tzinfo=UTC)),
        # Real phrasings from the topics' conditions:
        ("17 September 2026 17:00 (Brussels time)", datetime(2026, 9, 17, 15, 0, tzinfo=UTC)),
        ("November, 3 2026 17:00 (Brussels time)", datetime(2026, 11, 3, 16, 0, tzinfo=UTC)),
        (
            "15 September 2026 â€“ 17:00:00 CET (Brussels)",
            datetime(2026, 9, 15, 15, 0, tzinfo=UTC),
        ),
        ("12:00 UTC, 1 October 2026", datetime(2026, 10, 1, 12, 0, tzinfo=UTC)),
    ],
)
def test_deadlines_become_utc(text, expected):
    deadline = parse_deadline(text)
    assert deadline == expected
    assert deadline.utcoffset().total_seconds() == 0


@pytest.mark.parametrize("text", ["soon", "2026-13-45", "", "31 February 2026"])
def test_a_bad_deadline_is_refused(text):
    with pytest.raises(RowError):
        parse_deadline(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (150000, "150000"),
        ("3000000", "3000000"),
        ("EUR 3 000 000", "3000000"),
        ("€ 2.5 million", "2500000"),
        ("EUR 3.00 million", "3000000"),
        ("3,5 Mio EUR", "3500000"),
        ("15,000", "15000"),
        ("1.234.567,89", "1234567.89"),
        ("EUR 1,500,000.50", "1500000.50"),
        (None, None),
        ("", None),
    ],
)
def test_budgets_in_the_formats_found(value, expected):
    amount = parse_eur_amount(value)
    assert amount == (Decimal(expected) if expected is not None else None)


@pytest.mark.parametrize("value", ["a lot", "-5", "EUR 3 apples", True, [1]])
def test_a_bad_budget_is_refused(value):
    with pytest.raises(RowError):
        parse_eur_amount(value)


# --- the import -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_real_file_imports_once_and_a_rerun_changes_nothing():
    report = []
    result = funding_calls_import(directory=CALLS_PATH, report=report.append)
    assert result.created >= 600
    assert result.skipped == 0 and report == []

    calls = FundingCall.objects.all()
    assert calls.count() >= 600
    assert set(calls.values_list("status", flat=True)) == {ModerationStatus.PUBLISHED}
    assert set(calls.values_list("source", flat=True)) == {CallSource.IMPORTED}
    for title, description in calls.values_list("title", "description"):
        for sequence in MOJIBAKE_SEQUENCES:
            assert sequence not in title
            assert sequence not in description
    for call in calls:
        assert call.deadline_at is not None and call.deadline_at.utcoffset().total_seconds() == 0
    poc = calls.get(topic_identifier="ERC-2026-POC")
    assert poc.deadline_at == datetime(2026, 3, 17, 16, 0, tzinfo=UTC)
    assert poc.budget == Decimal("150000.00")

    statuses = {status: 0 for status in CallStatus}
    for call in calls:
        statuses[call.status_at(SNAPSHOT_DAY)] += 1
    # SOURCE.md: 363 open, 262 forthcoming, 4 closed at the time of the snapshot.
    expected = {CallStatus.OPEN: 363, CallStatus.FORTHCOMING: 262, CallStatus.CLOSED: 4}
    assert statuses == expected
    for status, number in expected.items():
        assert FundingCall.objects.with_status(status, SNAPSHOT_DAY).count() == number
    assert calls.get(topic_identifier="ERC-2026-POC").status_at(SNAPSHOT_DAY) == CallStatus.CLOSED
    # Half a year later the 2026 deadlines have passed.
    later = datetime(2027, 2, 1, tzinfo=UTC)
    assert FundingCall.objects.with_status(CallStatus.CLOSED, later).count() > 4

    entries = AuditLogEntry.objects.filter(action="content.funding_calls.imported").count()
    again = funding_calls_import(directory=CALLS_PATH, report=report.append)
    assert (again.created, again.updated, again.unchanged) == (0, 0, result.created)
    assert AuditLogEntry.objects.filter(action="content.funding_calls.imported").count() == entries


@pytest.mark.django_db
def test_a_changed_row_updates_and_a_broken_row_is_reported(tmp_path, rows):
    good = rows["ERC-2026-POC"]
    other = rows[next(topic for topic in rows if topic != "ERC-2026-POC")]
    directory = write_rows(tmp_path / "v1", [json.dumps(good), json.dumps(other)])
    funding_calls_import(directory=directory, report=lambda message: None)

    changed = {**good, "deadline": "2026-03-24", "budgetMax": "EUR 200 000"}
    broken = {**other, "topicId": "BROKEN-1", "deadline": "some day"}
    directory = write_rows(
        tmp_path / "v2",
        [json.dumps(changed), json.dumps(other), json.dumps(broken), "{not json"],
    )
    report = []
    result = funding_calls_import(directory=directory, report=report.append)
    assert (result.created, result.updated, result.unchanged, result.skipped) == (0, 1, 1, 2)
    assert "line 3 (BROKEN-1)" in report[0] and "deadline 'some day' is not a date" in report[0]
    assert "line 4" in report[1] and "not valid JSON" in report[1]
    call = FundingCall.objects.get(topic_identifier="ERC-2026-POC")
    assert call.deadline_at == datetime(2026, 3, 24, 16, 0, tzinfo=UTC)
    assert call.budget == Decimal("200000.00")
    assert not FundingCall.objects.filter(topic_identifier="BROKEN-1").exists()


@pytest.mark.django_db
def test_a_call_staff_took_over_is_not_overwritten(tmp_path, rows):
    directory = write_rows(tmp_path, [json.dumps(rows["ERC-2026-POC"])])
    funding_calls_import(directory=directory, report=lambda message: None)
    FundingCall.objects.update(source=CallSource.POSTED, title="Edited by staff")
    result = funding_calls_import(directory=directory, report=lambda message: None)
    assert result.kept == 1
    assert FundingCall.objects.get().title == "Edited by staff"


@pytest.mark.django_db
def test_the_command_skips_an_unchanged_import(tmp_path, rows):
    directory = write_rows(tmp_path, [json.dumps(rows["ERC-2026-POC"]), "[]"])
    out, err = StringIO(), StringIO()
    call_command("import_funding_calls", "--data-dir", directory, stdout=out, stderr=err)
    assert "1 created" in out.getvalue()
    assert "line 2: not a JSON object" in err.getvalue()
    out = StringIO()
    call_command(
        "import_funding_calls", "--data-dir", directory, "--if-changed", stdout=out, stderr=err
    )
    assert "nothing to do" in out.getvalue()
    assert FundingCall.objects.count() == 1
