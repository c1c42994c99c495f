"""Campaign plans -> ledger (docs/operations.md, "The ledger in one paragraph").

- a new key is added as ``planned``;
- a ``planned`` (or ``cancelled``) row whose plan changed is updated (a cancelled one revives);
- a ``planned`` row of a valid file that no longer yields its key is ``cancelled``;
- rows of a file that stopped validating keep their last good version;
- a ``failed`` or ``skipped`` row whose plan changed gets the new content but keeps its state
  (a person decides to send it, with ``beatpost retry``);
- published and in-flight (``publishing``, ``unknown``) rows are never touched by a sync;
- unchanged input writes nothing at all (no row, no audit entry).

This module takes plan-shaped objects (``PlannedDelivery``) and never imports ``campaigns``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from store.engine import read_session, write_session
from store.ledger import audit, move
from store.ledger_types import SyncChange, SyncReport
from store.models import CampaignFile, Delivery, State


class MediaLike(Protocol):
    path: Path | str
    alt_text: str
    mime_type: str


class PlannedDelivery(Protocol):
    """What sync reads from a campaign's planned delivery (campaigns.types.DeliveryPlan):
    these, and each of the ledger's columns (``_FIELDS``) by its name (``at_utc`` for
    ``scheduled_at``), so that the columns are listed once, there."""

    key: str
    media: Sequence[MediaLike]
    source_file: str | Path


class SyncError(Exception):
    """The plans cannot be applied as given."""


class SyncStopped(SyncError):
    """``should_stop`` said so between batches; nothing of this sync was written."""

    def __init__(self) -> None:
        super().__init__("the sync was stopped before it finished; nothing was written")


StopCheck = Callable[[], bool]


def _never() -> bool:
    return False


def _check(should_stop: StopCheck) -> None:
    if should_stop():
        raise SyncStopped


@dataclass(frozen=True)
class Window:
    """The span the plans were made for.

    Only rows scheduled in [start, end) can be cancelled for being absent: a row beyond the
    horizon is not gone just because it was not planned now. ``add_from`` (optional): plans
    scheduled before it are not added (or revived), since they could only be skipped as too
    late; they still update and keep alive rows already in the ledger (a post deferred by a
    quota, say), which is why ``start`` reaches further back.
    """

    start: datetime
    end: datetime
    add_from: datetime | None = None

    def __contains__(self, at: datetime) -> bool:
        return self.start <= at < self.end


# Compared to decide whether a row changed; the content_hash covers what would be posted.
_FIELDS = (
    "campaign_id",
    "campaign_name",
    "post_id",
    "kind",
    "platform",
    "occurrence",
    "scheduled_at",
    "timezone",
    "text",
    "media",
    "link",
    "partner",
    "approved_by",
    "source_file",
    "source_line",
    "content_hash",
)
# Changes to these alone are bookkeeping, written silently (no audit, not reported).
_COSMETIC = frozenset({"campaign_name", "source_line", "partner"})


# Where the plan's name for a field differs from the ledger's column.
_PLAN_NAMES = {"scheduled_at": "at_utc"}


def _values(plan: PlannedDelivery) -> dict[str, Any]:
    """The ledger's columns (``_FIELDS``) of a plan."""
    values = {name: getattr(plan, _PLAN_NAMES.get(name, name)) for name in _FIELDS}
    values["media"] = [
        {
            "path": str(m.path),
            "alt_text": m.alt_text,
            "mime_type": m.mime_type,
            **(m.video_fields() if hasattr(m, "video_fields") else {}),
        }
        for m in plan.media
    ]
    values["source_file"] = str(plan.source_file)
    return values


