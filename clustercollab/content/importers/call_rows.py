"""Reading and checking the EU Funding & Tenders call topics (pure functions).

Each JSON row is checked by ``call_row_clean``; a broken row raises ``RowError`` whose message
says why, and the import reports it with its line number and topic identifier and skips it.

The source (see ``eu-funding-calls/SOURCE.md``) was decoded with the wrong code page somewhere
upstream, so about 480 descriptions read "beneficiariesâ€™" for "beneficiaries’"; ``text_repair``
undoes that. Deadlines are dates or date-times "in Brussels time" and are stored in UTC.
"""

import html
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import ftfy
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import Truncator, slugify

from clustercollab.content.models import DeadlineModel, sanitise_rich_text

BRUSSELS = "Europe/Brussels"
# The Funding & Tenders Portal closes every submission at 17:00:00 Brussels time unless the
# topic says otherwise; a bare date in the data means that moment.
DEFAULT_DEADLINE_TIME = time(17, 0)
MAX_TITLE_LENGTH = 250
MAX_SUMMARY_LENGTH = 300
MAX_BUDGET = Decimal("1e13")  # the model's max_digits=15, decimal_places=2

# Sequences that only appear when UTF-8 was read as Windows-1252 or Latin-1 (tests scan for them).
MOJIBAKE_PATTERN = re.compile("â€|Ã[\u0080-\u00bf]|Â[\u0080-\u00bf]|\u00c2\u00a0|\ufffd")

_REPAIR_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    normalization="NFC",
)

DEADLINE_MODELS = {
    "single-stage": DeadlineModel.SINGLE_STAGE,
    "two-stage": DeadlineModel.TWO_STAGE,
    "multiple cut-off": DeadlineModel.MULTIPLE_CUT_OFF,
}

# Ecosystems a topic is about, from its Horizon Europe cluster or its programme. Only the clear
# cases: a topic of another programme or cluster gets no ecosystem rather than a guessed one.
CLUSTER_ECOSYSTEMS = {
    "CL1": ("Health",),
    "CL2": ("Cultural and creative industries (CCI)",),
    "CL4": ("Digital",),
    "CL5": ("Energy-renewables", "Mobility-Transport-Automotive"),
    "CL6": ("Agri-food",),
}
PROGRAMME_ECOSYSTEMS = {
    "European Defence Fund": ("Aerospace & defence",),
    "Digital Europe": ("Digital",),
    "Creative Europe": ("Cultural and creative industries (CCI)",),
}


class RowError(ValueError):
    """A source row that cannot be imported; the message says why."""


@dataclass(frozen=True)
class CallRow:
    topic_identifier: str
    title: str
    slug: str
    summary: str
    programme: str
    call_identifier: str
    call_title: str
    type_of_action: str
    deadline_model: str
    deadline_at: datetime | None
    second_deadline_at: datetime | None
    budget: Decimal | None
    expected_grants: int | None
    description: str
    link: str
    opening_date_pending: bool
    ecosystem_names: tuple[str, ...]


# --- text -------------------------------------------------------------------------------------


def text_repair(text: str) -> str:
    """Return ``text`` with mojibake (UTF-8 read as Windows-1252/Latin-1) decoded properly.

    Text that is already right is returned unchanged: "café" stays, "cafÃ©" becomes "café",
    "Europeâ€™s" becomes "Europe’s".
    """
    if not text:
        return ""
    return ftfy.fix_text(text, _REPAIR_CONFIG)


def has_mojibake(text: str) -> bool:
    return bool(MOJIBAKE_PATTERN.search(text or ""))


def one_line(text: str) -> str:
    return " ".join((text or "").split())


# Section labels the portal runs into the preceding sentence once its HTML is stripped.
_SECTION_LABEL = re.compile(
    r"(Expected [Oo]utcomes?|Expected [Ii]mpacts?|Objectives?|Scope|Specific conditions):"
)


def description_html(text: str) -> str:
    """Return plain portal text as sanitised HTML paragraphs, one per section or line."""
    paragraphs = []
    for line in text.splitlines():
        parts = _SECTION_LABEL.split(line)
        # re.split with one group alternates text, label, text, label, ...
        lead, rest = parts[0].strip(), parts[1:]
        if lead:
            paragraphs.append(f"<p>{html.escape(lead, quote=False)}</p>")
        for label, body in zip(rest[::2], rest[1::2], strict=True):
            body_html = html.escape(body.strip(), quote=False)
            paragraphs.append(f"<p><strong>{html.escape(label)}:</strong> {body_html}</p>")
    return sanitise_rich_text("".join(paragraphs))


def summary_from(text: str) -> str:
    plain = one_line(_SECTION_LABEL.sub(lambda m: f" {m.group(0)} ", text))
    plain = re.sub(r"^(?:" + _SECTION_LABEL.pattern + r")\s*", "", plain)
    return Truncator(plain).chars(MAX_SUMMARY_LENGTH)


# --- numbers ----------------------------------------------------------------------------------

