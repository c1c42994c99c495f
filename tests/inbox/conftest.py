"""The inbox end to end: a workspace whose connectors point at a live sandbox over HTTP, a
published post per platform in the sandbox and the store, and comments on them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from analysis.flags import flag_comment
from analysis.sentiment import Sentiment
from beatpost.cli import cli
from connectors.sandbox.server import SandboxServer, settings_env, settings_toml
from connectors.sandbox.state import (
    FACEBOOK_PAGE_ID,
    INSTAGRAM_USER_ID,
    X_USER_ID,
    SandboxState,
)
from store import make_engine, upgrade, write_session
from store.metrics import insert_comments
from store.models import Delivery, State

OPERATOR = "pio@example.test"
ACCOUNTS = {"x": X_USER_ID, "facebook": FACEBOOK_PAGE_ID, "instagram": INSTAGRAM_USER_ID}
COMMENTS = {
    "lead": "Do you need a college degree to apply? Asking for my son.",
    "praise": "Officers helped my mom after her accident. Truly kind people.",
    "hostile": "You clowns should all go to hell.",
}


@dataclass
class Rig:
    root: Path
    server: SandboxServer
    engine: object
    comment_ids: dict[tuple[str, str], int]  # (platform, kind) -> store comment id

    @property
    def state(self) -> SandboxState:
        return self.server.state

    def run(self, *args: str) -> Result:
        return CliRunner().invoke(cli, ["--config", str(self.root / "beatpost.toml"), *args])

    def answers(self, platform: str, post_id: str) -> list:
        """The account's own answers on a sandbox post."""
        account = ACCOUNTS[platform]
        return [c for c in self.state.comments(platform, post_id) if c.author_id == account]


def _publish(engine, platform: str, post_id: str, text: str, now) -> int:
    with write_session(engine) as session:
        row = Delivery(
            key=f"spring:{platform}:{post_id}",
            campaign_id="spring",
            campaign_name="Spring recruiting",
            post_id="applications-open",
            kind="announcement",
            platform=platform,
            occurrence="once",
            scheduled_at=now - timedelta(hours=2),
            due_at=now - timedelta(hours=2),
            timezone="America/Chicago",
            text=text,
            content_hash="0" * 64,
            state=State.PUBLISHED,
            platform_id=post_id,
            url=f"https://example.test/{platform}/{post_id}",
            published_at=now - timedelta(hours=2),
        )
        session.add(row)
        session.flush()
        return int(row.id)


@pytest.fixture
def rig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Rig]:
    for name in list(os.environ):
        if name.startswith("BEATPOST_"):
            monkeypatch.delenv(name)
    for name, value in settings_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    with SandboxServer(SandboxState(seed=3)) as server:
        url = f"sqlite:///{tmp_path / 'inbox.db'}"
        (tmp_path / "beatpost.toml").write_text(
            f'operator = "{OPERATOR}"\ndatabase_url = "{url}"\n\n{settings_toml(server.url)}\n'
        )
        engine = make_engine(url)
        upgrade(engine)
        ids: dict[tuple[str, str], int] = {}
        state = server.state
        now = state.now()
        for platform, account in ACCOUNTS.items():
            post = state.add_post(platform, account, f"Applications are open ({platform})")
            delivery_id = _publish(engine, platform, post.id, post.text, now)
            rows = []
            for kind, text in COMMENTS.items():
                comment = state.add_comment(platform, post.id, f"{kind}_fan", text)
                label = "negative" if kind == "hostile" else "positive"
                rows.append(
                    {
                        "platform": platform,
                        "platform_comment_id": comment.id,
                        "delivery_id": delivery_id,
                        "post_platform_id": post.id,
                        "author": comment.author,
                        "text": text,
                        "created_at": comment.created_at,
                        "url": None if platform == "instagram" else f"https://c.test/{comment.id}",
                        "sentiment_label": label,
                        "sentiment_score": 0.9,
                        "flags": sorted(flag_comment(text, Sentiment(label, 0.9))),
                    }
                )
            with write_session(engine) as session:
                insert_comments(session, rows)
        from sqlalchemy import text as sql

        with engine.connect() as conn:
            for cid, platform, body in conn.execute(sql("SELECT id, platform, text FROM comments")):
                kind = next(k for k, t in COMMENTS.items() if t == body)
                ids[(platform, kind)] = cid
        yield Rig(tmp_path, server, engine, ids)
        engine.dispose()
