"""Reading exports: applications from an applicant-tracking system, visits from analytics.

Nothing is written here: a reader returns plain rows and the problems it found, and the
caller records them. A file in the wrong format raises ``ImportFormatError`` before any row
is returned, so nothing of it is imported; a malformed row is reported with its line number
and skipped, and the rest are read.

Privacy: of an application only the date, the stage, the referral URL's ``utm_*`` tags, the
"how did you hear about us" answer (with email addresses and phone numbers blanked) and an
opaque key are kept. Every other column (names, emails, phones, addresses...) is dropped and
named in ``ApplicationsRead.dropped``.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl, urlsplit

from store.outcomes import ApplicationIn, VisitIn

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_ANSWER_CHARS = 300
FIELDS = ("date", "url", "answer", "stage", "id")
Progress = Callable[[int, int], None]  # (bytes read, file size)

# Ready mappings: beatpost field -> the export's column header (compared ignoring case).
# neogov: GovernmentJobs / NEOGOV Insight applicant list exported to CSV, with the
# "how did you hear" supplemental question added as a column; applitrack: AppliTrack's
# "Download applicant data" field set; spreadsheet: a sheet kept by hand.
PRESETS: dict[str, dict[str, str]] = {
    "neogov": {
        "date": "Application Date",
        "id": "Application ID",
        "stage": "Status",
        "answer": "Referral Source",
        "url": "Referral URL",
    },
    "applitrack": {
        "date": "Date Applied",
        "id": "Applicant Number",
        "stage": "Application Status",
        "answer": "How did you hear about this position?",
        "url": "Source URL",
    },
    "spreadsheet": {
        "date": "date",
        "id": "id",
        "stage": "stage",
        "answer": "heard about us",
        "url": "link",
    },
}
DATE_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%d-%b-%Y",
    "%b %d, %Y",
    "%Y%m%d",
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d ().-]{6,}\d")
_CONTACT_HINTS = ("email", "e-mail")


class ImportFormatError(Exception):
    """The file is not an export beatpost can read; nothing of it was imported."""


@dataclass
class ApplicationsRead:
    rows: list[ApplicationIn]
    problems: list[str]  # "FILE:LINE: what is wrong" per skipped row
    kept: dict[str, str]  # beatpost field -> the column it was read from
    dropped: list[str]  # columns not kept
    mapping: str  # the ready mapping used, or "settings"
    lines: int = 0


@dataclass
class VisitsRead:
    rows: list[VisitIn]
    problems: list[str]
    shape: str  # "plausible-json" | "csv"
    lines: int = 0


@dataclass
class _Located:
    file: str
    problems: list[str] = field(default_factory=list)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.file}:{line}: {message}")


# -- shared --------------------------------------------------------------------------------


@lru_cache(maxsize=8192)  # a year's export repeats a few hundred dates
def parse_date(value: str) -> date | None:
    value = value.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


@lru_cache(maxsize=8192)  # links repeat: one per post and platform or partner
def _utm_pairs(url: str) -> tuple[tuple[str, str], ...]:
    return tuple(utm_tags(url).items())


def utm_tags(url: str) -> dict[str, str]:
    """``utm_*`` values of a URL (or of a bare query string), lower keys, trimmed values."""
    url = url.strip()
    query = urlsplit(url).query if ("?" in url or "://" in url) else url
    return {
        key.lower(): value.strip()
        for key, value in parse_qsl(query, keep_blank_values=False)
        if key.lower().startswith("utm_") and value.strip()
    }


def scrub(answer: str) -> str:
    """The answer with email addresses and phone numbers blanked, cut to a bounded length."""
    answer = _PHONE.sub("[number]", _EMAIL.sub("[email]", answer))
    return " ".join(answer.split())[:MAX_ANSWER_CHARS]


def applicant_key(secret: bytes, source: str, identity: str) -> str:
    """The opaque, non-reversible key of an application: HMAC-SHA-256, 32 hex digits."""
    digest = hmac.new(secret, f"{source}\x1f{identity}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def _open_text(path: Path) -> tuple[IO[str], int]:
    try:
        size = path.stat().st_size
        raw = path.open("rb")
    except OSError as exc:
        raise ImportFormatError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raw.close()
        raise ImportFormatError(f"{path}: the file is over {MAX_FILE_BYTES // 2**20} MB")
    head = raw.read(8192)
    raw.seek(0)
    if b"\x00" in head or head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")):
        raw.close()
        raise ImportFormatError(
            f"{path}: this is not a CSV text file (a spreadsheet workbook or PDF?); "
            "save or export it as CSV"
        )
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the 8 KB boundary
            encoding = "cp1252"  # Excel's "CSV" on Windows
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=""), size


class _Counting:
    """Lines of a text stream, reporting progress every few thousand."""

    def __init__(self, stream: IO[str], size: int, progress: Progress | None):
        self.stream, self.size, self.progress, self.read = stream, size, progress, 0

    def __iter__(self) -> Iterator[str]:
        for n, line in enumerate(self.stream, 1):
            self.read += len(line)
            if self.progress and n % 5000 == 0:
                self.progress(min(self.read, self.size), self.size)
            yield line
        if self.progress:
            self.progress(self.size, self.size)


def _dialect(sample: str) -> type[csv.Dialect]:
    """Comma, semicolon (Excel in many locales) or tab: whichever the header row has most of."""
    header = sample.splitlines()[0] if sample else ""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    if best == "\t" and counts[best]:
        return csv.excel_tab
    if best == ";" and counts[best] > counts[","]:

        class Semicolon(csv.excel):
            delimiter = ";"

        return Semicolon
    return csv.excel


# -- applications --------------------------------------------------------------------------


def choose_mapping(
    headers: list[str], source: str | None, columns: Mapping[str, str], file: str
) -> tuple[str, dict[str, int]]:
    """The mapping to use and each field's column index; the error names what is missing."""
    index = {h.strip().lower(): i for i, h in enumerate(headers)}
    if columns:
        unknown = sorted(set(columns) - set(FIELDS))
        if unknown:
            raise ImportFormatError(
                f"settings: outcomes.columns: unknown field {unknown[0]!r} "
                f"(fields: {', '.join(FIELDS)})"
            )
        name, wanted = "settings", dict(columns)
    elif source in PRESETS:
        name, wanted = source, PRESETS[source]
    else:
        name, wanted = _detect(index), {}
        wanted = PRESETS[name] if name else {}
        if not name:
            raise ImportFormatError(
                f"{file}: no application-date column: expected one of "
                + ", ".join(f"{m['date']!r} ({p})" for p, m in PRESETS.items())
                + "; or name your columns in beatpost.toml [outcomes.columns] "
                '(date = "...", url = "..." or answer = "...")'
            )
    found = {f: index[h.strip().lower()] for f, h in wanted.items() if h.strip().lower() in index}
    where = "beatpost.toml [outcomes.columns]" if name == "settings" else f"the {name} mapping"
    if "date" not in found:
        raise ImportFormatError(
            f"{file}: missing column {wanted.get('date', 'date')!r} (the application date, "
            f"from {where})"
        )
    if "url" not in found and "answer" not in found:
        wanted_cols = " or ".join(repr(wanted[f]) for f in ("url", "answer") if f in wanted)
        raise ImportFormatError(
            f"{file}: missing column {wanted_cols or 'url or answer'} (a referral URL or the "
            f'"how did you hear about us" answer, from {where})'
        )
    return name, found


