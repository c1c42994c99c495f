"""Fault injection for the sandbox's platform routes (never for the ``/_sandbox`` endpoints).

Each request to a platform route draws at most one fault from a seeded generator, so a run
with the same plan and seed fails the same requests. The draw for the n-th request to one
method and path depends on (seed, method, path, n) alone, so requests to different platforms
arriving in parallel, in whatever order, fail the same way in every run. ``methods``,
``path_pattern`` and ``max_faults`` aim faults precisely ("the first POST to /2/tweets answers
500 but the post is created"), which is how tests reach the reconciliation path deterministically.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any


class Fault(StrEnum):
    NONE = "none"
    ERROR = "error"  # transient error, the request did not apply (platform's "try again")
    RATE_LIMITED = "rate_limited"  # 429 with reset headers, nothing applied
    TIMEOUT = "timeout"  # the request applies, the reply comes too late
    CREATED_BUT_500 = "created_but_500"  # the request applies, the reply says 500


@dataclass
class FaultPlan:
    """Probabilities per request (0..1) of each fault, plus where they apply.

    Rates are checked in the order rate limit, error, timeout, created-but-500; their sum should
    not exceed 1. ``latency_seconds`` (real seconds) delays every platform reply.
    """

    error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    rate_limit_reset_seconds: int = 60
    latency_seconds: float = 0.0
    timeout_rate: float = 0.0
    timeout_seconds: float = 5.0
    created_but_500_rate: float = 0.0
    seed: int = 0
    methods: tuple[str, ...] = ()  # empty: every method
    path_pattern: str | None = None  # regex searched in the path; None: every platform path
    max_faults: int | None = None  # stop injecting after this many faults
    _compiled: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("error_rate", "rate_limit_rate", "timeout_rate", "created_but_500_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"fault {name} must be between 0 and 1, got {value}")
        if self.total_rate > 1.0 + 1e-9:
            raise ValueError(f"fault rates add up to {self.total_rate:g}; at most 1 is possible")
        for name in ("latency_seconds", "timeout_seconds", "rate_limit_reset_seconds"):
            if getattr(self, name) < 0:
                raise ValueError(f"fault {name} must not be negative")
        self.methods = tuple(m.upper() for m in self.methods)
        try:
            self._compiled = re.compile(self.path_pattern) if self.path_pattern else None
        except re.error as exc:
            raise ValueError(
                f"fault path_pattern {self.path_pattern!r} is not a regex: {exc}"
            ) from None

    @property
    def total_rate(self) -> float:
        return (
            self.error_rate + self.rate_limit_rate + self.timeout_rate + self.created_but_500_rate
        )

    def applies_to(self, method: str, path: str) -> bool:
        if self.methods and method.upper() not in self.methods:
            return False
        return self._compiled is None or self._compiled.search(path) is not None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaultPlan:
        """Build from JSON (the ``POST /_sandbox/faults`` body); unknown keys are an error."""
        known = {f.name for f in fields(cls) if f.init}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown fault setting(s): {', '.join(unknown)}")
        values = dict(data)
        if "methods" in values:
            values["methods"] = tuple(values["methods"])
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("_compiled", None)
        data["methods"] = list(self.methods)
        return data


class FaultInjector:
    """Draws faults for requests under the current plan; thread-safe and seeded."""

    def __init__(self, plan: FaultPlan | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(plan or FaultPlan())

    @property
    def plan(self) -> FaultPlan:
        return self._plan

    @property
    def injected(self) -> int:
        """How many faults have been injected under the current plan."""
        return self._injected

    def configure(self, plan: FaultPlan) -> None:
        with self._lock:
            self._plan = plan
            self._seen: dict[tuple[str, str], int] = {}  # (method, path) -> draws so far
            self._injected = 0

    def _roll(self, method: str, path: str) -> float:
        n = self._seen.get((method, path), 0)
        self._seen[(method, path)] = n + 1
        key = f"{self._plan.seed}\x1f{method.upper()}\x1f{path}\x1f{n}".encode()
        return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") / 2**64

    def draw(self, method: str, path: str) -> Fault:
        with self._lock:
            plan = self._plan
            if plan.total_rate == 0 or not plan.applies_to(method, path):
                return Fault.NONE
            if plan.max_faults is not None and self._injected >= plan.max_faults:
                return Fault.NONE
            roll = self._roll(method, path)
            fault = Fault.NONE
            threshold = 0.0
            for rate, candidate in (
                (plan.rate_limit_rate, Fault.RATE_LIMITED),
                (plan.error_rate, Fault.ERROR),
                (plan.timeout_rate, Fault.TIMEOUT),
                (plan.created_but_500_rate, Fault.CREATED_BUT_500),
            ):
                threshold += rate
                if roll < threshold:
                    fault = candidate
                    break
            if fault is not Fault.NONE:
                self._injected += 1
            return fault