def sync_plans(
    engine: Engine,
    plans: Iterable[PlannedDelivery],
    *,
    valid_files: Iterable[str | Path],
    invalid_files: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    now: datetime,
    actor: str,
    window: Window | None = None,
    complete: bool = True,
    dry_run: bool = False,
    should_stop: StopCheck = _never,
) -> SyncReport:
    """Bring the ledger in line with ``plans``. See the module docstring for the rules.

    ``valid_files``/``invalid_files`` name every campaign file read (invalid ones with their
    diagnostics as JSON objects). With ``complete`` the files given are all there are: rows
    and status of files not named (deleted files) are cancelled / forgotten.
    With ``dry_run`` nothing is written; the report says what would change.

    A plan whose key another plan already has makes its file invalid (reported like a
    validation error; its rows keep their last good version), not the whole sync.
    ``should_stop`` is asked between batches of rows; when it says so, :class:`SyncStopped`
    is raised and nothing is written.
    """
    invalid = {str(k): [dict(d) for d in v] for k, v in (invalid_files or {}).items()}
    valid = {str(p) for p in valid_files} - set(invalid)
    values_of = [_values(plan) | {"key": plan.key} for plan in plans]
    _check(should_stop)
    invalid.update(_too_long(values_of, invalid))
    invalid.update(_duplicate_keys(values_of, invalid))
    valid -= set(invalid)
    by_key: dict[str, dict[str, Any]] = {}
    for values in values_of:
        key = values.pop("key")
        if values["source_file"] in invalid:
            continue  # keep the last good version of a file that no longer validates
        by_key[key] = values
        valid.add(values["source_file"])

    # Two steps, so that the write lock (all of SQLite, for every claim) is held only for
    # what changes: (1) without it, compare the ledger's cheap columns with the plans and
    # pick the rows that may change; (2) only if there are any, take it, read those rows
    # in full (locked on PostgreSQL) and decide again on what is there now. A claim or a
    # publish that happened in between is seen in (2); published and in-flight rows are
    # never written. An unchanged re-sync takes no write lock at all.
    #
    # On PostgreSQL two daemons may both find a key missing and both insert it: the
    # unique key lets one transaction through and rolls the other back whole. The loser
    # then starts over once; it finds the row and has nothing left to add.
    wanted = _Wanted(by_key, valid, invalid, window, complete)
    args = (engine, wanted, now, actor, dry_run, should_stop)
    try:
        return _compare_and_apply(*args)
    except IntegrityError:
        if dry_run:
            raise
        return _compare_and_apply(*args)


# Columns with a length limit (PostgreSQL enforces it, and would refuse the whole sync).
_LIMITS = {
    name: column.type.length
    for name, column in Delivery.__table__.columns.items()  # type: ignore[attr-defined]
    if name in (*_FIELDS, "key") and getattr(column.type, "length", None)
}


def _too_long(
    values_of: Sequence[dict[str, Any]], invalid: Mapping[str, Any]
) -> dict[str, list[dict[str, Any]]]:
    """Files with a value longer than its column holds, with one diagnostic each."""
    found: dict[str, list[dict[str, Any]]] = {}
    for values in values_of:
        source = values["source_file"]
        if source in invalid or source in found:
            continue
        for name, limit in _LIMITS.items():
            value = values[name]
            if isinstance(value, str) and len(value) > limit:
                found[source] = [
                    {
                        "file": source,
                        "line": values["source_line"],
                        "column": 1,
                        "path": "",
                        "message": f"the {name.replace('_', ' ')} is {len(value)} characters "
                        f"long; at most {limit} can be stored",
                    }
                ]
                break
    return found


def _duplicate_keys(
    values_of: Sequence[dict[str, Any]], invalid: Mapping[str, Any]
) -> dict[str, list[dict[str, Any]]]:
    """Files with a plan whose key an earlier plan has, with one diagnostic each."""
    first: dict[str, dict[str, Any]] = {}
    found: dict[str, list[dict[str, Any]]] = {}
    for values in values_of:
        source = values["source_file"]
        if source in invalid or source in found:
            continue
        other = first.setdefault(values["key"], values)
        if other is values:
            continue
        found[source] = [
            {
                "file": source,
                "line": values["source_line"],
                "column": 1,
                "path": "",
                "message": f"the delivery {values['key']!r} is planned twice (also by "
                f"{other['source_file']}:{other['source_line']}); give each post its own id",
            }
        ]
    return found


