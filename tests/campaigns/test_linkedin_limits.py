"""LinkedIn's 3,000-character limit, checked on the text exactly as it will be posted (hashtag,
link and signature included), as the connector and the sandbox count it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import responses

from beatpost.validation import validation_options
from campaigns import load_campaigns
from config import Settings
from connectors.base import OutgoingPost
from connectors.linkedin import LinkedInConnector
from tests.campaigns.conftest import HEADER

NOW = datetime(2027, 2, 1, tzinfo=UTC)
BODY = "Officer Ruiz: \u00abI joined for my grandfather\u00bb (Questions? #AskSPD)"


def _load(tmp_path: Path, body: str):
    path = tmp_path / "campaign.yaml"
    text = HEADER.replace("platforms: [x, facebook]", "platforms: [linkedin]")
    path.write_text(
        text + f'  - id: a\n    kind: announcement\n    text: "{body}"\n    at: 2027-03-02 10:00\n',
        encoding="utf-8",
    )
    return load_campaigns([path], validation_options(Settings(workspace=tmp_path), NOW))


@responses.activate
def test_linkedin_allows_3000_characters_of_the_text_as_posted(tmp_path: Path) -> None:
    short = _load(tmp_path, BODY)
    [delivery] = short.deliveries()
    assert "#JoinSPD" in delivery.text  # the default hashtag and link count too
    pad = 3000 - len(delivery.text)
    exact = _load(tmp_path, BODY + " " + "e" * (pad - 1))
    assert exact.errors == []
    [posted] = exact.deliveries()
    assert len(posted.text) == 3000

    # The connector takes exactly that text (reserved characters escaped on the way out).
    responses.post(
        "https://api.linkedin.com/rest/posts",
        status=201,
        headers={"x-restli-id": "urn:li:share:1"},
    )
    conn = LinkedInConnector(
        base_url="https://api.linkedin.com", organization_id="1", access_token="t"
    )
    assert conn.publish(OutgoingPost(key="k", text=posted.text)).platform_id == "urn:li:share:1"

    over = _load(tmp_path, BODY + " " + "e" * pad)
    [error] = over.errors
    assert error.message.startswith("LinkedIn counts 3001 characters, 1 over its limit of 3000"), (
        error.message
    )
    assert (error.line, error.column) > (16, 0)
