"""``beatpost`` with the daemon's retry delays shortened, for crash and fault runs.

``python -m tests.reliability.shortdelays --config beatpost.toml run`` is ``beatpost run``
exactly (the same CLI, signals, start-up recovery, scheduler and ledger), except that an
uncertain post is checked after 1 s instead of 30 s and transient errors back off from 1 s
instead of 30 s, so a test sees many crash/reconcile cycles per minute of wall time.
"""

from __future__ import annotations

import functools
import sys
from datetime import timedelta

import beatpost.daemon
from beatpost.cli import main
from beatpost.publisher import RetryPolicy

SHORT = {
    "reconcile_delay": timedelta(seconds=1),
    "backoff_base": timedelta(seconds=1),
    "backoff_cap": timedelta(seconds=8),
}

if __name__ == "__main__":
    beatpost.daemon.RetryPolicy = functools.partial(RetryPolicy, **SHORT)  # type: ignore[misc]
    sys.exit(main())
