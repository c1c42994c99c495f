"""Shared pieces of the Graph API connector tests: fixtures on disk, a fixed clock, a client."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from connectors.graph import GraphClient

DATA = Path(__file__).parent / "data" / "graph"
BASE = "https://graph.test"
VERSION = "v25.0"
API = f"{BASE}/{VERSION}"
TOKEN = "TOKEN-SECRET-123"
NOW = datetime(2026, 11, 25, 12, 30, tzinfo=UTC)
PAGE_ID = "100000000000001"
IG_USER_ID = "17841400000000001"


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text())


def error_body(kind: str) -> dict[str, Any]:
    return load("errors.json")[kind]


class Clock:
    def __init__(self, now: datetime = NOW):
        self.value = now

    def __call__(self) -> datetime:
        return self.value


class Sleeps(list):
    """Records requested pauses instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_client(platform: str = "facebook", **kwargs: Any) -> GraphClient:
    kwargs.setdefault("sleep", Sleeps())
    kwargs.setdefault("now", Clock())
    return GraphClient(
        platform=platform, base_url=BASE, api_version=VERSION, access_token=TOKEN, **kwargs
    )


def query_of(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


def form_of(body: bytes | str | None) -> dict[str, str]:
    if body is None:
        return {}
    text = body.decode() if isinstance(body, bytes) else body
    return {k: v[-1] for k, v in parse_qs(text).items()}
