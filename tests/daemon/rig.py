"""A daemon on a fake clock with scripted platforms, driven tick by tick."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from beatpost.campaign_sync import PlanSet
from beatpost.daemon import Daemon
from campaigns.types import DeliveryPlan
from config import Settings
from store import DeliveryView
from tests.daemon.scripted import Platforms


class FakeClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class Rig:
    daemon: Daemon
    clock: FakeClock
    platforms: Platforms
    plans: list[DeliveryPlan] = field(default_factory=list)

    def at(self, when: datetime) -> int:
        """Move the clock to ``when`` and let the daemon do what is due."""
        self.clock.set(when)
        return self.daemon.tick()

    def delivery(self, key: str) -> DeliveryView:
        return next(d for d in self.daemon.ledger.deliveries() if d.key == key)

    def only(self) -> DeliveryView:
        [delivery] = self.daemon.ledger.deliveries()
        return delivery


def make_rig(engine, tmp_path: Path, start: datetime, plans=(), **settings_kw) -> Rig:
    settings_kw.setdefault("grace_minutes", 15)
    settings_kw.setdefault("max_attempts", 3)
    settings = Settings(workspace=tmp_path, **settings_kw)
    clock = FakeClock(start)
    platforms = Platforms(clock=clock)
    rig_plans = list(plans)

    def planner(now: datetime) -> PlanSet:
        return PlanSet(list(rig_plans), ["campaigns/spring.yaml"])

    daemon = Daemon(
        settings,
        engine=engine,
        connector_factory=platforms,
        clock=clock,
        planner=planner,
        rng=random.Random(7),
    )
    return Rig(daemon, clock, platforms, rig_plans)