def _detect(index: Mapping[str, int]) -> str | None:
    for name, mapping in PRESETS.items():
        present = {f for f, h in mapping.items() if h.lower() in index}
        if "date" in present and present & {"url", "answer"}:
            return name
    return None


_NEGATED = re.compile(
    r"\b(not|no|non|never|un)\b|\bin(eligible|active)|reject|withdr|declin|disqual"
)
_TESTED_WORDS = (
    "test",
    "exam",
    "eligib",
    "interview",
    "passed",
    "fail",
    "assessment",
    "background",
    "polygraph",
    "physical",
    "oral board",
)


def normalize_stage(value: str) -> str:
    """``applied``, ``tested`` or ``hired`` from an applicant system's status text.

    "Hired" / "Appointed" is hired unless negated ("Not Hired"); a status naming a test,
    exam, interview or eligibility ("Failed Written Exam" included: they took it) is tested;
    anything else ("Received", "Rejected", "Ineligible") is applied."""
    text = value.strip().lower()
    negated = bool(_NEGATED.search(text))
    if ("hire" in text or "appoint" in text or "offer accepted" in text) and not negated:
        return "hired"
    if any(word in text for word in _TESTED_WORDS) and "inelig" not in text:
        return "tested"
    return "applied"


def read_applications(
    path: Path,
    *,
    source: str | None,
    columns: Mapping[str, str],
    secret: bytes,
    progress: Progress | None = None,
) -> ApplicationsRead:
    """Read an applicant-tracking export (see the module docstring for what is kept)."""
    stream, size = _open_text(path)
    with stream:
        sample = stream.read(16384)
        stream.seek(0)
        reader = csv.reader(_Counting(stream, size, progress), _dialect(sample))
        try:
            headers = next(reader)
        except StopIteration:
            raise ImportFormatError(f"{path}: the file is empty") from None
        except csv.Error as exc:
            raise ImportFormatError(f"{path}:1: not a CSV file: {exc}") from None
        mapping, found = choose_mapping(headers, source, columns, str(path))
        label = source or (mapping if mapping != "settings" else "spreadsheet")
        email_col = next(
            (i for i, h in enumerate(headers) if any(w in h.lower() for w in _CONTACT_HINTS)),
            None,
        )
        loc = _Located(str(path))
        rows: dict[str, ApplicationIn] = {}
        try:
            for record in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in record):
                    continue
                row = _application(record, found, email_col, label, secret, loc, line)
                if row is not None:
                    rows[row.applicant_key] = row  # the same application twice: the last wins
        except csv.Error as exc:
            loc.problem(reader.line_num, f"the rest of the file is unreadable CSV ({exc})")
        lines = reader.line_num
    kept_idx = set(found.values())
    return ApplicationsRead(
        rows=list(rows.values()),
        problems=loc.problems,
        kept={f: headers[i] for f, i in found.items()},
        dropped=[h for i, h in enumerate(headers) if i not in kept_idx],
        mapping=mapping,
        lines=lines,
    )


