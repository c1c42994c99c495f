"""Campaign files -> what ``store.sync_plans`` takes. The one place that joins the two.

Plans are made from ``LOOKBACK`` ago to ``HORIZON`` ahead (the daemon re-syncs hourly so the
window moves); new ones older than ``grace_minutes`` are not added, as they could only be
skipped as too late.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from beatpost.validation import validation_options
from campaigns import DeliveryPlan, load_campaigns
from campaigns.loader import SUFFIXES
from config import Settings
from store import SyncReport, Window, sync_plans

HORIZON = timedelta(days=366)  # a campaign is often written months ahead
# How far back plans are still compared with the ledger: a post deferred (quota, rate limit)
# past its time is cancelled if removed from its file, and kept if not.
LOOKBACK = timedelta(days=30)

Fingerprint = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class PlanSet:
    """Everything one read of the campaigns folder says, ready for ``sync_plans``."""

    plans: list[DeliveryPlan]
    valid_files: list[str]
    invalid_files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    window: Window | None = None
    # False when the folder is missing or empty: then nothing is cancelled for being absent
    # (an unmounted share must not cancel every campaign).
    complete: bool = True
    # Remarks about the folder itself ("no such file or folder", "no campaign files").
    notes: list[str] = field(default_factory=list)


Planner = Callable[[datetime], PlanSet]


def _relative(path: str, workspace: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(workspace))
    except ValueError:
        return path


def load_plans(settings: Settings, now: datetime) -> PlanSet:
    """Read and plan every campaign file under ``settings.campaigns_path``."""
    folder = settings.campaigns_path
    workspace = settings.workspace.resolve()
    window = Window(
        now - LOOKBACK, now + HORIZON, add_from=now - timedelta(minutes=settings.grace_minutes)
    )
    result = load_campaigns([folder], validation_options(settings, now))
    valid: list[str] = []
    invalid: dict[str, list[dict[str, Any]]] = {}
    notes: list[str] = []
    for file in result.files:
        if Path(file.path).suffix not in SUFFIXES:
            # A remark about the folder itself (missing, empty), not a campaign file.
            notes.extend(f"{d.file}: {d.severity}: {d.message}" for d in file.diagnostics)
            continue
        name = _relative(file.path, workspace)
        if file.ok:
            valid.append(name)
        else:
            invalid[name] = [
                {**d.to_json(), "file": name} for d in file.diagnostics if d.severity == "error"
            ]
    plans = [
        dataclasses.replace(p, source_file=_relative(p.source_file, workspace))
        for p in result.deliveries(window.start, window.end)
    ]
    complete = folder.is_dir() and bool(valid or invalid)
    return PlanSet(plans, valid, invalid, window, complete, notes)


def apply(
    engine: Engine, plan_set: PlanSet, *, now: datetime, actor: str, dry_run: bool = False
) -> SyncReport:
    return sync_plans(
        engine,
        plan_set.plans,
        valid_files=plan_set.valid_files,
        invalid_files=plan_set.invalid_files,
        now=now,
        actor=actor,
        window=plan_set.window,
        complete=plan_set.complete,
        dry_run=dry_run,
    )


def fingerprint(folder: Path) -> Fingerprint:
    """Cheap change detection for the campaigns folder: names, sizes and mtimes."""
    if not folder.is_dir():
        return ()
    found = []
    for path in folder.rglob("*"):
        if path.suffix in SUFFIXES and path.is_file():
            stat = path.stat()
            found.append((str(path.relative_to(folder)), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(found))
