"""Hostile text from the public is shown inert: in ``status``, ``report`` and the digest.

Comments (and their authors) carry HTML, a script, Rich markup and terminal escape
sequences (clear screen, an OSC 8 hyperlink, a bidi override). What a PIO sees must be the
words, never their effect: no escape or control character reaches the terminal, markup is
shown as the brackets it is, and the digest's HTML escapes it all.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from analysis.digest.build import build_digest
from analysis.digest.render import render
from analysis.timeframe import IsoWeek
from beatpost.cli import cli
from config import load_settings
from store import Delivery, State, make_engine, upgrade, write_session
from store.metrics_models import CommentRecord, MetricSnapshotRecord

ZONE = ZoneInfo("America/Chicago")
LINK = "[link=https://evil.example]click here[/link]"
STYLE = "[bold red]SHOUTING[/bold red]"
SCRIPT = '<script>alert("pwned")</script>'
IMG = "<img src=x onerror=alert(1)>"
CLEAR = "wipe\x1b[2J\x1b[Hscreen"
OSC8 = "\x1b]8;;https://evil.example\x07phish\x1b]8;;\x07"
BIDI = "txt.exe\u202egnp.jpg"
HOSTILE = [LINK, STYLE, SCRIPT, IMG, CLEAR, OSC8, BIDI]
# A post may quote the public too; short enough for the report's text column.
POST_TEXT = "[bold red]now[/bold red] [link=https://e.x]go[/link]\x1b[2J"
CONTROLS = {"\x1b", "\x07", "\x9b", "\x00", "\x08", "\u202e", "\u2066"}


def _assert_inert_terminal(out: str, where: str) -> None:
    found = sorted({repr(ch) for ch in out if ch in CONTROLS})
    assert not found, f"{where}: control characters reached the terminal: {found}"


@pytest.fixture
def workspace(tmp_path: Path):
    """A ledger with one published post, its metrics, and hostile comments on it."""
    (tmp_path / "beatpost.toml").write_text(
        'default_timezone = "America/Chicago"\n\n[digest]\nrecipients = ["pio@pd.example"]\n'
    )
    settings = load_settings(tmp_path / "beatpost.toml")
    engine = make_engine(settings.resolved_database_url)
    upgrade(engine)
    now = datetime.now(UTC).replace(microsecond=0)
    published = now - timedelta(days=1)
    with write_session(engine) as session:
        post = Delivery(
            key="spring/p1/x/once",
            campaign_id="spring",
            campaign_name=STYLE,
            post_id="p1",
            kind="testimonial",
            platform="x",
            occurrence="once",
            scheduled_at=published,
            due_at=published,
            timezone="America/Chicago",
            text=POST_TEXT,
            content_hash="h",
            state=State.PUBLISHED,
            platform_id="1900000000000000001",
            url="https://x.com/SpringfieldPD/status/1",
            published_at=published,
        )
        session.add(post)
        session.flush()
        session.add(
            MetricSnapshotRecord(
                delivery_id=post.id,
                platform="x",
                slot="6h",
                taken_at=published + timedelta(hours=6),
                age_seconds=6 * 3600,
                views=1200,
                reactions=40,
                shares=5,
                replies=len(HOSTILE),
                link_clicks=12,
            )
        )
        for n, text in enumerate(HOSTILE):
            session.add(
                CommentRecord(
                    platform="x",
                    platform_comment_id=f"c{n}",
                    delivery_id=post.id,
                    post_platform_id=post.platform_id,
                    author=f"{STYLE}{OSC8}user{n}",
                    text=f"When is the info night? {text}",
                    created_at=published + timedelta(hours=n),
                    url=f"https://x.com/u/status/{n}",
                    sentiment_label="negative",
                    sentiment_score=-0.4,
                    flags=["needs_reply", "hostile"],
                )
            )
    engine.dispose()
    return tmp_path, settings, published


def _run(workspace_path: Path, *args: str) -> str:
    result = CliRunner().invoke(
        cli,
        ["--config", str(workspace_path / "beatpost.toml"), *args],
        env={"COLUMNS": "250"},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_status_shows_hostile_comments_inert(workspace):
    path, _settings, _published = workspace
    out = _run(path, "status")
    assert "Comments needing a reply" in out
    _assert_inert_terminal(out, "beatpost status")
    assert LINK in out and STYLE in out  # brackets shown as they are, not interpreted
    assert "wipe[2J[Hscreen" not in out and "wipescreen" in out  # the escape is gone whole
    assert "phish" in out and "evil.example\x07" not in out


def test_report_shows_hostile_text_inert(workspace):
    path, _settings, published = workspace
    out = _run(path, "report", "--week", str(IsoWeek.of(published, ZONE)))
    assert "Top posts" in out
    _assert_inert_terminal(out, "beatpost report")
    # Rich turned neither into a hyperlink nor into bold red: the brackets are all there.
    assert "[bold red]now[/bold red] [link=https://e.x]go[/link]" in out, out


def test_digest_escapes_hostile_comments(workspace):
    _path, settings, published = workspace
    engine = make_engine(settings.resolved_database_url)
    week = IsoWeek.of(published, ZONE)
    data = build_digest(engine, week, settings, lambda: published + timedelta(days=8))
    rendered = render(data)
    engine.dispose()
    for part, body in (("html", rendered.html), ("text", rendered.text)):
        found = sorted({repr(ch) for ch in body if ch in CONTROLS})
        assert not found, f"digest {part}: control characters: {found}"
    assert "When is the info night?" in rendered.text
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert "<img src=x" not in rendered.html
    assert "evil.example" not in rendered.text.replace(LINK, "")  # only the literal markup


# What a terminal (C1 CSI, NEL) or a reader taking JSON for JavaScript (U+2028/2029) acts on,
# and what reorders a line (bidi overrides and isolates).
MACHINE_UNSAFE = "\x9b\x85\u202e\u2066\u2067\u2068\u2069\u2028\u2029\x7f"


def test_json_output_escapes_controls_and_bidi_from_comments(workspace):
    path, settings, published = workspace
    engine = make_engine(settings.resolved_database_url)
    text = "CSI\x9b2J NEL\x85 RLO\u202egnp.exe LRI\u2066x\u2069 LS\u2028PS\u2029 DEL\x7f é 日本"
    with write_session(engine) as session:
        post = session.scalars(select(Delivery)).one()
        session.add(
            CommentRecord(
                platform="x",
                platform_comment_id="unsafe",
                delivery_id=post.id,
                post_platform_id=post.platform_id,
                author="a\u202eb",
                text=text,
                created_at=published + timedelta(hours=9),
                url="https://x.com/u/status/9",
                sentiment_label="negative",
                sentiment_score=-0.4,
                flags=["needs_reply"],
            )
        )
    engine.dispose()
    for args in (
        ("status", "--format", "json"),
        ("report", "--week", str(IsoWeek.of(published, ZONE)), "--format", "json"),
    ):
        out = _run(path, *args)
        found = sorted({repr(ch) for ch in out if ch in MACHINE_UNSAFE or ch in CONTROLS})
        assert not found, f"beatpost {' '.join(args)}: raw control characters: {found}"
        if args[0] == "status":
            decoded = json.loads(out)  # escaped, not removed: the data is intact
            assert text in [c["text"] for c in decoded["needs_reply"]]
            assert "é 日本" in out  # other alphabets stay readable


def test_machine_json_escapes_every_control_and_format_character():
    from beatpost.display import machine_json

    unsafe = "".join(
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp")
    )
    out = machine_json({"all": unsafe})
    assert json.loads(out) == {"all": unsafe}
    assert not [hex(ord(ch)) for ch in out if ch in unsafe and ch != "\n"]
