"""Length limits on the text as posted (after link, signature and hashtags), per platform."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from twitter_text import parse_tweet

from campaigns.counting import hashtags_in, measure

# X: exactly as X counts (twitter-text): URLs 23, CJK and emoji 2, other text 1
X_CASES = [
    ("plain ascii", "a" * 280, 280),
    ("url counts 23", "see https://example.org/" + "x" * 200, 4 + 23),
    ("cjk counts 2", "警察" * 10, 40),
    ("emoji counts 2", "👮" * 10, 20),
    ("emoji with modifier", "👮🏽‍♀️", 2),
    ("accented latin counts 1", "é" * 10, 10),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in X_CASES], ids=[c[0] for c in X_CASES]
)
def test_x_weighted_length(text, expected):
    assert measure(text, "x_weighted").count == expected


ASCII_PIECES = st.sampled_from(
    [
        "Join us ",
        "https://springfieldpd.example.org/careers?utm_source=x",
        " ",
        "\n",
        "\r\n",
        "#JoinSPD",
        "@SpringfieldHS",
        "example.com",
        "www.springfieldpd.gov/jobs",
        ".",
        ",",
        "http://a.co/b",
        "apply-now.org",
        "foo@bar.com",
        "1.",
        "x" * 30,
    ]
)


NO_EMOJI = st.text(
    st.characters(
        codec=None,
        categories=None,
        exclude_categories=("Cs",),
        include_characters="“”‘’—–…•é",
        max_codepoint=0x24F,
    ),
    max_size=8,
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    st.lists(
        st.one_of(
            ASCII_PIECES,
            st.text(st.characters(max_codepoint=127), max_size=8),
            NO_EMOJI,
            st.sampled_from(
                ["“", "”", "—", "…", "‘", "•", "é", "ñ", "\u2027", "\u2010", "e\u0301"]
            ),
        ),
        max_size=12,
    )
)
def test_shortcut_matches_parse_tweet(pieces):
    text = "".join(pieces)
    assert measure.__wrapped__(text, "x_weighted").count == parse_tweet(text).weightedLength


def test_no_emoji_characters_really_are_not_emoji():
    from twitter_text.regexp.emoji import emoji

    from campaigns.counting import NO_EMOJI_CHARS

    chars = re.compile(f"[{NO_EMOJI_CHARS}]")
    for code in range(0x2100):
        char = chr(code)
        if chars.match(char) and not char.isascii():
            for probe in (char, char + "\ufe0f", char + "\u20e3", char + "\ufe0f\u20e3"):
                assert not emoji.search(probe), hex(code)


def test_mastodon_and_character_rules():
    text = "hi https://example.org/" + "x" * 100 + " @pio@mastodon.social"
    assert measure(text, "mastodon", 23).count == len("hi ") + 23 + len(" @pio")
    assert measure("警察👮", "characters").count == 3


def test_hashtags_in():
    assert hashtags_in("#JoinSPD and #joinspd, #1 and &#39; #Police_Jobs") == [
        "#JoinSPD",
        "#Police_Jobs",
    ]


# Body + "\n\n" + tagged link (23 on X) + "\n" + "#JoinSPD" = body + 34 characters on X.
@pytest.mark.parametrize(
    ("body", "over"),
    [
        ("a" * 246, None),
        ("a" * 247, "X counts 281 characters, 1 over its limit of 280"),
        ("警" * 123, None),
        ("警" * 124, "X counts 282 characters, 2 over its limit of 280"),
        ("👮" * 124, "X counts 282 characters"),
    ],
)
def test_x_limit_applies_to_the_posted_text(load_text, body, over):
    posts = (
        f"  - id: a\n    kind: announcement\n    platforms: [x]\n"
        f"    at: 2027-03-02 10:00\n    text: {body}\n"
    )
    cs = load_text(posts)
    messages = [d.message for d in cs.errors]
    if over is None:
        assert messages == []
        assert len(cs.deliveries()) == 1
    else:
        assert len(messages) == 1 and messages[0].startswith(over), messages
        assert cs.deliveries() == []  # files with errors plan nothing


def test_reminder_length_names_the_reminder(load_text):
    posts = (
        "  - id: fair\n    kind: event\n    platforms: [x]\n    event:\n"
        "      name: Fair\n      starts: 2027-03-20 10:00\n      location: Gym\n"
        "    reminders:\n      - offset: -1d\n        text: " + "b" * 260 + "\n"
    )
    (error,) = load_text(posts).errors
    assert error.path == "posts[0].reminders[0].text"
    assert "(the -1d reminder)" in error.message


INSTAGRAM = """\
version: 1
campaign:
  id: ig
  name: IG
  window: {start: 2027-03-01, end: 2027-03-31}
  platforms: [instagram, facebook]
  approved_by: Lt. Test
posts:
  - id: a
    kind: announcement
    at: 2027-03-02 10:00
    text: TEXT
    media: MEDIA
"""


def _instagram(write, tmp_path, text, media="[{file: img.jpg, alt: A poster}]"):
    from campaigns import load_campaigns
    from tests.campaigns.conftest import make_image, options

    make_image(tmp_path / "img.jpg")
    doc = INSTAGRAM.replace("TEXT", text).replace("MEDIA", media)
    return load_campaigns([write(doc)], options())


def test_instagram_hashtag_limit(write, tmp_path):
    ok = " ".join(f"#tag{i}" for i in range(30))
    assert not _instagram(write, tmp_path, f"'Hello {ok}'").errors
    many = " ".join(f"#tag{i}" for i in range(31))
    (error,) = _instagram(write, tmp_path, f"'Hello {many}'").errors
    assert error.message == "Instagram allows at most 30 hashtags; this text has 31"


def test_instagram_length_limit(write, tmp_path):
    assert not _instagram(write, tmp_path, "a" * 2200).errors
    (error,) = _instagram(write, tmp_path, "a" * 2201).errors
    assert error.message.startswith("Instagram counts 2201 characters, 1 over")


def test_facebook_limit(write, tmp_path):
    cs = _instagram(write, tmp_path, "a" * 63207)
    assert [e.message.split(",")[0] for e in cs.errors] == [
        "Instagram counts 63207 characters",
        "Facebook counts 63207 characters",
    ]


def test_instagram_needs_an_image(write, tmp_path):
    (error,) = _instagram(write, tmp_path, "Hi", media="[]").errors
    assert error.path == "posts[0].media"
    assert error.message.startswith("Instagram needs at least one image")
