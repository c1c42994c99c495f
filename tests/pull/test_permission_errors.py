"""A pull refused for want of a permission reaches a person: `status` and the digest name it."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import responses

from analysis.digest.build import build_digest
from analysis.digest.render import render_text
from analysis.timeframe import IsoWeek
from beatpost.cli import main
from config.settings import load_settings
from store.engine import make_engine
from store.migrate import upgrade
from tests.connectors._graph_support import API, BASE, PAGE_ID, error_body

from .conftest import add_delivery

POST_ID = f"{PAGE_ID}_122100000000000001"


@responses.activate
def test_code_100_missing_permission_shows_in_status_and_the_digest(tmp_path, capsys, monkeypatch):
    for name in list(os.environ):
        if name.startswith("BEATPOST_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BEATPOST_FACEBOOK__PAGE_ACCESS_TOKEN", "page-token")
    config = tmp_path / "beatpost.toml"
    config.write_text(
        'default_timezone = "America/Chicago"\n'
        f'[facebook]\nbase_url = "{BASE}"\npage_id = "{PAGE_ID}"\n'
    )
    engine = make_engine(f"sqlite:///{tmp_path / '.beatpost' / 'beatpost.db'}")
    upgrade(engine)
    published = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    add_delivery(engine, platform="facebook", platform_id=POST_ID, published_at=published)
    # Graph's answer to every read when the Page token lacks pages_read_engagement.
    refused = error_body("object_missing_permission")
    responses.get(re.compile(re.escape(API) + "/.*"), json=refused, status=400)

    main(["--config", str(config), "pull"])
    capsys.readouterr()

    assert main(["--config", str(config), "status"]) == 0
    out = capsys.readouterr().out
    assert "Engagement pulls failing" in out
    [line] = [ln for ln in out.splitlines() if ln.strip().startswith("facebook ")]
    assert "lacks the pages_read_engagement permission" in line

    assert main(["--config", str(config), "status", "--format", "json"]) == 0
    [problem] = json.loads(capsys.readouterr().out)["pull_problems"]
    assert problem["platform"] == "facebook"
    assert "pages_read_engagement" in problem["error"]

    settings = load_settings(config)
    week = IsoWeek.of(published, ZoneInfo("America/Chicago"))
    data = build_digest(engine, week, settings, lambda: published + timedelta(hours=3))
    [failure] = data.pull_failures
    assert failure.platform == "facebook" and "pages_read_engagement" in failure.error
    text = render_text(data)
    assert re.search(r"ENGAGEMENT NOT PULLED: Facebook, since .*pages_read_engagement", text)
    engine.dispose()


def test_a_successful_request_clears_the_pull_problem(engine, clock):
    from beatpost.pull import run_pull
    from connectors.errors import MissingPermission
    from store import metrics as store_metrics
    from store.engine import read_session

    from .conftest import T0, FakeConnector, factory, settings, simple_scorer

    fb = FakeConnector("facebook", clock)
    fb.posts["p"] = T0
    add_delivery(engine, platform="facebook", platform_id="p", published_at=T0)
    fb.failures[("metrics", 1)] = MissingPermission(
        "the access token lacks the pages_read_engagement permission",
        permissions=("pages_read_engagement",),
        platform="facebook",
        code=100,
    )
    clock.advance(timedelta(hours=1))
    run_pull(settings(), engine, factory(fb), clock.now, scorer=simple_scorer)
    with read_session(engine) as session:
        [problem] = store_metrics.pull_problems(session)
    assert "pages_read_engagement" in problem.error
    clock.advance(timedelta(minutes=15))
    run_pull(settings(), engine, factory(fb), clock.now, scorer=simple_scorer)
    with read_session(engine) as session:
        assert store_metrics.pull_problems(session) == []