@dataclass(frozen=True)
class _Wanted:
    """What the campaign files ask of the ledger: the plans by key and which files were read."""

    by_key: dict[str, dict[str, Any]]
    valid: set[str]
    invalid: dict[str, list[dict[str, Any]]]
    window: Window | None
    complete: bool  # the files named are all there are

    def too_old(self, values: dict[str, Any]) -> bool:
        add_from = self.window.add_from if self.window is not None else None
        return add_from is not None and values["scheduled_at"] < add_from

    def cancel_reason(self, row: Any) -> str | None:
        """Why a planned row is cancelled by this sync, or None if it stays."""
        if row.key in self.by_key or row.source_file in self.invalid:
            return None
        if self.window is not None and row.scheduled_at not in self.window:
            return None
        if row.source_file in self.valid:
            return f"no longer in {row.source_file}"
        if self.complete:
            return f"campaign file {row.source_file} was removed"
        return None

    def files(self) -> dict[str, tuple[bool, list[dict[str, Any]]]]:
        """Each campaign file read: (valid, its diagnostics)."""
        files: dict[str, tuple[bool, list[dict[str, Any]]]] = {p: (True, []) for p in self.valid}
        files.update({p: (False, d) for p, d in self.invalid.items()})
        return files


def _compare_and_apply(
    engine: Engine,
    wanted: _Wanted,
    now: datetime,
    actor: str,
    dry_run: bool,
    should_stop: StopCheck,
) -> SyncReport:
    """Steps (1) and (2) of :func:`sync_plans`, once."""
    invalid_files = tuple(sorted(wanted.invalid))
    with read_session(engine) as session:
        todo = _candidates(session, wanted, should_stop)
        files_changed = _files_changed(session, wanted)
    if not todo.any and not files_changed:
        return SyncReport(changes=(), invalid_files=invalid_files, dry_run=dry_run)

    session_of = read_session if dry_run else write_session
    with session_of(engine) as session:
        changes = _apply(session, todo, wanted, now, actor, dry_run, should_stop)
        if not dry_run:
            _record_files(session, wanted, now, actor)
    return SyncReport(changes=tuple(changes), invalid_files=invalid_files, dry_run=dry_run)


# What step (1) reads of each row: no text, media or link (the content_hash stands for them).
_LIGHT_FIELDS = tuple(f for f in _FIELDS if f not in ("text", "media", "link"))
_LIGHT_COLUMNS = (Delivery.id, Delivery.key, Delivery.state) + tuple(
    getattr(Delivery, f) for f in _LIGHT_FIELDS
)


@dataclass
class _Candidates:
    """Step (1)'s result: keys that may be added or changed, ids of rows that may be cancelled."""

    keys: list[str]
    cancel_ids: list[int]

    @property
    def any(self) -> bool:
        return bool(self.keys or self.cancel_ids)


def _candidates(session: Session, wanted: _Wanted, should_stop: StopCheck) -> _Candidates:
    """Step (1): one read of the cheap columns; a superset of the rows step (2) will change."""
    rows = {
        r.key: r
        for r in session.execute(
            select(*_LIGHT_COLUMNS).where(col(Delivery.state) == State.PLANNED)
        )
    }
    # Planned rows are nearly all of the keys; look up only the rest (published, failed,
    # cancelled ... or new).
    by_key = wanted.by_key
    others = [k for k in by_key if k not in rows]
    for start in range(0, len(others), 500):
        _check(should_stop)
        stmt = select(*_LIGHT_COLUMNS).where(col(Delivery.key).in_(others[start : start + 500]))
        rows.update({r.key: r for r in session.execute(stmt)})

    keys: list[str] = []
    for key, values in by_key.items():
        row = rows.get(key)
        if row is None or row.state == State.CANCELLED:
            if not wanted.too_old(values):
                keys.append(key)
        elif row.state == State.PUBLISHED:
            continue
        else:
            changed = {f for f in _LIGHT_FIELDS if getattr(row, f) != values[f]}
            if row.state != State.PLANNED:
                changed -= _COSMETIC  # only what would be posted matters for the others
            if changed:
                keys.append(key)
    cancel_ids = [
        r.id
        for r in rows.values()
        if r.state == State.PLANNED and wanted.cancel_reason(r) is not None
    ]
    return _Candidates(keys, sorted(cancel_ids))