_MULTIPLIERS = {
    "k": Decimal(1_000),
    "thousand": Decimal(1_000),
    "m": Decimal(1_000_000),
    "mio": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "millions": Decimal(1_000_000),
    "bn": Decimal(1_000_000_000),
    "billion": Decimal(1_000_000_000),
}
_AMOUNT = re.compile(
    r"^(?:eur|euro|euros|€)?\s*(?P<number>[0-9][0-9 .,'\u00a0\u202f]*)\s*"
    r"(?P<unit>[a-z]+)?\.?\s*(?:eur|euro|euros|€)?$"
)


def _number(digits: str) -> Decimal:
    """Return the value of "3 000 000", "3,000,000", "3.000.000", "1,5", "2.75" or "15,000"."""
    digits = re.sub(r"[ '\u00a0\u202f]", "", digits)
    if "," in digits and "." in digits:
        # The later separator is the decimal one: "1.234,50" or "1,234.50".
        thousands, decimal_mark = (
            (".", ",") if digits.rfind(",") > digits.rfind(".") else (",", ".")
        )
        digits = digits.replace(thousands, "").replace(decimal_mark, ".")
    else:
        for mark in (",", "."):
            if mark in digits:
                groups = digits.split(mark)
                # One or more groups of exactly three digits after the mark: thousands.
                if len(groups) > 2 or all(len(group) == 3 for group in groups[1:]):
                    digits = digits.replace(mark, "")
                else:
                    digits = digits.replace(mark, ".")
    return Decimal(digits)


def parse_eur_amount(value: Any) -> Decimal | None:
    """Return an amount in euros from a number or a text such as "EUR 3 000 000", "€2.5 million",
    "3,5 Mio EUR" or "15,000"; None when empty. Raise RowError when it is not an amount."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RowError(f"budget {value!r} is not an amount")
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    elif isinstance(value, str):
        match = _AMOUNT.match(one_line(value).lower())
        if not match:
            raise RowError(f"budget {value!r} is not an amount in euros")
        unit = match.group("unit")
        if unit and unit not in _MULTIPLIERS:
            raise RowError(f"budget {value!r} has an unknown unit {unit!r}")
        try:
            amount = _number(match.group("number").strip(" .,")) * _MULTIPLIERS.get(
                unit or "", Decimal(1)
            )
        except InvalidOperation:
            raise RowError(f"budget {value!r} is not an amount in euros") from None
    else:
        raise RowError(f"budget {value!r} is not an amount")
    if not amount.is_finite() or amount < 0 or amount >= MAX_BUDGET:
        raise RowError(f"budget {value!r} is out of range")
    return amount.quantize(Decimal("0.01"))


def parse_count(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise RowError(f"{field} {value!r} is not a whole number") from None
    if number < 0:
        raise RowError(f"{field} {value!r} is negative")
    return number


# --- deadlines --------------------------------------------------------------------------------

_ZONE_WORDS = {
    "brussels": BRUSSELS,
    "cet": BRUSSELS,
    "cest": BRUSSELS,
    "luxembourg": "Europe/Luxembourg",
    "utc": "UTC",
    "gmt": "UTC",
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[t ](?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)"
    r"(?P<offset>z|[+-]\d{2}:?\d{2})?)?$"
)
_TIME = re.compile(r"\b(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?\b")


def _zone_in(text: str) -> str:
    for word in re.findall(r"[a-z]+", text):
        if word in _ZONE_WORDS:
            return _ZONE_WORDS[word]
    return BRUSSELS


def _text_date(text: str) -> date:
    """The date in "17 September 2026", "September 17, 2026", "November, 3 2026" or
    "17/09/2026" (day first, as the Commission writes it)."""
    numeric = re.search(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b", text)
    if numeric:
        day, month, year = (int(group) for group in numeric.groups())
        return date(year, month, day)
    words = re.findall(r"[a-z]+|\d+", text)
    month = next((_MONTHS[word] for word in words if word in _MONTHS), None)
    year = next((int(word) for word in words if len(word) == 4 and word.isdigit()), None)
    day = next(
        (int(word) for word in words if word.isdigit() and len(word) <= 2 and 1 <= int(word) <= 31),
        None,
    )
    if month is None or year is None or day is None:
        raise ValueError(text)
    return date(year, month, day)


def parse_deadline(value: Any) -> datetime:
    """Return one deadline as an aware UTC datetime; raise RowError when it cannot be read.

    Accepts "2026-09-23" (17:00 Brussels time), "2026-09-23T17:00:00+02:00", "2026-09-23
    17:00:00 Brussels time", "17 September 2026 17:00 (Brussels time)", "15 September 2026 –
    17:00:00 CET (Brussels)" and Unix timestamps in milliseconds, as the portal's API gives them.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        return datetime.fromtimestamp(seconds, tz=UTC)
    if not isinstance(value, str) or not value.strip():
        raise RowError(f"deadline {value!r} is not a date")
    text = one_line(text_repair(value)).lower()
    iso = _ISO.match(text.replace(" brussels time", "").strip())
    try:
        if iso:
            day = date.fromisoformat(iso.group("date"))
            moment = time.fromisoformat(iso.group("time").zfill(5)) if iso.group("time") else None
            offset = iso.group("offset")
            if moment is not None and offset:
                stamp = f"{iso.group('date')}T{moment.isoformat()}{offset.replace('z', '+00:00')}"
                return datetime.fromisoformat(stamp).astimezone(UTC)
        else:
            day = _text_date(_TIME.sub(" ", text))
            found = _TIME.search(text)
            moment = (
                time(int(found["hour"]), int(found["minute"]), int(found["second"] or 0))
                if found
                else None
            )
    except ValueError:
        raise RowError(f"deadline {value!r} is not a date") from None
    local = datetime.combine(day, moment or DEFAULT_DEADLINE_TIME, tzinfo=ZoneInfo(_zone_in(text)))
    return local.astimezone(UTC)


