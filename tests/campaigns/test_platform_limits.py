"""Each new platform's text limit, checked on the text exactly as it will be posted (hashtags,
link and signature included), with the limit the platform table and the settings give."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from beatpost.validation import validation_options
from campaigns import load_campaigns
from campaigns.counting import measure
from config import Settings
from connectors.bluesky import graphemes
from connectors.mastodon import counted_length
from connectors.threads import counted_length as threads_length
from tests.campaigns.conftest import HEADER

NOW = datetime(2027, 2, 1, tzinfo=UTC)
BODY = (
    "Officer Ruiz: \u00abI joined for my grandfather\u00bb \U0001f46e\u200d\u2640\ufe0f. "
    "Questions? @recruiting@city.social https://springfield.example/careers/police-2027 "
)


def _campaign(tmp_path: Path, platform: str, body: str) -> Path:
    path = tmp_path / "campaign.yaml"
    text = HEADER.replace("platforms: [x, facebook]", f"platforms: [{platform}]")
    path.write_text(
        text + f'  - id: a\n    kind: announcement\n    text: "{body}"\n    at: 2027-03-02 10:00\n',
        encoding="utf-8",
    )
    return path


def _load(tmp_path: Path, path: Path, max_characters: int):
    settings = Settings(workspace=tmp_path, mastodon={"max_characters": max_characters})
    return load_campaigns([path], validation_options(settings, NOW))


def test_mastodon_limit_is_the_servers_on_the_text_as_posted(tmp_path: Path) -> None:
    path = _campaign(tmp_path, "mastodon", BODY * 4)
    roomy = _load(tmp_path, path, 5000)
    [delivery] = roomy.deliveries()
    posted = delivery.text  # with the default hashtag and link appended
    count = measure(posted, "mastodon", 23).count
    assert count == counted_length(posted), "validate counts as the connector and server do"
    assert "#JoinSPD" in posted and "https://springfieldpd.example.org/careers" in posted

    exact = _load(tmp_path, path, count)
    assert exact.errors == [] and len(exact.deliveries()) == 1
    over = _load(tmp_path, path, count - 1)
    [error] = over.errors
    assert error.message.startswith(
        f"Mastodon counts {count} characters, 1 over its limit of {count - 1}"
    ), error.message
    assert (error.line, error.column) > (16, 0)


def test_mastodon_default_limit_is_500(tmp_path: Path) -> None:
    settings = Settings(workspace=tmp_path)
    assert validation_options(settings, NOW).limits["mastodon"].max_length == 500


def _bluesky(tmp_path: Path, body: str):
    path = _campaign(tmp_path, "bluesky", body)
    return load_campaigns([path], validation_options(Settings(workspace=tmp_path), NOW))


def test_bluesky_counts_300_graphemes_of_the_text_as_posted(tmp_path: Path) -> None:
    thumbs = "\U0001f44d\U0001f3fd"  # one grapheme, two code points, eight bytes
    short = _bluesky(tmp_path, BODY + thumbs)
    [delivery] = short.deliveries()
    used = graphemes(delivery.text)  # hashtag and link included; emoji sequences count once
    assert used < len(delivery.text)
    pad = 300 - used + 1
    exact = _bluesky(tmp_path, BODY + thumbs * pad)
    assert exact.errors == []
    [posted] = exact.deliveries()
    assert graphemes(posted.text) == 300 and len(posted.text.encode()) <= 3000
    over = _bluesky(tmp_path, BODY + thumbs * (pad + 1))
    [error] = over.errors
    assert error.message.startswith("Bluesky counts 301 characters, 1 over its limit of 300")


def test_threads_counts_500_characters_of_the_text_as_posted_emoji_by_their_bytes(
    tmp_path: Path,
) -> None:
    thumbs = "\U0001f44d\U0001f3fd"  # one emoji of eight UTF-8 bytes: Threads counts 8
    path = _campaign(tmp_path, "threads", BODY + thumbs)
    short = load_campaigns([path], validation_options(Settings(workspace=tmp_path), NOW))
    [delivery] = short.deliveries()
    used = threads_length(delivery.text)  # hashtag and link included
    assert used == measure(delivery.text, "threads").count, "validate counts as the connector"
    assert used > len(delivery.text), "emoji count their bytes"
    pad = 500 - used
    exact_path = _campaign(tmp_path, "threads", BODY + thumbs + "a" * pad)
    exact = load_campaigns([exact_path], validation_options(Settings(workspace=tmp_path), NOW))
    assert exact.errors == []
    [posted] = exact.deliveries()
    assert threads_length(posted.text) == 500
    over_path = _campaign(tmp_path, "threads", BODY + thumbs + "a" * (pad + 1))
    over = load_campaigns([over_path], validation_options(Settings(workspace=tmp_path), NOW))
    [error] = over.errors
    assert error.message.startswith("Threads counts 501 characters, 1 over its limit of 500")