def _cell(record: list[str], index: int | None) -> str:
    if index is None or index >= len(record):
        return ""
    return record[index].strip()


def _application(
    record: list[str],
    found: dict[str, int],
    email_col: int | None,
    source: str,
    secret: bytes,
    loc: _Located,
    line: int,
) -> ApplicationIn | None:
    raw_date = _cell(record, found["date"])
    if not raw_date:
        loc.problem(line, "no application date; row skipped")
        return None
    applied = parse_date(raw_date)
    if applied is None:
        loc.problem(
            line,
            f"application date {raw_date[:40]!r} is not a date "
            "(use YYYY-MM-DD or MM/DD/YYYY); row skipped",
        )
        return None
    identity = _cell(record, found.get("id")) or _cell(record, email_col).lower()
    if not identity:
        identity = "\x1e".join(record)  # no id and no email: the whole row is the identity
    tags = dict(_utm_pairs(_cell(record, found.get("url"))))
    answer = _cell(record, found.get("answer"))
    return ApplicationIn(
        source=source,
        applicant_key=applicant_key(secret, source, identity),
        applied_on=applied,
        stage=normalize_stage(_cell(record, found.get("stage"))),
        utm_source=tags.get("utm_source"),
        utm_medium=tags.get("utm_medium"),
        utm_campaign=tags.get("utm_campaign"),
        utm_content=tags.get("utm_content"),
        answer=scrub(answer) if answer else None,
    )


# -- visits --------------------------------------------------------------------------------

# Column headers of a visits CSV (compared ignoring case): beatpost's own shape first, then
# Google Analytics 4 (Explore -> download CSV) and Matomo's campaign dimensions.
VISIT_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "day"),
    "utm_source": ("utm_source", "session source", "campaign source", "source"),
    "utm_medium": ("utm_medium", "session medium", "campaign medium", "medium"),
    "utm_campaign": ("utm_campaign", "session campaign", "campaign name", "campaign"),
    "utm_content": ("utm_content", "session manual ad content", "campaign content", "content"),
    "visits": ("visits", "sessions", "visitors", "nb_visits"),
}
PLAUSIBLE_DIMENSIONS = {
    "time:day": "date",
    "visit:utm_source": "utm_source",
    "visit:utm_medium": "utm_medium",
    "visit:utm_campaign": "utm_campaign",
    "visit:utm_content": "utm_content",
}


def read_visits(
    path: Path, *, source: str = "analytics", progress: Progress | None = None
) -> VisitsRead:
    """Read a careers-page analytics export: a Plausible Stats API v2 JSON answer, or a CSV
    with a date, ``utm_*`` columns and a visit count (GA4 and Matomo names accepted)."""
    stream, size = _open_text(path)
    with stream:
        start = stream.read(1)
        stream.seek(0)
        if start in ("{", "["):
            return _plausible(path, stream, source)
        return _visits_csv(path, stream, size, source, progress)


