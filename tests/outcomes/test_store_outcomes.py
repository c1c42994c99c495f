"""Outcomes in the store, on SQLite and PostgreSQL: the tables match the migration, an
import is idempotent, a re-import updates a stage, attribution can be rebuilt."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, select
from sqlmodel import SQLModel

from beatpost.outcomes import hash_secret, import_outcomes, rebuild_attribution
from config import Settings
from store import sync_plans
from store.engine import read_session, write_session
from store.outcomes import (
    ApplicationIn,
    VisitIn,
    applications_between,
    record_applications,
    record_visits,
)
from store.outcomes_models import ApplicationRecord, VisitRecord
from tests.ledger_fixtures import T0, plan

DATA = Path(__file__).parent / "data"
TABLES = {"outcome_applications", "outcome_visits"}
CAMPAIGN = """\
version: 1
campaign:
  id: spring
  name: Spring hiring
  timezone: America/Chicago
  window: {start: 2026-11-01, end: 2027-05-31}
  platforms: [x, facebook, instagram]
  approved_by: Lt. Test
partners:
  lincoln-high:
    name: Lincoln High School
    handles: {instagram: LincolnHS}
defaults:
  link: https://riverton.gov/join
posts:
  - id: p-testimonial
    kind: announcement
    text: Join us.
    at: 2026-11-30 09:00
"""


def test_models_match_the_migration(engine):
    ours = MetaData()
    for name in TABLES:
        SQLModel.metadata.tables[name].to_metadata(ours)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda name, type_, parent: type_ != "table" or name in TABLES,
            },
        )
        assert compare_metadata(ctx, ours) == []


@pytest.fixture
def workspace(tmp_path: Path, engine) -> Settings:
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "spring.yaml").write_text(textwrap.dedent(CAMPAIGN))
    plans = [
        replace(plan("p-testimonial", campaign="spring", platform="instagram"), kind="testimonial"),
        replace(
            plan("p-event", campaign="spring", platform="x", at=T0 + timedelta(hours=1)),
            kind="event",
            partner="Lincoln High School",
        ),
    ]
    sync_plans(
        engine,
        plans,
        valid_files=["campaigns/spring.yaml"],
        now=T0 - timedelta(days=1),
        actor="tester",
    )
    return Settings(workspace=tmp_path)


def _apps(engine) -> list[ApplicationRecord]:
    with read_session(engine) as session:
        return list(session.scalars(select(ApplicationRecord).order_by(ApplicationRecord.id)))


def test_import_attributes_and_reimport_changes_nothing(engine, workspace):
    first = import_outcomes(workspace, engine, "applications", DATA / "neogov_applicants.csv", None)
    assert (first.counts.added, first.counts.updated, first.counts.unchanged) == (5, 0, 0)
    rows = _apps(engine)
    assert [(r.method, r.campaign_id, r.post_id, r.kind, r.platform, r.partner) for r in rows] == [
        ("utm", "spring", "p-testimonial", "testimonial", "instagram", None),
        ("answer", "spring", None, None, None, "Lincoln High School"),
        ("answer", None, None, None, "facebook", None),
        ("utm", "spring", None, None, None, "Lincoln High School"),
        ("none", None, None, None, None, None),
    ]
    again = import_outcomes(workspace, engine, "applications", DATA / "neogov_applicants.csv", None)
    assert (again.counts.added, again.counts.updated, again.counts.unchanged) == (0, 0, 5)
    assert [(r.id, r.applicant_key, r.updated_at) for r in _apps(engine)] == [
        (r.id, r.applicant_key, r.updated_at) for r in rows
    ]


def test_reimport_with_a_later_stage_updates_the_row(engine, workspace, tmp_path):
    import_outcomes(workspace, engine, "applications", DATA / "neogov_applicants.csv", None)
    later = tmp_path / "later.csv"
    later.write_text(
        (DATA / "neogov_applicants.csv")
        .read_text()
        .replace("12/01/2026,Passed Written Exam", "12/01/2026,Hired")
    )
    result = import_outcomes(workspace, engine, "applications", later, None)
    assert (result.counts.added, result.counts.updated, result.counts.unchanged) == (0, 1, 4)
    assert [r.stage for r in _apps(engine)] == ["applied", "hired", "hired", "applied", "applied"]


def test_the_hash_key_is_kept_private_in_the_data_folder(workspace):
    key = hash_secret(workspace)
    path = workspace.data_path / "outcomes.key"
    assert path.stat().st_mode & 0o077 == 0
    assert hash_secret(workspace) == key


def test_visits_reimport_replaces_counts(engine, workspace, tmp_path):
    first = import_outcomes(workspace, engine, "visits", DATA / "plausible_utm.json", "plausible")
    assert first.counts.added == 4 and first.attributed == 3
    again = import_outcomes(workspace, engine, "visits", DATA / "plausible_utm.json", "plausible")
    assert (again.counts.added, again.counts.updated, again.counts.unchanged) == (0, 0, 4)
    edited = tmp_path / "edited.json"
    edited.write_text((DATA / "plausible_utm.json").read_text().replace("[10, 12]", "[10, 15]"))
    assert import_outcomes(workspace, engine, "visits", edited, "plausible").counts.updated == 1
    with read_session(engine) as session:
        visits = {
            (v.utm_source, v.utm_content): (v.visits, v.platform, v.partner, v.kind)
            for v in session.scalars(select(VisitRecord))
        }
    assert visits[("x", "p-event")] == (15, "x", "Lincoln High School", "event")
    assert visits[("lincoln-high", "")] == (3, None, "Lincoln High School", None)
    assert visits[("google", "")] == (9, None, None, None)


def test_rebuild_attribution_after_a_partner_is_added(engine, workspace):
    import_outcomes(workspace, engine, "applications", DATA / "neogov_applicants.csv", None)
    assert _apps(engine)[4].method == "none"  # "Indeed": nobody we know yet
    path = workspace.campaigns_path / "spring.yaml"
    path.write_text(
        path.read_text().replace("partners:\n", "partners:\n  indeed:\n    name: Indeed\n")
    )
    assert rebuild_attribution(workspace, engine) == (1, 0)
    assert (_apps(engine)[4].partner, _apps(engine)[4].method) == ("Indeed", "answer")
    assert rebuild_attribution(workspace, engine) == (0, 0)


def test_record_and_read_back_by_date(engine):
    rows = [ApplicationIn("ats", f"k{i}", date(2026, 12, 1 + i)) for i in range(3)]
    with write_session(engine) as session:
        assert record_applications(session, rows).added == 3
        assert (
            record_visits(
                session,
                [
                    VisitIn("ga", date(2026, 12, 1), 4, utm_source="x"),
                    VisitIn("ga", date(2026, 12, 1), 2, utm_source="x"),
                ],
            ).added
            == 1
        )
    with read_session(engine) as session:
        got = applications_between(session, date(2026, 12, 2), date(2026, 12, 4))
        assert sorted(r.day for r in got) == [date(2026, 12, 2), date(2026, 12, 3)]
        assert session.scalar(select(VisitRecord.visits)) == 6  # one link twice in one export
