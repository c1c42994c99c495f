"""``beatpost.status``: what the status command shows, gathered without the command line."""

from datetime import UTC, datetime

from beatpost.status import gather_status, reply_window_start
from config.settings import Settings
from store import make_engine, upgrade

NOW = datetime(2027, 3, 17, 15, 0, tzinfo=UTC)  # Wednesday of ISO week 2027-W11


def _engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'beatpost.db'}")
    upgrade(engine)
    return engine


def test_an_empty_store_has_nothing_to_show_and_no_daemon(tmp_path):
    settings = Settings(default_timezone="America/Chicago")
    status = gather_status(_engine(tmp_path), settings, NOW)
    assert status.daemon is not None and status.daemon.running is False
    assert (status.needs_reply, status.safety, status.digests, status.pull_problems) == (
        [],
        [],
        [],
        [],
    )
    # Default window: local midnight on the Monday of 2027-W10 (the digest's latest week).
    assert status.needs_reply_since == reply_window_start(settings, NOW)
    assert status.needs_reply_since == datetime(2027, 3, 8, 6, 0, tzinfo=UTC)
    data = status.to_json()
    assert data["daemon"] == {"running": False, "pid": None}
    assert data["needs_reply_since"] == "2027-03-08T06:00:00Z"


def test_an_explicit_since_is_kept(tmp_path):
    since = datetime(2027, 3, 1, tzinfo=UTC)
    status = gather_status(_engine(tmp_path), Settings(), NOW, since)
    assert status.needs_reply_since == since
