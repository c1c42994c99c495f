"""Pulling engagement and comments back from the platforms (see ``beatpost.pull.job``)."""

from beatpost.pull.job import PlatformReport, PullReport, run_pull

__all__ = ["PlatformReport", "PullReport", "run_pull"]
