"""The digest page, opened in a real headless browser, runs nothing the public wrote.

The escaping tests read the HTML as text; this one lets Chromium parse and run the page (as a
mail client's web view would) and reads back the DOM it ended with. Comment text carries a
script, an ``onerror`` handler and a ``javascript:`` link that would each leave a mark on the
page if they ran.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from analysis.digest.build import build_digest
from analysis.digest.render import render
from analysis.timeframe import IsoWeek, week_zone
from config import load_settings
from store import Delivery, State, make_engine, upgrade, write_session
from store.metrics_models import CommentRecord

MARK = "pwned-by-comment"
PAYLOADS = [
    f"<script>document.title='{MARK}'</script>",
    f"<img src=x onerror=\"document.body.setAttribute('data-x','{MARK}')\">",
    f"<a href=\"javascript:document.title='{MARK}'\" id=bad>apply here</a>",
    f"<svg onload=\"document.body.setAttribute('data-y','{MARK}')\"></svg>",
]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("BEATPOST_TEST_REQUIRE_BROWSER") == "1":
        pytest.fail("BEATPOST_TEST_REQUIRE_BROWSER=1 but no chromium is installed")
    pytest.skip("needs a headless Chromium (apt-get install chromium); .ci/run installs it")


def _dump_dom(browser: str, page: Path, profile: Path) -> str:
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=3000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _digest_html(tmp_path: Path) -> str:
    (tmp_path / "beatpost.toml").write_text(
        'default_timezone = "America/Chicago"\n\n[digest]\nrecipients = ["pio@pd.example"]\n'
    )
    settings = load_settings(tmp_path / "beatpost.toml")
    engine = make_engine(settings.resolved_database_url)
    upgrade(engine)
    published = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    with write_session(engine) as session:
        post = Delivery(
            key="spring/p1/x/once",
            campaign_id="spring",
            campaign_name="Spring",
            post_id="p1",
            kind="testimonial",
            platform="x",
            occurrence="once",
            scheduled_at=published,
            due_at=published,
            timezone="America/Chicago",
            text="Join us",
            content_hash="h",
            state=State.PUBLISHED,
            platform_id="1900000000000000001",
            url="https://x.com/SpringfieldPD/status/1",
            published_at=published,
        )
        session.add(post)
        session.flush()
        for n, payload in enumerate(PAYLOADS):
            session.add(
                CommentRecord(
                    platform="x",
                    platform_comment_id=f"c{n}",
                    delivery_id=post.id,
                    post_platform_id=post.platform_id,
                    author=f"user{n}{payload}",
                    text=f"How do I apply? {payload}",
                    created_at=published + timedelta(hours=n),
                    url=f"https://x.com/u/status/{n}",
                    sentiment_label="negative",
                    sentiment_score=-0.4,
                    flags=["needs_reply", "hostile"],
                )
            )
    week = IsoWeek.of(published, week_zone(settings))
    data = build_digest(engine, week, settings, lambda: published + timedelta(days=8))
    engine.dispose()
    return render(data).html


def test_digest_runs_no_comment_script_in_a_real_browser(tmp_path: Path):
    browser = _chromium()
    page = tmp_path / "digest.html"
    page.write_text(_digest_html(tmp_path), encoding="utf-8")
    dom = _dump_dom(browser, page, tmp_path / "profile")

    assert "How do I apply?" in dom  # the comments are on the page, as words
    assert MARK not in dom.split("<body", 1)[0]  # the title was not rewritten
    assert f'data-x="{MARK}"' not in dom and f'data-y="{MARK}"' not in dom
    # What the browser built from the comments: text nodes, not elements.
    assert "<script>document.title" not in dom
    assert 'id="bad"' not in dom and "<svg onload" not in dom
    assert "&lt;script&gt;" in dom
