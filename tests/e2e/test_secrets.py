"""No credential reaches the logs, the database or the digest, even at DEBUG.

The demo runs with recognisable fake credentials (the sandbox accepts any token) and every
logger at DEBUG: tweepy logs request headers there, requests-oauthlib the signed
``Authorization`` header, urllib3 each URL (the Graph API takes its token in the query).
Then every byte written is searched for every secret, and for the parts of it an encoder
might leave (URL-encoded, UTF-16).
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

import pytest

from beatpost.demo import DemoOptions, rehearsal_settings, run_demo
from beatpost.workspace import Workspace

SECRETS = {
    "x": {
        "api_key": "SECRET-X-APIKEY-4242-q7",
        "api_secret": "SECRET-X-APISECRET-4242-w8",
        "access_token": "SECRET-X-ACCESS-4242-e9",
        "access_token_secret": "SECRET-X-ACCESSSECRET-4242-r1",
        "bearer_token": "SECRET-X-BEARER-4242-t2",
    },
    "facebook": {"page_access_token": "SECRET-FB-PAGE-4242-y3"},
    "instagram": {"access_token": "SECRET-IG-4242-u4"},
    "digest": {"smtp_user": "beatpost", "smtp_password": "SECRET-SMTP-4242-i5"},
}
VALUES = [v for section in SECRETS.values() for k, v in section.items() if k != "smtp_user"]


def _needles() -> list[bytes]:
    found = []
    for value in VALUES:
        for form in {value, quote(value, safe=""), value.replace("-", "%2D")}:
            found += [form.encode(), form.encode("utf-16-le")]
    return found


def _leaks(label: str, data: bytes) -> list[str]:
    return [f"{label}: {needle[:40]!r}" for needle in _needles() if needle in data]


def test_demo_at_debug_leaks_no_secret(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger and so every library's records
    for name in ("tweepy", "urllib3", "requests_oauthlib", "oauthlib", "connectors", "beatpost"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    result = run_demo(
        DemoOptions(
            out_dir=tmp_path / "out",
            days=2,
            workspace=tmp_path / "ws",
            secrets=SECRETS,
            error_rate=0.1,
        )  # errors too: their messages carry request details
    )
    assert sum(result.published.values()) > 0 and result.new_comments > 0

    # The run really was verbose: the platform libraries logged their requests.
    loggers = {r.name.split(".")[0] for r in caplog.records}
    assert {"urllib3", "beatpost"} <= loggers
    oauth = ("tweepy", "requests_oauthlib", "oauthlib")
    assert any(r.name.startswith(oauth) for r in caplog.records)

    leaks = _leaks("log", caplog.text.encode())
    for record in caplog.records:  # arguments a handler with another format would show
        leaks += _leaks(f"log record {record.name}", repr(record.args).encode())
    written = [p for p in (tmp_path / "ws" / ".beatpost").iterdir() if p.is_file()]
    assert any(p.name == "beatpost.db" for p in written)
    for path in written + sorted((tmp_path / "out").iterdir()):
        leaks += _leaks(str(path.relative_to(tmp_path)), path.read_bytes())
    assert leaks == []
    # Not vacuous: these were the credentials the connectors were built with.
    settings = rehearsal_settings(Workspace(tmp_path / "ws"), SECRETS)
    assert settings.x.access_token.get_secret_value() == SECRETS["x"]["access_token"]
    assert settings.digest.smtp_password.get_secret_value() == SECRETS["digest"]["smtp_password"]
