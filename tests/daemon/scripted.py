"""A scripted connector: each publish call consumes the next step of its platform's script.

Steps (strings, so a script also fits in a JSON file for the ``beatpost run`` subprocess):

- ``ok``                 published
- ``ok+sleep:SECONDS``   published after a delay (a request in flight)
- ``ok+hold``            in flight until the file ``release`` appears next to the journal
- ``lost``               the post IS created, but the reply is lost (OutcomeUnknown)
- ``unknown``            OutcomeUnknown, and nothing was created
- ``crash``              RuntimeError after the request left, nothing created
- ``transient``          TransientError (provably not applied)
- ``rate_limited:SECS``  RateLimited, reset SECS seconds after the call
- ``auth`` / ``rejected`` / ``duplicate``   the permanent errors
- ``resume-then-unknown``  reports step state (on_resume), then OutcomeUnknown carrying it

An exhausted script publishes (``ok``). ``find_published`` answers from what was created,
or raises when the platform's ``find`` script says ``find-error``.

Scripts are keyed by platform or, taking precedence, by delivery key. For a subprocess,
``ScriptedConnector.from_settings`` reads ``<data_dir>/script.json`` (``{"x": ["ok", ...]}``)
and appends every call to ``<data_dir>/calls.jsonl``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from connectors.base import Capabilities, OutgoingPost, Published
from connectors.errors import (
    AuthError,
    DuplicateContent,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)
from connectors.limits import LIMITS


@dataclass
class Call:
    method: str
    platform: str
    key: str
    at: datetime
    resume: dict[str, str]


@dataclass
class Platforms:
    """Shared state of every scripted platform: scripts, created posts, the call journal."""

    scripts: dict[str, list[str]] = field(default_factory=dict)
    find_scripts: dict[str, list[str]] = field(default_factory=dict)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    journal: Path | None = None
    calls: list[Call] = field(default_factory=list)
    created: dict[str, Published] = field(default_factory=dict)
    on_call: Callable[[Call], None] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, platform: str) -> ScriptedConnector:
        return ScriptedConnector(platform, self)

    def record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
        if self.journal is not None:
            with self.journal.open("a") as fh:
                fh.write(json.dumps({**call.__dict__, "at": call.at.isoformat()}) + "\n")
        if self.on_call is not None:
            self.on_call(call)

    def next_step(
        self, table: dict[str, list[str]], platform: str, default: str, key: str = ""
    ) -> str:
        """The next step for this delivery key if it has a script, else for the platform."""
        with self._lock:
            steps = table.get(key) or table.get(platform)
            return steps.pop(0) if steps else default

    def published(self, method: str | None = "publish") -> list[Call]:
        return [c for c in self.calls if method is None or c.method == method]


class ScriptedConnector:
    platform = "scripted"
    limits = LIMITS["x"]
    capabilities = Capabilities(resume_hook=True)

    def __init__(self, platform: str, state: Platforms):
        self.platform = platform  # type: ignore[misc]
        self.state = state
        self.on_resume: Callable[[OutgoingPost, dict[str, str]], None] | None = None

    @classmethod
    def from_settings(cls, settings: Any) -> ScriptedConnector:
        data = Path(settings.data_path)
        script_file = data / "script.json"
        scripts = json.loads(script_file.read_text()) if script_file.exists() else {}
        state = Platforms(scripts=scripts, journal=data / "calls.jsonl")
        return cls("x", state)

    def _published(self, post: OutgoingPost) -> Published:
        n = len(self.state.created) + 1
        result = Published(
            platform_id=f"{self.platform}-{n}",
            url=f"https://{self.platform}.example/p/{n}",
            published_at=self.state.clock(),
        )
        self.state.created[post.key] = result
        return result

    def publish(self, post: OutgoingPost) -> Published:
        step = self.state.next_step(self.state.scripts, self.platform, "ok", post.key)
        self.state.record(
            Call("publish", self.platform, post.key, self.state.clock(), dict(post.resume))
        )
        name, _, arg = step.partition(":")
        if name == "ok":
            return self._published(post)
        if name == "ok+sleep":
            time.sleep(float(arg))
            return self._published(post)
        if name == "ok+hold":
            self._hold()
            return self._published(post)
        if name == "lost":
            self._published(post)
            raise OutcomeUnknown("read timed out", platform=self.platform)
        if name == "unknown":
            raise OutcomeUnknown("502 Bad Gateway after sending", platform=self.platform)
        if name == "crash":
            raise RuntimeError("connection reset by peer")
        if name == "transient":
            raise TransientError("503 service unavailable", platform=self.platform, code=503)
        if name == "rate_limited":
            reset = self.state.clock() + timedelta(seconds=float(arg or 60))
            raise RateLimited("too many requests", reset_at=reset, platform=self.platform, code=429)
        if name == "auth":
            raise AuthError("token expired", platform=self.platform, code=89)
        if name == "rejected":
            raise Rejected("media type not allowed", platform=self.platform, code=324)
        if name == "duplicate":
            raise DuplicateContent("status is a duplicate", platform=self.platform, code=187)
        if name == "resume-then-unknown":
            if self.on_resume is not None:
                self.on_resume(post, {"container_id": "c-77"})
            exc = OutcomeUnknown("publish step timed out", platform=self.platform)
            exc.resume = {"container_id": "c-77", "step": "publish"}  # type: ignore[attr-defined]
            raise exc
        raise AssertionError(f"unknown script step {step!r}")

    def _hold(self, timeout: float = 30.0) -> None:
        """Stay in flight until the test creates ``<journal folder>/release``."""
        assert self.state.journal is not None, "ok+hold needs a journal folder"
        release = self.state.journal.parent / "release"
        deadline = time.monotonic() + timeout
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.02)

    def find_published(self, post: OutgoingPost, since: datetime) -> Published | None:
        self.state.record(
            Call("find_published", self.platform, post.key, self.state.clock(), dict(post.resume))
        )
        step = self.state.next_step(self.state.find_scripts, self.platform, "answer")
        if step == "find-error":
            raise TransientError("search unavailable", platform=self.platform)
        found = self.state.created.get(post.key)
        return found if found is not None and found.published_at >= since else None

    def fetch_metrics(self, platform_ids):  # pragma: no cover - not used by the daemon
        return []

    def fetch_comments(self, platform_id, since):  # pragma: no cover
        return []
