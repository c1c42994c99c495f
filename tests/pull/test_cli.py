"""``beatpost pull`` and ``beatpost report`` through the real CLI entry point, with the real
connectors pointed at the sandbox by settings alone."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from analysis.timeframe import IsoWeek
from beatpost.cli import main
from connectors.sandbox import FACEBOOK_PAGE_ID, SandboxServer, SandboxState, SimClock
from connectors.sandbox.server import settings_env, settings_toml
from store import metrics as store_metrics
from store.engine import make_engine, read_session
from store.metrics_models import PullCursor
from store.migrate import upgrade

from .conftest import add_delivery


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith("BEATPOST_"):
            monkeypatch.delenv(name)
    return tmp_path


def run(ws, capsys, *args):
    code = main(["--config", str(ws / "beatpost.toml"), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_pull_then_report_over_the_sandbox(workspace, capsys, monkeypatch):
    # The connectors read the wall clock, so the sandbox's clock starts near it.
    now = datetime.now(UTC).replace(microsecond=0)
    clock = SimClock(now - timedelta(hours=2))
    state = SandboxState(seed=5, clock=clock)
    x_post = state.add_post("x", "1", "Officer Diaz on why she joined. #JoinRPD")
    fb_post = state.add_post("facebook", FACEBOOK_PAGE_ID, "Career fair Saturday at Lincoln High")
    clock.set(now)
    with SandboxServer(state) as server:
        (workspace / "beatpost.toml").write_text(
            'default_timezone = "America/Chicago"\n' + settings_toml(server.url) + "\n"
        )
        for name, value in settings_env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv(
            "BEATPOST_FACEBOOK__INSIGHTS_METRICS", '["post_media_view", "post_clicks_by_type"]'
        )
        engine = make_engine(f"sqlite:///{workspace / '.beatpost' / 'beatpost.db'}")
        upgrade(engine)
        x_id = add_delivery(
            engine, platform="x", platform_id=x_post.id, published_at=x_post.created_at
        )
        add_delivery(
            engine,
            platform="facebook",
            platform_id=fb_post.id,
            published_at=fb_post.created_at,
            kind="event",
            partner="Lincoln High",
        )

        code, out, err = run(workspace, capsys, "pull", "--format", "json")
        assert code == 0, (out, err)
        data = json.loads(out)
        assert data["ok"] is True
        assert {p: v["snapshots"] for p, v in data["platforms"].items()} == {"x": 1, "facebook": 1}
        with read_session(engine) as session:
            (snap,) = store_metrics.snapshots_of(session, x_id)
            assert snap.slot == "1h" and snap.views is not None
            assert session.get(PullCursor, x_id).next_metrics_slot == "6h"

        code, out, _ = run(workspace, capsys, "pull")  # nothing due a moment later
        assert code == 0 and "Nothing due" in out

    iso = str(IsoWeek.of(x_post.created_at, ZoneInfo("America/Chicago")))
    code, out, _ = run(workspace, capsys, "report", "--week", iso, "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["totals"]["posts"] == 2  # both went out at the same instant
    assert [g["key"] for g in report["by_platform"]] == ["facebook", "x"]
    assert [g["key"] for g in report["by_partner"]] == ["Lincoln High", "(none)"]
    code, out, _ = run(workspace, capsys, "report", "--week", iso)
    assert code == 0 and f"Engagement {iso}" in out


def test_report_rejects_a_bad_week(workspace, capsys):
    (workspace / "beatpost.toml").write_text("")
    code, _, err = run(workspace, capsys, "report", "--week", "2027-W60")
    assert code == 2 and "2027 has ISO weeks 1 to 52" in err


def test_pull_reports_a_missing_token_and_exits_1(workspace, capsys):
    (workspace / "beatpost.toml").write_text('[x]\nbase_url = "http://127.0.0.1:9"\n')
    engine = make_engine(f"sqlite:///{workspace / '.beatpost' / 'beatpost.db'}")
    upgrade(engine)
    add_delivery(
        engine, platform="x", platform_id="1", published_at=datetime.now(UTC) - timedelta(hours=2)
    )
    code, out, _ = run(workspace, capsys, "pull")
    assert code == 1
    assert "x: error: connector:" in out and "BEATPOST_X__" in out


def test_pull_names_a_bad_age_setting(workspace, capsys):
    (workspace / "beatpost.toml").write_text('[pull]\nages = ["1h", "soon"]\n')
    code, _, err = run(workspace, capsys, "pull")
    assert code == 1
    assert "pull.ages: 'soon' is not an age" in err


def test_pull_table_gives_the_time_in_local_time_not_utc() -> None:
    """`beatpost pull` titled its table "Pull at 2026-12-02 19:19 UTC" for a department in
    Denver: the PIO reads local time everywhere else."""
    from rich.console import Console

    from beatpost.commands.engagement_cmds import _pull_table
    from beatpost.pull.job import PullReport

    report = PullReport(started_at=datetime(2026, 12, 2, 19, 19, tzinfo=UTC))
    report.platform("x")
    console = Console(width=120, record=True)
    console.print(_pull_table(report, ZoneInfo("America/Denver")))
    title = console.export_text().splitlines()[0]
    assert "Pull at Wed 2026-12-02 12:19 MST" in title
    assert "UTC" not in title


def test_report_table_names_kinds_and_platforms_as_people_read_them_json_keeps_keys() -> None:
    """`beatpost report` printed "testimonial" and "facebook" (the machine keys) in its
    tables; the PIO reads the names campaigns/kinds.py and the platform table give."""
    from rich.console import Console

    from analysis.engagement import PostRow, build_week
    from beatpost.commands.engagement_cmds import _print_week
    from campaigns.kinds import KINDS

    chicago = ZoneInfo("America/Chicago")
    at = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)  # Monday of 2027-W09 in Chicago
    posts = [
        PostRow(1, "x", "testimonial", "spring", at, taken_at=at, counts={"views": 900}),
        PostRow(2, "facebook", "event", "spring", at, taken_at=at, counts={"views": 500}),
    ]
    week = build_week(IsoWeek(2027, 9), chicago, posts, [], [], [])
    console = Console(width=160, record=True)
    _print_week(console, week)
    text = console.export_text()
    kinds = text.split("Engagement by kind of post")[1].split("Engagement by platform")[0]
    rows = [line.split()[1] for line in kinds.splitlines() if "%" in line]
    assert rows == [KINDS["event"].display_name, KINDS["testimonial"].display_name]
    platforms = text.split("Engagement by platform")[1].split("Engagement by partner")[0]
    assert [line.split()[1] for line in platforms.splitlines() if "%" in line] == [
        "Facebook",
        "X",
    ]
    top = text.split("Top posts by engagement rate")[1]
    assert "Facebook" in top and "facebook" not in top
    data = week.to_json()
    assert [g["key"] for g in data["by_kind"]] == ["event", "testimonial"]
    assert [g["key"] for g in data["by_platform"]] == ["facebook", "x"]


def test_outcome_tables_name_kinds_and_platforms_as_people_read_them() -> None:
    from rich.console import Console

    from analysis.outcomes.summary import Funnel, OutcomeGroup, OutcomesWeek
    from beatpost.commands.outcome_cmds import outcome_tables
    from campaigns.kinds import KINDS

    def group(key: str) -> OutcomeGroup:
        return OutcomeGroup(key, 2, 1, 3, 0, 10, 1000)

    funnel = Funnel(1000, 20, 10, 2)
    result = OutcomesWeek(
        "2027-W09",
        "America/Chicago",
        funnel,
        funnel,
        3,
        1,
        0,
        0,
        by_campaign=(group("spring"),),
        by_kind=(group("event"),),
        by_platform=(group("linkedin"),),
        by_partner=(),
    )
    console = Console(width=160, record=True)
    for table in outcome_tables(result):
        console.print(table)
    text = console.export_text()
    kinds = text.split("Applications by kind of post")[1].split("Applications by platform")[0]
    assert KINDS["event"].display_name in kinds and " event " not in kinds
    assert "LinkedIn" in text.split("Applications by platform")[1]
    assert result.to_json()["by_kind"][0]["key"] == "event"


def test_pull_table_written_to_a_file_keeps_its_headers_whole(capsys) -> None:
    """Piped (cron mail, `| less`), Rich assumed 80 columns: "platfo…", "reques…", "new
    commen…"; the plan table alone had been given room."""
    from beatpost import display
    from beatpost.commands.engagement_cmds import _pull_table
    from beatpost.pull.job import PullReport

    report = PullReport(started_at=datetime(2026, 12, 2, 19, 19, tzinfo=UTC))
    for platform in ("x", "facebook", "instagram"):
        report.platform(platform)
    display.console().print(_pull_table(report, ZoneInfo("America/Denver")))
    out = capsys.readouterr().out  # captured: not a terminal
    for header in ("platform", "tracked", "requests", "snapshots", "new comments", "status"):
        assert header in out, header
    assert "instagram" in out and "…" not in out