def parse_deadlines(value: Any) -> list[datetime]:
    """Return the deadlines of a topic, earliest first: one, or two for a two-stage call.

    ``value`` is one deadline, a list of them, or a text with several joined by ";", "|" or
    " and ".
    """
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        parts = list(value)
    elif isinstance(value, str):
        parts = [part for part in re.split(r";|\||\band\b", value) if part.strip()]
    else:
        parts = [value]
    return sorted({parse_deadline(part) for part in parts})


# --- whole row --------------------------------------------------------------------------------

_url_validator = URLValidator(schemes=["https", "http"])


def _link(value: Any) -> str:
    url = (value or "").strip() if isinstance(value, str) else ""
    if not url:
        return ""
    try:
        _url_validator(url)
    except ValidationError:
        raise RowError(f"portalUrl {url!r} is not a web address") from None
    if len(url) > 500:
        raise RowError("portalUrl is longer than 500 characters")
    return url


def _text_field(row: dict, field: str, max_length: int, *, required: bool = False) -> str:
    value = row.get(field)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise RowError(f"{field} is not text")
    value = one_line(text_repair(value))
    if required and not value:
        raise RowError(f"missing {field}")
    if len(value) > max_length:
        raise RowError(f"{field} is longer than {max_length} characters")
    return value


def _deadline_model(row: dict) -> str:
    name = (row.get("deadlineModel") or "").strip().lower()
    if not name and isinstance(row.get("submissionProcedure"), dict):
        name = (row["submissionProcedure"].get("abbreviation") or "").strip().lower()
    return DEADLINE_MODELS.get(name, DeadlineModel.SINGLE_STAGE)


def call_row_clean(row: Any) -> CallRow:
    """Return the checked values of one topic of the call data; raise RowError when broken."""
    if not isinstance(row, dict):
        raise RowError("not a JSON object")
    topic_identifier = _text_field(row, "topicId", 120, required=True)
    title = Truncator(_text_field(row, "title", 10_000, required=True)).chars(MAX_TITLE_LENGTH)
    deadlines = parse_deadlines(row.get("deadline"))
    if not deadlines:
        raise RowError("missing deadline")
    deadline_model = _deadline_model(row)
    second_deadline = None
    if deadline_model == DeadlineModel.TWO_STAGE and len(deadlines) > 1:
        second_deadline = deadlines[1]
    budget_min = parse_eur_amount(row.get("budgetMin"))
    budget_max = parse_eur_amount(row.get("budgetMax"))
    if budget_min is not None and budget_max is not None and budget_min > budget_max:
        raise RowError(f"budgetMin {budget_min} is more than budgetMax {budget_max}")
    description = text_repair(row.get("description") or "")
    if not isinstance(row.get("description") or "", str):
        raise RowError("description is not text")
    cluster = (row.get("cluster") or "").strip().upper()
    programme = _text_field(row, "programme", 200, required=True)
    ecosystems = CLUSTER_ECOSYSTEMS.get(cluster, ()) + PROGRAMME_ECOSYSTEMS.get(programme, ())
    status = (row.get("callStatus") or "").strip().lower()
    return CallRow(
        topic_identifier=topic_identifier,
        title=title,
        slug=slugify(title)[:80].strip("-") or slugify(topic_identifier)[:80] or "call",
        summary=summary_from(description),
        programme=programme,
        call_identifier=_text_field(row, "callIdentifier", 120),
        call_title=_text_field(row, "callTitle", 500),
        type_of_action=_text_field(row, "typesOfAction", 200)
        or _text_field(row, "actionType", 200),
        deadline_model=deadline_model,
        deadline_at=deadlines[0],
        second_deadline_at=second_deadline,
        # The portal gives the EU contribution per project as a range; the upper end is the
        # figure applicants plan with.
        budget=budget_max if budget_max is not None else budget_min,
        expected_grants=parse_count(row.get("expectedGrants"), "expectedGrants"),
        description=description_html(description),
        link=_link(row.get("portalUrl")),
        # The portal lists topics it will open later as "forthcoming" without saying when.
        opening_date_pending=status == "forthcoming",
        ecosystem_names=tuple(dict.fromkeys(ecosystems)),
    )
