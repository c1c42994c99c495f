"""Recording and reading recruitment outcomes (applications and careers-page visits).

Callers hand in plain rows (``ApplicationIn``, ``VisitIn``) and get plain rows back
(``OutcomeRow``, ``PostKey``); only this module knows the tables' columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlmodel import Session

from store.metrics_models import MetricSnapshotRecord
from store.models import Delivery
from store.outcomes_models import ApplicationRecord, VisitRecord
from store.timeutil import utc_now

STAGES = ("applied", "tested", "hired")
_CHUNK = 2_000  # rows per INSERT/UPDATE batch


@dataclass(frozen=True, slots=True)
class Attributed:
    """Attribution of one row (all None and ``method="none"`` when nothing matched)."""

    campaign_id: str | None = None
    post_id: str | None = None
    kind: str | None = None
    platform: str | None = None
    partner: str | None = None
    method: str = "none"


_ATTRIBUTION = tuple(f.name for f in fields(Attributed))  # columns of both outcome tables


@dataclass(frozen=True, slots=True, kw_only=True)
class _Referral:
    """How an application or a visit came: the ``utm_*`` tags of the link followed (None or
    ``""``: the link had none; the visits table stores ``""``), and what they attribute it to."""

    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_content: str | None = None
    attribution: Attributed = Attributed()


_TAGS = tuple(f.name for f in fields(_Referral) if f.name != "attribution")


@dataclass(frozen=True, slots=True)
class ApplicationIn(_Referral):
    source: str
    applicant_key: str
    applied_on: date
    stage: str = "applied"
    answer: str | None = None


@dataclass(frozen=True, slots=True)
class VisitIn(_Referral):
    source: str
    day: date
    visits: int


@dataclass(frozen=True)
class RecordCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class OutcomeRow:
    """An application or a day's visits as the reports group them."""

    day: date
    count: int  # 1 for an application, the visits for a visit row
    stage: str | None
    campaign_id: str | None
    kind: str | None
    platform: str | None
    partner: str | None
    method: str


@dataclass(frozen=True)
class PostKey:
    campaign_id: str
    post_id: str
    kind: str
    partner: str | None


@dataclass(frozen=True)
class Touch:
    """What attribution reads from a stored row, to rebuild it."""

    id: int
    utm_source: str | None
    utm_campaign: str | None
    utm_content: str | None
    answer: str | None


_ATTR = tuple(n for n in _ATTRIBUTION if n != "method")  # the method is not stored for visits


def _own_fields(cls: type[ApplicationIn | VisitIn]) -> tuple[str, ...]:
    """A row's columns of its own, the ``utm_*`` tags among them (the attribution aside)."""
    return tuple(f.name for f in fields(cls) if f.name != "attribution")


_APP_FIELDS = _own_fields(ApplicationIn)
_VISIT_FIELDS = _own_fields(VisitIn)


def _values(row: ApplicationIn | VisitIn, names: tuple[str, ...]) -> dict[str, object]:
    # Not dataclasses.asdict: it deep-copies every value, a third of a 100,000-row import.
    values = {name: getattr(row, name) for name in names}
    values.update({name: getattr(row.attribution, name) for name in _ATTRIBUTION})
    return values


def _chunks(items: list[dict[str, object]]) -> Iterator[list[dict[str, object]]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _upsert(
    session: Session,
    table: Table,
    incoming: dict[tuple[object, ...], dict[str, object]],
    key_columns: tuple[str, ...],
    compared: tuple[str, ...],
    *,
    on_update: dict[str, object],
    on_insert: dict[str, object],
) -> RecordCounts:
    """Insert the rows of ``incoming`` (keyed by ``key_columns``, the first being ``source``)
    that are new, update those whose ``compared`` columns differ, count the rest."""
    existing: dict[tuple[object, ...], tuple[object, ...]] = {}
    width = len(key_columns)
    for source in {key[0] for key in incoming}:
        stmt = select(
            table.c.id, *(table.c[n] for n in key_columns), *(table.c[n] for n in compared)
        ).where(table.c.source == source)
        for rec in session.execute(stmt):
            existing[tuple(rec[1 : 1 + width])] = (rec[0], *rec[1 + width :])
    new, changed, same = [], [], 0
    for key, values in incoming.items():
        old = existing.get(key)
        if old is None:
            new.append({**values, **on_insert})
        elif tuple(old[1:]) != tuple(values[n] for n in compared):
            changed.append({"b_id": old[0], **{n: values[n] for n in compared}, **on_update})
        else:
            same += 1
    for chunk in _chunks(new):
        session.execute(insert(table), chunk)
    _update_by_id(session, table, changed)
    return RecordCounts(len(new), len(changed), same)


def record_applications(session: Session, rows: Iterable[ApplicationIn]) -> RecordCounts:
    """Insert new applications; update those whose stage, tags or answer changed.

    A row is the same application when ``(source, applicant_key)`` matches.
    """
    key_columns = ("source", "applicant_key")
    incoming: dict[tuple[object, ...], dict[str, object]] = {}
    for row in rows:
        incoming[(row.source, row.applicant_key)] = _values(row, _APP_FIELDS)
    compared = (*(n for n in _APP_FIELDS if n not in key_columns), *_ATTRIBUTION)
    now = utc_now()
    return _upsert(
        session,
        ApplicationRecord.__table__,
        incoming,
        key_columns,
        compared,
        on_update={"updated_at": now},
        on_insert={"imported_at": now, "updated_at": now},
    )


def _update_by_id(session: Session, table: Table, changed: list[dict[str, object]]) -> None:
    if not changed:
        return
    names = [n for n in changed[0] if n != "b_id"]
    stmt = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values({n: bindparam(n) for n in names})
    )
    conn = session.connection()
    for chunk in _chunks(changed):
        conn.execute(stmt, chunk)


