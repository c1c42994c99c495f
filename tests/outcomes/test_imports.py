"""Reading applicant-tracking and analytics exports.

Fixture shapes (tests/outcomes/data):
- neogov_applicants.csv: identifier and contact columns named as NEOGOV documents its
  applicant fields (Person ID, Email Address, Primary Phone: "Applicant Import
  Configuration", New World ERP help, nwerphelp.tylertech.com; Application ID, Status,
  Stage: "Applications Interface File", ccare.neogov.com/Wiki/Wiki.jsp?page=IVRAP), plus the
  "how did you hear" supplemental question (Referral Source) and the referral URL.
- applitrack_applicants.txt: AppliTrack's tab-delimited "Download applicant data" default
  field set (Applicant Number, Email Address, First Name, Middle Initial, Last Name, City,
  State, Zip: applitrack.com/olaUserDocs/02.FAQs/Exporting_Applicant_Data_to_a_tab_delimited_
  file.htm).
- plausible_utm.json: a Plausible Stats API v2 answer ({"results": [{"metrics",
  "dimensions"}], "meta", "query"}: plausible.io/docs/stats-api-v2).
- ga4_sessions.csv: a GA4 Explore CSV download ("# ----" preamble, Date as YYYYMMDD,
  Session source / medium / campaign / manual ad content, Sessions).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from analysis.outcomes.imports import (
    ImportFormatError,
    applicant_key,
    normalize_stage,
    read_applications,
    read_visits,
)

DATA = Path(__file__).parent / "data"
SECRET = b"test-secret"
PERSONAL = (
    "Maria",
    "Lopez",
    "maria.lopez@example.com",
    "248-555-1212",
    "313-555-0199",
    "jcarter",
    "Kim",
    "Soto",
    "kim@example.com",
    "12074141",
)


def _read(name: str, **kw):
    kw.setdefault("source", None)
    kw.setdefault("columns", {})
    return read_applications(DATA / name, secret=SECRET, **kw)


def test_neogov_export_keeps_date_stage_tags_answer_and_drops_the_rest():
    read = _read("neogov_applicants.csv")
    assert read.mapping == "neogov"
    assert read.problems == []
    assert [r.applied_on for r in read.rows] == [
        date(2026, 11, 30),
        date(2026, 12, 1),
        date(2026, 12, 1),
        date(2026, 12, 2),
        date(2026, 12, 2),
    ]
    assert [r.stage for r in read.rows] == ["applied", "tested", "hired", "applied", "applied"]
    first = read.rows[0]
    assert (first.utm_source, first.utm_campaign, first.utm_content) == (
        "instagram",
        "spring",
        "p-testimonial",
    )
    assert read.rows[1].answer == "a flyer at Lincoln High"
    assert read.rows[2].answer == "Saw it on FB, call me at [number]"
    assert set(read.dropped) == {
        "Person ID",
        "First Name",
        "Last Name",
        "Email Address",
        "Primary Phone",
        "Job Title",
    }
    kept = repr([dataclasses.asdict(r) for r in read.rows])
    for value in PERSONAL:
        assert value not in kept


def test_applicant_key_is_a_keyed_hash_of_the_application_id():
    read = _read("neogov_applicants.csv")
    assert read.rows[0].applicant_key == applicant_key(SECRET, "neogov", "A-1001")
    other = read_applications(
        DATA / "neogov_applicants.csv", source=None, columns={}, secret=b"another-key"
    )
    assert other.rows[0].applicant_key != read.rows[0].applicant_key
    assert "A-1001" not in read.rows[0].applicant_key


def test_applitrack_tab_delimited_export():
    read = _read("applitrack_applicants.txt")
    assert read.mapping == "applitrack"
    assert [(r.applied_on, r.stage, r.utm_source, r.answer) for r in read.rows] == [
        (date(2026, 12, 1), "applied", "x", None),
        (date(2026, 12, 3), "tested", None, "twitter"),
    ]
    assert {"Email Address", "First Name", "Last Name", "Zip"} <= set(read.dropped)


def test_a_bad_row_is_reported_with_its_line_and_the_rest_imports():
    read = _read(
        "bad_row.csv",
        columns={
            "date": "Application Date",
            "id": "Application ID",
            "answer": "Referral Source",
            "stage": "Status",
        },
    )
    assert [r.applied_on for r in read.rows] == [date(2026, 12, 1), date(2026, 12, 2)]
    assert len(read.problems) == 2
    assert read.problems[0].startswith(
        f"{DATA / 'bad_row.csv'}:3: application date 'next tuesday' is not a date"
    )
    assert read.problems[1].startswith(f"{DATA / 'bad_row.csv'}:4: no application date")


def test_a_file_in_the_wrong_format_names_the_missing_column():
    with pytest.raises(
        ImportFormatError,
        match="no application-date column: expected one of 'Application Date' \\(neogov\\)",
    ):
        _read("wrong_format.csv")
    with pytest.raises(ImportFormatError, match="missing column 'Application Date'"):
        _read("wrong_format.csv", source="neogov")


def test_settings_mapping_names_the_missing_column():
    with pytest.raises(
        ImportFormatError,
        match=r"missing column 'Applied' \(the application "
        r"date, from beatpost.toml \[outcomes.columns\]",
    ):
        _read("neogov_applicants.csv", columns={"date": "Applied", "answer": "Referral Source"})
    with pytest.raises(ImportFormatError, match="unknown field 'email'"):
        _read("neogov_applicants.csv", columns={"date": "Application Date", "email": "E"})


def test_a_workbook_is_refused(tmp_path):
    book = tmp_path / "export.csv"
    book.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(ImportFormatError, match="not a CSV text file"):
        read_applications(book, source=None, columns={}, secret=SECRET)


def test_plausible_json_visits():
    read = read_visits(DATA / "plausible_utm.json", source="plausible")
    assert read.shape == "plausible-json"
    assert [(v.day, v.utm_source, v.utm_campaign, v.utm_content, v.visits) for v in read.rows] == [
        (date(2026, 11, 30), "instagram", "spring", "p-testimonial", 52),
        (date(2026, 12, 1), "x", "spring", "p-event", 12),
        (date(2026, 12, 1), "lincoln-high", "spring", "", 3),
        (date(2026, 12, 1), "google", "", "", 9),
    ]


def test_ga4_csv_visits():
    read = read_visits(DATA / "ga4_sessions.csv")
    assert read.problems == []
    assert [(v.day, v.utm_source, v.utm_medium, v.utm_content, v.visits) for v in read.rows] == [
        (date(2026, 11, 30), "instagram", "social", "p-testimonial", 52),
        (date(2026, 12, 1), "x", "social", "p-event", 12),
        (date(2026, 12, 1), "", "", "", 30),
    ]


def test_visits_csv_without_tags_is_refused(tmp_path):
    path = tmp_path / "pages.csv"
    path.write_text("Date,Page,Visits\n2026-12-01,/join,4\n")
    with pytest.raises(ImportFormatError, match="missing column 'utm_source'"):
        read_visits(path)


@pytest.mark.parametrize(
    ("status", "stage"),
    [
        ("Received", "applied"),
        ("Hired", "hired"),
        ("Appointed", "hired"),
        ("Not Hired", "applied"),
        ("Not Hired - Passed Oral Board", "tested"),
        ("Passed Written Exam", "tested"),
        ("Failed Physical Agility Test", "tested"),
        ("Placed on Eligible List", "tested"),
        ("Ineligible - Minimum Qualifications", "applied"),
        ("Rejected", "applied"),
        ("Withdrawn", "applied"),
        ("", "applied"),
    ],
)
def test_stage_from_status_text(status, stage):
    assert normalize_stage(status) == stage


def test_semicolon_export_and_progress(tmp_path):
    path = tmp_path / "export.csv"
    lines = ["Date Applied;Applicant Number;How did you hear about this position?"]
    lines += [f"2026-12-01;{n};Instagram; the post" for n in range(12_000)]
    path.write_text("\n".join(lines) + "\n")
    seen = []
    read = read_applications(
        path,
        source=None,
        columns={},
        secret=SECRET,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert read.mapping == "applitrack"
    assert len(read.rows) == 12_000
    assert len(seen) >= 3 and seen[-1] == (path.stat().st_size, path.stat().st_size)
    assert read.rows[0].answer == "Instagram"  # "; the post" is a fourth, unnamed column