def _current_rows(session: Session, *conditions: Any, lock: bool) -> list[Delivery]:
    # FOR UPDATE on PostgreSQL: a claim holding one of these rows finishes first, and this
    # sync then sees the row as it left it (SQLite's BEGIN IMMEDIATE already excludes it).
    stmt = select(Delivery).where(*conditions)
    return list(session.scalars(stmt.with_for_update() if lock else stmt))


def _apply(
    session: Session,
    todo: _Candidates,
    wanted: _Wanted,
    now: datetime,
    actor: str,
    dry_run: bool,
    should_stop: StopCheck,
) -> list[SyncChange]:
    """Step (2): the sync rules on the current rows of step (1)'s candidates."""
    changes: list[SyncChange] = []
    new: list[tuple[str, dict[str, Any]]] = []
    existing: dict[str, Delivery] = {}
    for start in range(0, len(todo.keys), 500):
        _check(should_stop)
        chunk = todo.keys[start : start + 500]
        existing.update(
            {
                r.key: r
                for r in _current_rows(session, col(Delivery.key).in_(chunk), lock=not dry_run)
            }
        )
    for n, key in enumerate(todo.keys):
        if n % 500 == 0:
            _check(should_stop)
        values = wanted.by_key[key]
        row = existing.get(key)
        if (row is None or row.state == State.CANCELLED) and wanted.too_old(values):
            continue
        if row is None:
            changes.append(SyncChange("add", key, values["platform"], values["scheduled_at"]))
            new.append((key, values))
        elif row.state in (State.PLANNED, State.CANCELLED):
            changed = [f for f in _FIELDS if getattr(row, f) != values[f]]
            if row.state == State.CANCELLED:
                changes.append(
                    SyncChange("add", key, row.platform, values["scheduled_at"], "back in file")
                )
            elif set(changed) - _COSMETIC:
                detail = ", ".join(sorted(set(changed) - _COSMETIC - {"content_hash"}))
                changes.append(
                    SyncChange("update", key, row.platform, values["scheduled_at"], detail)
                )
            elif not changed:
                continue
            if not dry_run:
                _update(session, row, values, changed, now, actor)
        elif row.state in (State.FAILED, State.SKIPPED):
            # Not planned again by itself (a person decides, with `beatpost retry`), but a
            # corrected post must be what a retry sends.
            material = set(f for f in _FIELDS if getattr(row, f) != values[f]) - _COSMETIC
            if not material:
                continue
            fields = ", ".join(sorted(material - {"content_hash"}))
            changes.append(
                SyncChange(
                    "update",
                    key,
                    row.platform,
                    values["scheduled_at"],
                    f"{fields}; still {row.state}, `beatpost retry {row.id}` sends it",
                )
            )
            if not dry_run:
                _refresh_content(session, row, values, fields, now, actor)
        # published or in flight (claimed since step 1, perhaps): never touched
    if new and not dry_run:
        _add_all(session, new, now, actor, should_stop)

    for start in range(0, len(todo.cancel_ids), 500):
        _check(should_stop)
        chunk = todo.cancel_ids[start : start + 500]
        rows = _current_rows(session, col(Delivery.id).in_(chunk), lock=not dry_run)
        for row in sorted(rows, key=lambda r: r.id or 0):
            if row.state != State.PLANNED:
                continue  # claimed (or changed) since step 1
            reason = wanted.cancel_reason(row)
            if reason is None:
                continue
            changes.append(SyncChange("cancel", row.key, row.platform, row.scheduled_at, reason))
            if not dry_run:
                move(session, row, State.CANCELLED, reason=reason, actor=actor, now=now)
    return changes