def record_visits(session: Session, rows: Iterable[VisitIn]) -> RecordCounts:
    """Insert or replace each day's visits per ``utm_*`` combination (a re-import replaces)."""
    incoming: dict[tuple[object, ...], dict[str, object]] = {}
    for row in rows:
        values = _values(row, _VISIT_FIELDS)
        values.pop("method")
        values.update({t: values[t] or "" for t in _TAGS})  # a missing tag is stored as ""
        key = (row.source, row.day, *(values[t] for t in _TAGS))
        if key in incoming:  # the same link twice in one export (two pages): add them up
            values["visits"] = int(incoming[key]["visits"]) + row.visits
        incoming[key] = values
    return _upsert(
        session,
        VisitRecord.__table__,
        incoming,
        ("source", "day", *_TAGS),
        ("visits", *_ATTR),
        on_update={},
        on_insert={"imported_at": utc_now()},
    )


def post_keys(session: Session) -> list[PostKey]:
    """Every post the ledger knows (one per campaign and post id), with its kind and partner."""
    stmt = select(
        Delivery.campaign_id, Delivery.post_id, Delivery.kind, Delivery.partner
    ).distinct()
    seen: dict[tuple[str, str], PostKey] = {}
    for campaign_id, post_id, kind, partner in session.execute(stmt):
        seen.setdefault((campaign_id, post_id), PostKey(campaign_id, post_id, kind, partner))
    return list(seen.values())


def application_touches(session: Session) -> Iterator[Touch]:
    t = ApplicationRecord.__table__
    stmt = select(t.c.id, t.c.utm_source, t.c.utm_campaign, t.c.utm_content, t.c.answer)
    for rec in session.execute(stmt):
        yield Touch(*rec)


def visit_touches(session: Session) -> Iterator[Touch]:
    t = VisitRecord.__table__
    stmt = select(t.c.id, t.c.utm_source, t.c.utm_campaign, t.c.utm_content)
    for rec in session.execute(stmt):
        yield Touch(rec[0], rec[1] or None, rec[2] or None, rec[3] or None, None)


def reattribute(session: Session, attribute: Callable[[Touch], Attributed]) -> tuple[int, int]:
    """Attribute every stored application and visit again (after campaigns or partners
    changed); returns how many of each changed."""
    counts = []
    for model, touches, with_method in (
        (ApplicationRecord, application_touches, True),
        (VisitRecord, visit_touches, False),
    ):
        table = model.__table__
        names = _ATTRIBUTION if with_method else _ATTR
        current = {
            rec[0]: tuple(rec[1:])
            for rec in session.execute(select(table.c.id, *(table.c[n] for n in names)))
        }
        changed = []
        for touch in list(touches(session)):
            result = attribute(touch)
            values = tuple(getattr(result, n) for n in names)
            if current.get(touch.id) != values:
                changed.append({"b_id": touch.id, **dict(zip(names, values, strict=True))})
        _update_by_id(session, table, changed)
        counts.append(len(changed))
    return counts[0], counts[1]


def applications_between(session: Session, start: date | None, end: date) -> list[OutcomeRow]:
    """Applications with ``start <= applied_on < end`` (from the first when ``start`` is None)."""
    t = ApplicationRecord.__table__
    stmt = select(
        t.c.applied_on, t.c.stage, *(t.c[n] for n in _ATTR if n != "post_id"), t.c.method
    ).where(t.c.applied_on < end)
    if start is not None:
        stmt = stmt.where(t.c.applied_on >= start)
    return [OutcomeRow(r[0], 1, r[1], r[2], r[3], r[4], r[5], r[6]) for r in session.execute(stmt)]


def visits_between(session: Session, start: date | None, end: date) -> list[OutcomeRow]:
    t = VisitRecord.__table__
    stmt = select(t.c.day, t.c.visits, *(t.c[n] for n in _ATTR if n != "post_id")).where(
        t.c.day < end
    )
    if start is not None:
        stmt = stmt.where(t.c.day >= start)
    return [
        OutcomeRow(r[0], r[1], None, r[2], r[3], r[4], r[5], "utm" if any(r[2:]) else "none")
        for r in session.execute(stmt)
    ]


def count_applications(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(ApplicationRecord)).scalar_one())


def last_measured(session: Session) -> dict[tuple[str, str], datetime]:
    """(platform, platform id) -> when the newest engagement snapshot of the post was taken."""
    stmt = (
        select(Delivery.platform, Delivery.platform_id, func.max(MetricSnapshotRecord.taken_at))
        .join(MetricSnapshotRecord, MetricSnapshotRecord.delivery_id == Delivery.id)
        .where(Delivery.platform_id.is_not(None))
        .group_by(Delivery.platform, Delivery.platform_id)
    )
    return {(platform, pid): taken for platform, pid, taken in session.execute(stmt)}
