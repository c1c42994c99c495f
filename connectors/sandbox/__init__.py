"""A local emulator of the platform APIs beatpost's connectors call (rehearsal and tests).

Control and inspection over HTTP (never subject to faults): ``GET /_sandbox`` (summary),
``GET /_sandbox/posts?platform=``, ``/_sandbox/media``, ``/_sandbox/comments?platform=&post_id=``,
``/_sandbox/metrics?platform=&post_id=``, ``/_sandbox/requests``; ``POST /_sandbox/clock``
(``{"advance_seconds": n}`` or ``{"set": iso}``), ``POST /_sandbox/faults`` (FaultPlan fields),
``POST /_sandbox/hints`` (``{"text_contains": ..., "kind": "event"}``), ``POST /_sandbox/reset``;
``GET /_sandbox/hosted/<file>`` serves the ``media_dir`` folder.

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
from connectors.sandbox.server import (
    SANDBOX_TOKEN,
    Reply,
    Request,
    Route,
    SandboxServer,
    UploadedFile,
    settings_env,
    settings_overrides,
    settings_toml,
)
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
    "SANDBOX_TOKEN",
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
    "settings_env",
    "settings_overrides",
    "settings_toml",
]