def _plausible(path: Path, stream: IO[str], source: str) -> VisitsRead:
    try:
        data: Any = json.load(stream)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}"
        ) from None
    query = data.get("query") if isinstance(data, dict) else None
    if not isinstance(query, dict) or not isinstance(data.get("results"), list):
        raise ImportFormatError(
            f'{path}: not a Plausible Stats API v2 answer (an object with "query" and "results")'
        )
    dims = [PLAUSIBLE_DIMENSIONS.get(d) for d in query.get("dimensions", [])]
    metrics = list(query.get("metrics", []))
    if "date" not in dims:
        raise ImportFormatError(
            f'{path}: the query has no "time:day" dimension; ask for '
            'dimensions ["time:day", "visit:utm_source", ...]'
        )
    metric = next((m for m in ("visits", "visitors") if m in metrics), None)
    if metric is None:
        raise ImportFormatError(f'{path}: the query has no "visits" or "visitors" metric')
    loc = _Located(str(path))
    rows = []
    for n, result in enumerate(data["results"], 1):
        try:
            values = dict(zip(dims, result["dimensions"], strict=True))
            count = int(result["metrics"][metrics.index(metric)])
            day = parse_date(str(values["date"])[:10])
        except (KeyError, TypeError, ValueError, IndexError):
            loc.problem(n, f"result {n} does not match the query's dimensions and metrics; skipped")
            continue
        if day is None:
            loc.problem(n, f"result {n}: {values['date']!r} is not a date; skipped")
            continue
        rows.append(_visit(source, day, count, values))
    return VisitsRead(rows, loc.problems, "plausible-json", len(data["results"]))


def _visit(source: str, day: date, count: int, values: Mapping[str, Any]) -> VisitIn:
    def tag(name: str) -> str:
        value = values.get(name)
        return "" if value in (None, "(not set)", "(none)", "(direct)") else str(value).strip()

    return VisitIn(
        source=source,
        day=day,
        visits=count,
        utm_source=tag("utm_source"),
        utm_medium=tag("utm_medium"),
        utm_campaign=tag("utm_campaign"),
        utm_content=tag("utm_content"),
    )


def _visits_csv(
    path: Path, stream: IO[str], size: int, source: str, progress: Progress | None
) -> VisitsRead:
    # GA4 downloads start with "# ----" comment lines.
    lines = (line for line in _Counting(stream, size, progress) if not line.startswith("#"))
    reader = csv.reader(lines)
    try:
        headers = next(reader)
    except (StopIteration, csv.Error):
        raise ImportFormatError(f"{path}: the file is empty or not CSV") from None
    index = {h.strip().lower(): i for i, h in enumerate(headers)}
    found = {
        name: next((index[c] for c in choices if c in index), None)
        for name, choices in VISIT_COLUMNS.items()
    }
    for needed in ("date", "visits"):
        if found[needed] is None:
            raise ImportFormatError(
                f"{path}: missing column {VISIT_COLUMNS[needed][0]!r} (or "
                f"{', '.join(repr(c) for c in VISIT_COLUMNS[needed][1:])})"
            )
    if all(found[t] is None for t in ("utm_source", "utm_campaign", "utm_content")):
        raise ImportFormatError(
            f"{path}: missing column 'utm_source', 'utm_campaign' or "
            "'utm_content' (visits must be broken down by link tags)"
        )
    loc = _Located(str(path))
    rows = []
    n = 1
    for n, record in enumerate(reader, 2):
        if not any(c.strip() for c in record):
            continue
        raw_day, raw_count = _cell(record, found["date"]), _cell(record, found["visits"])
        day = parse_date(raw_day)
        if day is None:
            loc.problem(n, f"{raw_day[:40]!r} is not a date; row skipped")
            continue
        try:
            count = int(float(raw_count.replace(",", "")))
        except ValueError:
            loc.problem(n, f"visits {raw_count[:40]!r} is not a number; row skipped")
            continue
        values = {k: _cell(record, i) for k, i in found.items() if k.startswith("utm_")}
        rows.append(_visit(source, day, count, values))
    return VisitsRead(rows, loc.problems, "csv", n)
