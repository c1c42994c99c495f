"""Rendering the digest: weeks, inert text, HTML/text parity, charts and the MIME structure."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest

from analysis.digest import text as fmt
from analysis.digest.charts import sentiment_chart
from analysis.digest.data import DaySentiment, ReplyNeeded, WeekFigures
from analysis.digest.render import build_message, headline, render, subject_for
from analysis.digest.sample import sample_digest
from analysis.timeframe import IsoWeek, WeekError

CHICAGO = ZoneInfo("America/Chicago")


# -- weeks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-W10", IsoWeek(2027, 10)),
        ("2027W10", IsoWeek(2027, 10)),
        (" 2027-w3 ", IsoWeek(2027, 3)),
        ("2026-W53", IsoWeek(2026, 53)),  # 2026 has 53 ISO weeks
    ],
)
def test_week_parses(text: str, expected: IsoWeek) -> None:
    assert IsoWeek.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-W53", "2027 has ISO weeks 1 to 52"),
        ("2027-W00", "2027 has ISO weeks 1 to 52"),
        ("2027-10", "expected an ISO week like 2027-W10"),
        ("last week", "expected an ISO week like 2027-W10"),
    ],
)
def test_bad_week_says_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(WeekError, match=re.escape(message)):
        IsoWeek.parse(text)


def test_week_bounds_are_local_midnights_and_follow_dst() -> None:
    # US DST starts on Sunday 14 March 2027, inside week 10: that week is one hour short.
    start, end = IsoWeek(2027, 10).bounds(CHICAGO)
    assert start == datetime(2027, 3, 8, 6, 0, tzinfo=UTC)  # 00:00 CST
    assert end == datetime(2027, 3, 15, 5, 0, tzinfo=UTC)  # 00:00 CDT
    assert end - start == timedelta(hours=167)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2027, 3, 15, 7, 0), IsoWeek(2027, 10)),  # Monday morning: last week
        (datetime(2027, 3, 14, 23, 59), IsoWeek(2027, 9)),  # Sunday night: week 10 not over
        (datetime(2027, 1, 4, 0, 0), IsoWeek(2026, 53)),  # across the ISO year
    ],
)
def test_last_complete_week(local: datetime, expected: IsoWeek) -> None:
    now = local.replace(tzinfo=CHICAGO).astimezone(UTC)
    assert IsoWeek.last_complete(now, CHICAGO) == expected


# -- inert text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mred\x1b[0m alert", "red alert"),
        ("\x1b]8;;https://evil.example\x07click\x1b]8;;\x07", "click"),  # OSC 8 hyperlink
        ("\x1b[2J\x1b[Hcleared", "cleared"),
        ("bell\x07 and\x00 nul", "bell and nul"),
        ("\u202eevil\u202c text", "evil text"),  # right-to-left override
        ("\x9b31mred", "red"),  # 8-bit CSI
        ("line one\nline two", "line one\nline two"),
        ("[link=https://evil.example]x[/link]", "[link=https://evil.example]x[/link]"),
        ("👮‍♀️ great job", "👮‍♀️ great job"),  # emoji with a zero-width joiner survives
    ],
)
def test_inert_removes_what_acts_on_a_terminal(raw: str, expected: str) -> None:
    assert fmt.inert(raw) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.com/a/status/1", "https://x.com/a/status/1"),
        ("http://example.org/p?q=1", "http://example.org/p?q=1"),
        ("javascript:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("https://exa mple.org", None),
        ("//evil.example/x", None),
        (None, None),
    ],
)
def test_only_plain_web_links_become_links(url: str | None, expected: str | None) -> None:
    assert fmt.safe_url(url) == expected


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [
        (120, 100, "+20%"),
        (80, 100, "−20%"),
        (100, 100, "no change"),
        (5, 0, "new"),
        (0, 0, "no change"),
        (None, 3, ""),
    ],
)
def test_change_wording(now: float | None, before: float | None, expected: str) -> None:
    assert fmt.change(now, before) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2027, 3, 8), date(2027, 3, 14), "8–14 Mar 2027"),
        (date(2027, 3, 29), date(2027, 4, 4), "29 Mar – 4 Apr 2027"),
        (date(2026, 12, 28), date(2027, 1, 3), "28 Dec 2026 – 3 Jan 2027"),
    ],
)
def test_span(start: date, end: date, expected: str) -> None:
    assert fmt.span(start, end) == expected


# -- rendering ------------------------------------------------------------------------------

HOSTILE = "<script>alert('x')</script> [link=https://evil.example]pay here[/link] \x1b[31mRED"


def hostile_digest():
    data = sample_digest()
    bad = ReplyNeeded(
        text=HOSTILE,
        author="<img src=x onerror=alert(1)>\x1b]8;;https://evil.example\x07",
        platform="x",
        url="javascript:alert(document.cookie)",
        created_local=datetime(2027, 3, 10, 9, tzinfo=CHICAGO),
        age=timedelta(days=2),
    )
    return replace(data, needs_reply=(bad, *data.needs_reply), needs_reply_total=4)


def visible_text(page: str) -> str:
    """What a reader sees in the HTML: tags dropped, entities decoded, whitespace collapsed."""
    page = re.sub(r"<(style|head)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_hostile_comment_is_inert_in_html_and_text() -> None:
    rendered = render(hostile_digest())
    page = rendered.html
    assert "<script" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page  # shown, as text
    assert "javascript:" not in page
    assert 'href="https://evil.example' not in page
    assert "[link=https://evil.example]pay here[/link]" in visible_text(page)
    for out in (page, rendered.text, rendered.html_for_files):
        assert "\x1b" not in out and "\x07" not in out
    assert "[link=https://evil.example]pay here[/link] RED" in rendered.text
    assert "<script>alert('x')</script>" in rendered.text  # plain text is not HTML-escaped
    # A comment without a usable link gets no reply button rather than a dangerous one.
    assert page.count("Reply on X") == 1  # only the sample's own X comment


def facts(data) -> list[str]:
    items = [data.department, f"week {data.week.week}", "8–14 Mar 2027"]
    items += [fmt.prose(p.text, 280) for p in data.top_posts]
    items += [fmt.oneline(c.text, 600) for c in data.needs_reply + data.hostile]
    items += [fmt.prose(p.excerpt, 100) for p in data.problems]
    items += [p.reason for p in data.problems]
    items += [p.reason for p in data.pauses]
    items += [fmt.prose(s.excerpt, 90) for s in data.next_week]
    items += ["X + Facebook", "Facebook + Instagram"]
    items += [
        fmt.number(data.this_week.audience),
        fmt.number(data.this_week.interactions),
        fmt.percent(data.this_week.engagement_rate),
        "+27%",
        "+0.4 pt",
        f"{data.hostile_count} flagged hostile" if data.hostile_count > 1 else "",
        "Riverton High School",
        "Valley Community College",
    ]
    return [f for f in items if f]


def test_html_and_text_carry_the_same_facts() -> None:
    data = sample_digest()
    rendered = render(data)
    seen_html = visible_text(rendered.html)
    seen_text = " ".join(rendered.text.split())
    for fact in facts(data):
        assert fact.lower() in seen_html.lower(), f"HTML lacks {fact!r}"
        assert fact.lower() in seen_text.lower(), f"text lacks {fact!r}"
    for link in [c.url for c in data.needs_reply + data.hostile] + [p.url for p in data.top_posts]:
        assert f'href="{html.escape(link)}"' in rendered.html
        assert link in rendered.text


def test_html_is_inlined_single_column_for_phones() -> None:
    page = render(sample_digest()).html
    assert "<style" not in page  # rules moved onto the elements
    assert re.search(r'class="page"[^>]*style="[^"]*max-width: ?600px', page)
    assert re.search(r'class="button"[^>]*style="[^"]*padding: ?12px 18px', page)
    assert 'name="viewport"' in page


def test_empty_week_renders_plain_statements() -> None:
    data = replace(
        sample_digest(),
        top_posts=(),
        needs_reply=(),
        needs_reply_total=0,
        hostile=(),
        problems=(),
        pauses=(),
        next_week=(),
        next_week_total=0,
        by_kind=(),
        by_platform=(),
        by_partner=(),
        sentiment_by_day=(),
    )
    rendered = render(data)
    for sentence in (
        "No comments are waiting for a reply.",
        "No post was published this week.",
        "Every planned post went out.",
        "Nothing is scheduled for next week.",
    ):
        assert sentence in visible_text(rendered.html)
        assert sentence in rendered.text
    assert rendered.charts == ()


def test_week_with_no_posts_has_no_empty_what_worked_heading() -> None:
    """A digest for a week with no posts showed the heading "WHAT WORKED" over nothing."""
    data = replace(sample_digest(), top_posts=(), by_kind=(), by_platform=(), by_partner=())
    rendered = render(data)
    assert "WHAT WORKED" not in rendered.text
    assert "What worked" not in visible_text(rendered.html)
    assert "No post was published this week.\n\nSENTIMENT" in rendered.text
    full = render(sample_digest())
    assert "WHAT WORKED" in full.text and "What worked" in visible_text(full.html)


def test_long_lists_are_cut_and_counted() -> None:
    data = sample_digest()
    many = tuple(replace(data.needs_reply[0], text=f"question {i}") for i in range(14))
    rendered = render(replace(data, needs_reply=many, needs_reply_total=20))
    assert "question 9" in rendered.text and "question 10" not in rendered.text
    assert "and 10 more" in rendered.text
    assert "and 10 more" in visible_text(rendered.html)


def test_digest_hostile_count_names_the_comments_behind_it() -> None:
    """A count of flagged comments never comes alone: each one is listed, inert, with the
    link where it can be reviewed, in the HTML and in the text."""
    data = sample_digest()
    bad = replace(
        data.hostile[0], text=HOSTILE, author="\x1b[2Jtroll", url="https://x.com/troll/status/9"
    )
    rendered = render(replace(data, hostile=(bad, *data.hostile)))
    assert "3 flagged hostile" in rendered.text
    section = rendered.text.split("COMMENTS FLAGGED HOSTILE", 1)[1].split("TOP POSTS")[0]
    for comment in (bad, *data.hostile):
        assert fmt.oneline(comment.text, 600) in section
        assert f"Review: {comment.url}" in section
    assert "\x1b" not in rendered.text and "<script" not in rendered.html
    page = rendered.html
    hostile_part = page.split('id="hostile"', 1)[1].split("Top posts", 1)[0]
    for comment in data.hostile:
        assert fmt.oneline(comment.text, 600) in visible_text(hostile_part)
        assert f'href="{html.escape(comment.url)}"' in hostile_part
    # Every mention of the count points at the list: headline, badge and sentiment caption.
    assert page.count('href="#hostile"') == 3


def test_top_post_link_label_is_not_left_dangling() -> None:
    """ "RSVP: #JoinSPD" read as if the link had been cut out: the label keeps its domain."""
    data = sample_digest()
    event = replace(
        data.top_posts[1],
        text="Info session online, Thursday 6:30 PM. RSVP: "
        "https://www.springfieldpd.example.org/info?utm_source=instagram&utm_medium="
        "social #JoinSPD",
    )
    rendered = render(replace(data, top_posts=(event,)))
    expected = "RSVP: springfieldpd.example.org #JoinSPD"
    assert expected in rendered.text
    assert expected in visible_text(rendered.html)
    assert "RSVP: #JoinSPD" not in rendered.text + visible_text(rendered.html)
    assert fmt.prose("Apply today at https://x.example.gov/join.") == (
        "Apply today at x.example.gov."
    )


def test_digest_lists_at_most_25_hostile_comments_and_counts_the_rest() -> None:
    data = sample_digest()
    many = tuple(replace(data.hostile[0], text=f"insult {i}") for i in range(30))
    rendered = render(replace(data, hostile=many))
    assert "insult 24" in rendered.text and "insult 25" not in rendered.text
    assert "and 5 more flagged hostile" in rendered.text
    assert "and 5 more flagged hostile" in visible_text(rendered.html)


# -- charts ---------------------------------------------------------------------------------


def test_sentiment_chart_is_a_png_whose_alt_text_says_the_numbers() -> None:
    days = (
        DaySentiment(date(2027, 3, 8), negative=2, neutral=1, positive=5),
        DaySentiment(date(2027, 3, 9)),
    )
    chart = sentiment_chart(days)
    assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert chart.alt == "Comment sentiment per day: Mon 5 positive, 1 neutral, 2 negative."
    assert sentiment_chart(days).png == chart.png  # deterministic: no timestamps inside
    assert chart.width_px >= 1000  # sharp on a phone's dense screen


def test_chart_alt_text_for_a_silent_week() -> None:
    chart = sentiment_chart((DaySentiment(date(2027, 3, 8)),))
    assert chart.alt == "Comment sentiment per day: no comments this week."


# -- the message ----------------------------------------------------------------------------


def test_message_structure_and_inline_images() -> None:
    data = sample_digest()
    rendered = render(data)
    msg = build_message(
        rendered,
        data,
        sender="Beatpost <digest@riverton.example>",
        recipients=["chief@riverton.example", "Lt. Brooks <sb@riverton.example>"],
    )
    parsed = message_from_bytes(msg.as_bytes(), policy=policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    text_part, related = parsed.get_payload()
    assert text_part.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, *images = related.get_payload()
    assert html_part.get_content_type() == "text/html"
    assert [i.get_content_type() for i in images] == ["image/png"] * len(rendered.charts)
    assert len(images) == 2
    page = html_part.get_content()
    for image in images:
        cid = image["Content-ID"].strip("<>")
        assert f'src="cid:{cid}"' in page
        assert image.get_content().startswith(b"\x89PNG")
    for chart in rendered.charts:
        assert f'alt="{html.escape(chart.alt, quote=True)}"' in page
    assert parsed["Subject"] == subject_for(data)
    assert parsed["Subject"] == (
        "Weekly digest, week 10 (8-14 Mar 2027): Riverton Police Department"
    )
    assert parsed["To"] == 'chief@riverton.example, "Lt. Brooks" <sb@riverton.example>'
    assert parsed["Message-ID"].endswith("@riverton.example>")


def test_written_files(tmp_path) -> None:
    from analysis.digest.render import write_files

    data = sample_digest()
    rendered = render(data)
    msg = build_message(rendered, data, sender="d@example.org", recipients=["c@example.org"])
    paths = write_files(rendered, msg, tmp_path / "out")
    names = sorted(p.name for p in paths)
    assert names == [
        "digest.eml",
        "digest.html",
        "digest.txt",
        "engagement-by-kind.png",
        "sentiment.png",
    ]
    page = (tmp_path / "out" / "digest.html").read_text()
    assert 'src="sentiment.png"' in page and "cid:" not in page


def test_links_are_kept_out_of_post_excerpts() -> None:
    rendered = render(sample_digest())
    assert "utm_source" not in rendered.text and "utm_source" not in rendered.html
    assert "Officer Kim Tran on family and shift work." in rendered.text


def test_long_problem_and_pause_lists_are_cut_and_counted() -> None:
    data = sample_digest()
    problems = tuple(replace(data.problems[1], excerpt=f"skipped post {i}") for i in range(13))
    pauses = tuple(replace(data.pauses[0], reason=f"pause {i}") for i in range(8))
    rendered = render(replace(data, problems=problems, pauses=pauses))
    for out in (rendered.text, visible_text(rendered.html)):
        assert "skipped post 9" in out and "skipped post 10" not in out
        assert "and 3 more" in out
        assert "pause 4" in out and "pause 5" not in out
        assert "and 3 more pauses" in out


def test_unscored_comments_say_so_instead_of_a_dash() -> None:
    data = sample_digest()
    unscored = replace(data.this_week, positive=0, neutral=0, negative=0)
    rendered = render(replace(data, this_week=unscored))
    assert "87 comments (sentiment not scored yet);" in rendered.text
    assert "87 comments (sentiment not scored yet);" in visible_text(rendered.html)


def test_a_rate_without_audience_is_not_compared() -> None:
    data = sample_digest()
    silent = replace(data.this_week, posts_out=0, audience=0, interactions=0, engagement_rate=None)
    rendered = render(replace(data, this_week=silent))
    assert "( vs last week)" not in rendered.text
    assert "Engagement rate  –\n" in rendered.text
    assert "−100% vs last week" in rendered.text  # the counts still compare
    assert "pt vs last week" not in visible_text(rendered.html)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {},
            "14 posts out, 23,480 views and 1,162 interactions (4.9%); 87 comments, "
            "sentiment +0.44; 3 need a reply, 2 flagged hostile; 1 post failed.",
        ),
        (
            {"needs_reply_total": 1, "hostile": (), "problems": ()},
            "14 posts out, 23,480 views and 1,162 interactions (4.9%); 87 comments, "
            "sentiment +0.44; 1 needs a reply.",
        ),
        (
            {
                "this_week": WeekFigures(posts_out=1),
                "needs_reply_total": 0,
                "hostile": (),
                "problems": (),
            },
            "1 post out, 0 views and 0 interactions (–).",
        ),
    ],
)
def test_headline(changes, expected) -> None:  # noqa: ANN001
    data = replace(sample_digest(), **changes)
    assert headline(data) == expected
    rendered = render(data)
    assert expected in rendered.text
    linked = bool(data.needs_reply_total or data.hostile_count)
    # The preview, and the body unless counts of flagged comments are linked to their lists.
    assert rendered.html.count(html.escape(expected, quote=False)) == (1 if linked else 2)
    body = rendered.html.split('class="oneline"', 1)[1].split(">", 1)[1].split("</p>", 1)[0]
    assert " ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split()) == expected
    for count, anchor in ((data.needs_reply_total, "replies"), (data.hostile_count, "hostile")):
        assert (f'href="#{anchor}"' in body) == bool(count)


def test_digest_names_every_platform_as_the_platform_table_does():
    """LinkedIn read 'Linkedin' in the digest: its copy of the names fell behind the table."""
    from analysis.digest.render import PLATFORM_NAMES, platform_name
    from connectors.platforms import DISPLAY_NAMES

    assert {k: v for k, v in PLATFORM_NAMES.items() if k != "sandbox"} == DISPLAY_NAMES
    assert platform_name("linkedin") == "LinkedIn"


def test_the_sample_week_derives_its_figures_as_build_does() -> None:
    """Ages run from each comment to the digest's making; rates and comment counts follow
    from the other figures, so the sample cannot contradict itself."""
    data = sample_digest()
    for comment in data.needs_reply + data.hostile:
        assert comment.age == data.generated_at - comment.created_local
    assert [fmt.age(c.age) for c in data.needs_reply] == ["3 days", "5 days", "4 days"]
    for week in (data.this_week, data.last_week):
        assert week is not None
        assert week.comments == week.positive + week.neutral + week.negative
        assert week.engagement_rate == week.interactions / week.audience
    for post in data.top_posts:
        assert post.engagement_rate == post.interactions / post.audience
