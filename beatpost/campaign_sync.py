"""Campaign files -> what ``store.sync_plans`` takes. The one place that joins the two.

Plans are made from ``LOOKBACK`` ago to ``HORIZON`` ahead (the daemon re-syncs hourly so the
window moves); new ones older than ``grace_minutes`` are not added, as they could only be
skipped as too late.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from beatpost.validation import validation_options
from campaigns import CampaignSet, DeliveryPlan, find_files, load_campaigns
from campaigns.loader import SUFFIXES
from config import Settings
from store import SyncReport, Window, sync_plans

HORIZON = timedelta(days=366)  # a campaign is often written months ahead
# How far back plans are still compared with the ledger: a post deferred (quota, rate limit)
# past its time is cancelled if removed from its file, and kept if not.
LOOKBACK = timedelta(days=30)

log = logging.getLogger("beatpost.campaign_sync")

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


def load_plans(
    settings: Settings,
    now: datetime,
    *,
    only: Sequence[Path] | None = None,
    broken: Mapping[Path, str] | None = None,
) -> PlanSet:
    """Read and plan every campaign file under ``settings.campaigns_path``.

    One file's failure is that file's error: when reading the folder raises (a value out of
    range, a format width beyond memory, a structure too deep ...), each file is read on its
    own, the ones that raise are reported invalid (their deliveries already in the ledger
    stay as they are) and the others are read together again. Never raises for a file.

    ``only``: read these files instead of the folder (the others are not looked at).
    ``broken``: files already known to stop a reader, with why; reported invalid, not read.
    """
    folder = settings.campaigns_path
    window = Window(
        now - LOOKBACK, now + HORIZON, add_from=now - timedelta(minutes=settings.grace_minutes)
    )
    opts = validation_options(settings, now)
    failed = dict(broken or {})
    targets = [folder] if only is None else [f for f in only if f not in failed]
    try:
        result = load_campaigns(targets, opts)
    except Exception:  # noqa: BLE001 - find the file(s) and report each as its own error
        log.info("reading the campaign files failed; reading them one by one")
        files = campaign_files(folder) if only is None else targets
        for file in files:
            if file in failed:
                continue
            try:
                load_campaigns([file], opts)
            except Exception as exc:  # noqa: BLE001 - that file's error, located at its start
                failed[file] = describe_failure(exc)
        result = load_campaigns([f for f in files if f not in failed], opts)
    return _plan_set(settings, result, window, folder, failed)


def campaign_files(folder: Path) -> list[Path]:
    """The campaign files the folder holds, as ``load_campaigns`` finds them."""
    return find_files([folder])[0] if folder.is_dir() else []


def describe_failure(exc: BaseException) -> str:
    """Why a file stopped the reader, in words for the person who edits it."""
    if isinstance(exc, OverflowError):
        cause = "a number, date or duration in it is too large"
    elif isinstance(exc, MemoryError):
        cause = "it needs more memory than allowed (a very large format width, repeat or list?)"
    elif isinstance(exc, RecursionError):
        cause = "it is nested too deeply"
    else:
        cause = "of an unexpected problem"
    detail = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    return f"this file could not be read because {cause} ({detail[:200]})"


def failed_file_diagnostic(name: str, reason: str) -> dict[str, Any]:
    return {
        "file": name,
        "line": 1,
        "column": 1,
        "path": "",
        "message": f"{reason}; the deliveries already scheduled from it are kept until it is fixed",
    }


def _plan_set(
    settings: Settings,
    result: CampaignSet,
    window: Window,
    folder: Path,
    failed: Mapping[Path, str],
) -> PlanSet:
    workspace = settings.workspace.resolve()
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
    for path, reason in failed.items():
        name = _relative(str(path), workspace)
        invalid[name] = [failed_file_diagnostic(name, reason)]
    plans = [
        dataclasses.replace(p, source_file=_relative(p.source_file, workspace))
        for p in result.deliveries(window.start, window.end)
    ]
    complete = folder.is_dir() and bool(valid or invalid)
    return PlanSet(plans, valid, invalid, window, complete, notes)


def sync_plan_set(
    engine: Engine,
    plan_set: PlanSet,
    *,
    now: datetime,
    actor: str,
    dry_run: bool = False,
    should_stop: Callable[[], bool] = lambda: False,
) -> SyncReport:
    """Bring the ledger in line with one read of the campaigns folder (``store.sync_plans``)."""
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
        should_stop=should_stop,
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
