"""Importing outcomes: exports in, attributed rows recorded (the wiring of ``beatpost
outcomes``). Reading files is ``analysis.outcomes``; recording is ``store.outcomes``."""

from __future__ import annotations

import functools
import os
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine
from sqlmodel import Session

import connectors
from analysis.outcomes.attribution import Directory, PartnerRef, attribute
from analysis.outcomes.imports import (
    ApplicationsRead,
    Progress,
    VisitsRead,
    read_applications,
    read_visits,
)
from beatpost.validation import validation_options
from campaigns.directory import campaign_partners
from config import Settings
from connectors.sandbox.outcomes import write_outcome_files
from connectors.sandbox.state import SandboxState
from store.engine import read_session, write_session
from store.outcomes import (
    Attributed,
    RecordCounts,
    applications_between,
    last_measured,
    post_keys,
    reattribute,
    record_applications,
    record_visits,
)

KEY_FILE = "outcomes.key"


class OutcomesError(Exception):
    """Outcomes cannot be imported as asked; the message says what to do."""


@dataclass(frozen=True)
class ImportReport:
    read: ApplicationsRead | VisitsRead
    counts: RecordCounts
    attributed: int  # rows attributed to something (utm or answer)


def hash_secret(settings: Settings) -> bytes:
    """The key of the opaque applicant keys: from settings, else a random one kept in the
    data folder (created on first use, readable by its owner only)."""
    if settings.outcomes.hash_key is not None:
        return settings.outcomes.hash_key.get_secret_value().encode()
    path = settings.data_path / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another import made it a moment ago: use theirs
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
    key = path.read_text().strip()
    if not key:
        raise OutcomesError(
            f"{path}: the key of the applicant keys is empty; restore it from the backup "
            "(without it, re-imports cannot recognise earlier applications)"
        )
    return key.encode()


def directory(settings: Settings, session: Session) -> Directory:
    """What attribution recognises: the ledger's posts and the campaign files' partners."""
    partners = [
        PartnerRef(e.name, e.partner_id, e.handles, e.campaign_id)
        for e in campaign_partners([settings.campaigns_path], validation_options(settings, None))
    ]
    return Directory(tuple(connectors.LIMITS), post_keys(session), partners)


def _attributor(known: Directory) -> Callable[[Any], Attributed]:
    """The attribution against ``known`` of an export's row or a stored ``Touch`` (by its utm
    tags and answer), each combination worked out once: exports repeat links and answers."""
    cached = functools.cache(functools.partial(attribute, known))

    def attribution(touch: Any) -> Attributed:
        return cached(
            utm_source=touch.utm_source or None,  # an export's empty cell: no tag
            utm_campaign=touch.utm_campaign or None,
            utm_content=touch.utm_content or None,
            answer=getattr(touch, "answer", None),  # visits have none
        )

    return attribution


def import_outcomes(
    settings: Settings,
    engine: Engine,
    what: Literal["applications", "visits"],
    path: Path,
    source: str | None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read an export (an applicant-tracking system's applications, or an analytics tool's
    careers-page visits), attribute each row and record it."""
    read: ApplicationsRead | VisitsRead
    if what == "applications":
        read = read_applications(
            path,
            source=source,
            columns=settings.outcomes.columns,
            secret=hash_secret(settings),
            progress=progress,
        )
        record: Callable[[Session, list[Any]], RecordCounts] = record_applications
    else:
        read = read_visits(path, source=source or "analytics", progress=progress)
        record = record_visits
    with read_session(engine) as session:
        attribution = _attributor(directory(settings, session))
    rows = [replace(row, attribution=attribution(row)) for row in read.rows]
    with write_session(engine) as session:
        counts = record(session, rows)
    return ImportReport(read, counts, sum(1 for r in rows if r.attribution.method != "none"))


def rebuild_attribution(settings: Settings, engine: Engine) -> tuple[int, int]:
    """Attribute every stored application and visit again; (applications, visits) changed."""
    with read_session(engine) as session:
        attribution = _attributor(directory(settings, session))
    with write_session(engine) as session:
        return reattribute(session, attribution)


@dataclass(frozen=True)
class RehearsalOutcomes:
    """The rehearsal's outcome files, imported: what ``beatpost demo`` prints."""

    files: tuple[Path, Path]  # applicants.csv, visits.csv
    link_clicks: int
    visits: int
    applications: int
    by_platform: dict[str, int]
    by_partner: dict[str, int]
    dropped: tuple[str, ...]


def rehearsal_outcomes(
    settings: Settings, engine: Engine, state: SandboxState, until: datetime, seed: int
) -> RehearsalOutcomes:
    """Write the sandbox audience's applicants and visits up to ``until`` into the
    workspace's ``outcomes/`` folder and import them, as a department would its exports."""
    partners = sorted(
        {
            e.name
            for e in campaign_partners(
                [settings.campaigns_path], validation_options(settings, None)
            )
        }
    )
    with read_session(engine) as session:
        measured = last_measured(session)
    made = write_outcome_files(
        state,
        until,
        settings.workspace / "outcomes",
        seed=seed,
        timezone=settings.default_timezone,
        partners=partners,
        measured=measured,
    )
    apps = import_outcomes(settings, engine, "applications", made.applicants, "neogov")
    import_outcomes(settings, engine, "visits", made.visits, "analytics")
    with read_session(engine) as session:
        rows = applications_between(session, None, date.max)
    return RehearsalOutcomes(
        files=(made.applicants, made.visits),
        link_clicks=made.link_clicks,
        visits=made.total_visits,
        applications=len(rows),
        by_platform=dict(Counter(r.platform or "(unknown)" for r in rows)),
        by_partner=dict(Counter(r.partner for r in rows if r.partner)),
        dropped=tuple(apps.read.dropped),
    )
