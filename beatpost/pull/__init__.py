"""Pulling engagement and comments back from the platforms (see ``beatpost.pull.job``)."""

from analysis.timeframe import system_clock
from beatpost.pull.job import (
    PlatformReport,
    PullReport,
    connector_factory_for,
    run_pull,
)

__all__ = ["PlatformReport", "PullReport", "connector_factory_for", "run_pull", "system_clock"]