def _add_all(
    session: Session,
    new: list[tuple[str, dict[str, Any]]],
    now: datetime,
    actor: str,
    should_stop: StopCheck,
) -> None:
    """Insert new planned rows, then their audit entries (which need the rows' ids).

    One flush per 500 rows, so SQLAlchemy sends them as multi-row INSERTs rather than a
    round trip per row (a first sync adds the whole year); one flush of everything would
    hold the parameters of 10,000 rows at once, and the daemon keeps that heap for good."""
    for start in range(0, len(new), 500):
        _check(should_stop)
        rows = [
            Delivery(
                key=key,
                due_at=values["scheduled_at"],
                state=State.PLANNED,
                created_at=now,
                updated_at=now,
                **values,
            )
            for key, values in new[start : start + 500]
        ]
        session.add_all(rows)
        session.flush()
        for row in rows:
            added = f"added from {row.source_file}"
            audit(session, ("delivery", row.id), (None, State.PLANNED), added, actor=actor, at=now)


def _update(
    session: Session,
    row: Delivery,
    values: dict[str, Any],
    changed: list[str],
    now: datetime,
    actor: str,
) -> None:
    revived = row.state == State.CANCELLED
    material = set(changed) - _COSMETIC
    for name in changed:
        setattr(row, name, values[name])
    if revived or material:
        # What will be posted changed: start afresh (from the new time, if it moved; a
        # deferral for a quota or a rate limit stands otherwise).
        if revived or "scheduled_at" in material:
            row.due_at = row.scheduled_at
        row.transient_errors = 0
        reason = "back in campaign file" if revived else "changed: " + ", ".join(sorted(material))
        move(session, row, State.PLANNED, reason=None, audit_reason=reason, actor=actor, now=now)
    else:
        row.updated_at = now
        session.add(row)


def _refresh_content(
    session: Session, row: Delivery, values: dict[str, Any], fields: str, now: datetime, actor: str
) -> None:
    for name in _FIELDS:
        setattr(row, name, values[name])
    row.updated_at = now
    session.add(row)
    changed = f"content changed while {row.state}: {fields}"
    audit(session, ("delivery", row.id), (row.state, row.state), changed, actor=actor, at=now)


def _files_changed(session: Session, wanted: _Wanted) -> bool:
    """Whether ``_record_files`` would write anything."""
    known = {f.path: (f.ok, f.diagnostics) for f in session.scalars(select(CampaignFile))}
    files = wanted.files()
    if any(known.get(path) != state for path, state in files.items()):
        return True
    return wanted.complete and bool(known.keys() - files.keys())


def _record_files(session: Session, wanted: _Wanted, now: datetime, actor: str) -> None:
    known = {f.path: f for f in session.scalars(select(CampaignFile))}
    files = wanted.files()
    for path, (ok, diagnostics) in files.items():
        current = known.get(path)
        if current is not None and current.ok == ok and current.diagnostics == diagnostics:
            continue
        before = None if current is None else ("valid" if current.ok else "invalid")
        after = "valid" if ok else "invalid"
        if current is None:
            current = CampaignFile(path=path, ok=ok, diagnostics=diagnostics, checked_at=now)
        current.ok, current.diagnostics, current.checked_at = ok, diagnostics, now
        if ok:
            current.last_good_at = now
        session.add(current)
        if before != after:
            first = diagnostics[0].get("message") if diagnostics else None
            problems = f"{len(diagnostics)} problem(s); first: {first}" if first else None
            audit(session, ("campaign_file", path), (before, after), problems, actor=actor, at=now)
    if wanted.complete:
        for path, current in known.items():
            if path not in files:
                session.delete(current)
                was = "valid" if current.ok else "invalid"
                audit(session, ("campaign_file", path), (was, "removed"), None, actor=actor, at=now)
