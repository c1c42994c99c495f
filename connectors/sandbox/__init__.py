"""A local emulator of the platform APIs beatpost's connectors call (rehearsal and tests).

from connectors.sandbox import SandboxServer, SandboxState, SimClock

state = SandboxState(seed=7, clock=SimClock(start))
with SandboxServer(state) as server:       # free port on 127.0.0.1
    settings.x.base_url = server.url        # the connectors need nothing else
    ...
    state.clock.advance(timedelta(days=1))  # a day of audience behaviour
    state.posts("x")                        # what reached the "platform", how many times
"""

from __future__ import annotations

from connectors.sandbox.audience import Audience, infer_kind
from connectors.sandbox.clock import SimClock
from connectors.sandbox.faults import Fault, FaultPlan
from connectors.sandbox.server import Reply, Request, Route, SandboxServer, UploadedFile
from connectors.sandbox.state import (
    EXPIRED_TOKEN,
    FACEBOOK_PAGE_ID,
    FACEBOOK_PAGE_NAME,
    INSTAGRAM_USER_ID,
    INSTAGRAM_USERNAME,
    X_USER_ID,
    X_USERNAME,
    RateStatus,
    RequestRecord,
    SandboxComment,
    SandboxMedia,
    SandboxPost,
    SandboxState,
)

__all__ = [
    "EXPIRED_TOKEN",
    "FACEBOOK_PAGE_ID",
    "FACEBOOK_PAGE_NAME",
    "INSTAGRAM_USERNAME",
    "INSTAGRAM_USER_ID",
    "X_USERNAME",
    "X_USER_ID",
    "Audience",
    "Fault",
    "FaultPlan",
    "RateStatus",
    "Reply",
    "Request",
    "RequestRecord",
    "Route",
    "SandboxComment",
    "SandboxMedia",
    "SandboxPost",
    "SandboxServer",
    "SandboxState",
    "SimClock",
    "UploadedFile",
    "infer_kind",
]
