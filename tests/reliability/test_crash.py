"""kill -9 of the daemon at random moments, against "500 but the post was created" faults.

A short run of ``bench/crash.py``: a handful of kills. The long run (hundreds of kills) is
the benchmark; both assert the same thing, 0 duplicates and 0 silent losses.
"""

from __future__ import annotations

import pytest

from tests.reliability.crashrun import run_crash

pytestmark = pytest.mark.slow


def test_killed_daemon_never_posts_twice_and_never_loses_a_delivery(tmp_path):
    figures = run_crash(tmp_path, kills=5, deliveries=160, seed_value=11)
    print("\ncrash run:", figures.to_json())
    t = figures.tally
    assert figures.kills == 5
    assert figures.faults_injected > 0, "the fault plan must have produced '500 but created'"
    assert figures.reconciliations > 0, "uncertain posts must have been reconciled"
    assert t.duplicates == [], f"posted more than once: {t.duplicates}"
    assert t.lost == [], f"silently lost: {t.lost}"
    assert t.mismatched == [], f"ledger and platform disagree: {t.mismatched}"
    assert figures.unsettled == {}, figures.unsettled
    # Everything went out in the end: nothing here is a reason for a person to step in.
    assert t.published_once == figures.deliveries, figures.to_json()
