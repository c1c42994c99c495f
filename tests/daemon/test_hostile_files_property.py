"""Generated hostile campaign files through a daemon's sync (property-based).

Whatever one file holds (nesting thousands deep, lists of a hundred thousand items, dates
and durations out of range, format widths beyond memory, YAML tags, media paths leaving the
workspace), a sync of the daemon: does not raise or crash; reports the file valid, or
invalid with located messages and no internal error; ends within a time bound in a
reader whose memory is bounded; and leaves every other file's deliveries as they were
(and the hostile file's own earlier deliveries, when it turns invalid).
"""

from __future__ import annotations

import resource
import time
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beatpost import isolated_read
from beatpost.daemon import Daemon
from beatpost.isolated_read import READ_MEMORY_BYTES
from config import Settings
from store import Ledger, State, make_engine, upgrade

# What one sync may add to the daemon's own memory. The daemon's process is this test
# process, whose lifetime peak depends on every test run before it (the sentiment models,
# for one), so the sync's own cost is measured: its Python allocations at their peak, and
# how far it raises the process's peak resident size.
DAEMON_SYNC_BYTES = 256 * 1024**2
NOW = datetime.now(UTC).replace(second=0, microsecond=0)
DAY = (NOW + timedelta(days=10)).date()

CAMPAIGN = """\
version: 1
campaign:
  id: {id}
  name: {name}
  timezone: America/Chicago
  window: {{start: {start}, end: {end}}}
  platforms: [x, facebook]
  approved_by: Lt. Ortiz
posts:
  - id: {id}-post
    kind: {kind}
{event}    at: {at}
    text: {text}
{extra}"""

EVENT = """\
    event:
      name: Info Night
      starts: {starts}
      ends: {starts}
      location: Headquarters
"""


def campaign(**fields: str) -> str:
    values = {
        "id": "hostile",
        "name": "Hostile",
        "start": str(DAY - timedelta(days=5)),
        "end": str(DAY + timedelta(days=60)),
        "kind": "announcement",
        "event": "",
        "at": f"{DAY} 09:00",
        "text": "Join us.",
        "extra": "",
    }
    values.update(fields)
    return CAMPAIGN.format(**values)


HUGE = st.sampled_from(
    ["9999999999", "99999999999999999999", str(2**63), str(10**30), "1e308", "-0", "nan"]
)
DATES = st.sampled_from(
    ["9999-12-31 23:59", "0001-01-01 00:00", "0000-00-00 00:00", "2027-02-30 09:00", "10000-01-01"]
)
FORMAT_SPECS = st.one_of(
    HUGE.map(lambda n: f'"{{campaign.name:>{n}}}"'),
    HUGE.map(lambda n: f'"{{campaign.name:.{n}}}"'),
    st.sampled_from(
        [
            '"{campaign.name!r:^99999999999}"',
            '"{campaign.__class__.__init__.__globals__}"',
            '"{0}{1}{}"',
            '"{campaign.name:%Y%Q}"',
            '"{' * 50 + '"',
            '"{campaign.name:{campaign.name:>9999}}"',
        ]
    ),
)
TAGS = st.sampled_from(
    [
        "!!python/object:os.system",
        "!!python/object/apply:os.system ['true']",
        "!!binary aGVsbG8=",
        "!custom x",
        "!!set {a, b}",
        "!!timestamp 9999-12-31",
    ]
)
PATHS = st.sampled_from(
    [
        "/etc/passwd",
        "../../../../etc/hostname",
        "media/../../x.jpg",
        "~/x.jpg",
        "media/\\x00.jpg",
        "C:\\\\Windows\\\\win.ini",
        "media/" + "a" * 5000 + ".jpg",
    ]
)


def deep(depth: int, opener: str) -> str:
    return "version: 1\ncampaign: " + opener * depth + "\n"


HOSTILE = st.one_of(
    st.builds(deep, st.integers(1, 40_000), st.sampled_from(["[", "{a: ", "- ", "[{"])),
    st.integers(1, 100_000).map(lambda n: campaign(extra="    hashtags: [" + "a, " * n + "a]\n")),
    DATES.map(lambda at: campaign(at=at, end="9999-12-31")),
    HUGE.map(
        lambda n: campaign(
            kind="event",
            event=EVENT.format(starts=f"{DAY} 18:00"),
            extra=f"    reminders: [-{n}d, {n}h]\n",
        )
    ),
    FORMAT_SPECS.map(lambda text: campaign(text=text)),
    TAGS.map(lambda tag: campaign(text=tag)),
    TAGS.map(lambda tag: f"version: 1\ncampaign: {tag}\n"),
    PATHS.map(lambda p: campaign(extra=f'    media:\n      - file: "{p}"\n        alt: x\n')),
    st.text(max_size=300),  # anything at all
)


@pytest.fixture(scope="module")
def rig(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("hostile")
    (workspace / "campaigns").mkdir()
    (workspace / "campaigns" / "good.yaml").write_text(
        campaign(id="good", name="Good", text="Ride along with us.")
    )
    settings_ = Settings(workspace=workspace, grace_minutes=15)
    engine = make_engine(settings_.resolved_database_url)
    upgrade(engine)
    daemon = Daemon(settings_, engine=engine, clock=lambda: NOW)
    yield workspace, daemon
    daemon.stop()
    engine.dispose()


def _rows(ledger: Ledger, prefix: str) -> dict[str, tuple[str, str, datetime]]:
    return {
        d.key: (str(d.state), d.text, d.scheduled_at)
        for d in ledger.deliveries()
        if d.key.startswith(prefix)
    }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(hostile=HOSTILE)
def test_a_hostile_file_stays_that_files_problem_in_the_daemons_sync(rig, hostile):
    workspace, daemon = rig
    ledger = daemon.ledger
    path = workspace / "campaigns" / "hostile.yaml"
    # The file was good once: its deliveries are in the ledger.
    path.write_text(campaign())
    assert daemon.resync() is not None
    good_before = _rows(ledger, "good/")
    own_before = _rows(ledger, "hostile/")
    assert good_before and own_before

    path.write_text(hostile, encoding="utf-8", errors="surrogatepass")
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    started = time.monotonic()
    try:
        report = daemon.resync()
        took = time.monotonic() - started
        _, python_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    peak_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - peak_before

    assert report is not None, "the sync failed as a whole"
    assert took < 60, f"the sync took {took:.1f} s"
    # The reading child stays within its bound; the daemon itself never holds a file's cost.
    assert 0 < isolated_read.stats.peak_bytes < READ_MEMORY_BYTES
    assert python_peak < DAEMON_SYNC_BYTES, f"the sync held {python_peak:,} bytes"
    assert peak_growth < DAEMON_SYNC_BYTES, f"the sync raised the peak by {peak_growth:,} bytes"
    assert _rows(ledger, "good/") == good_before
    status = ledger.status(NOW)
    invalid = {f.path: f.diagnostics for f in status.invalid_files}
    assert set(invalid) <= {"campaigns/hostile.yaml"}
    if invalid:
        assert _rows(ledger, "hostile/") == own_before  # its last good version is kept
        for d in invalid["campaigns/hostile.yaml"]:
            assert d["file"] == "campaigns/hostile.yaml"
            assert int(d["line"]) >= 1 and int(d["column"]) >= 1
            assert d["message"] and "internal error" not in d["message"]
            assert "Traceback" not in d["message"]
    else:
        assert all(state == State.PLANNED for state, *_ in _rows(ledger, "hostile/").values())
