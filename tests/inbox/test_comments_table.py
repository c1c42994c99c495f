"""The `beatpost comments` table: whatever the width, every column and the whole link."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from beatpost.commands.comment_cmds import _print_table

LINK = (
    "https://www.facebook.com/100000000000001/posts/122100000000000006?comment_id=900000000003004"
)
POST = "“I grew up four blocks from the station I work out of now.”"


def _items():
    return [
        SimpleNamespace(
            id=1074,
            created_at=datetime(2027, 3, 2, 21, 28, tzinfo=UTC),
            platform="instagram",
            post_text=POST,
            author="Jasmine Young",
            text="random but do you have community service officer positions?",
            flags=["needs_reply"],
            reply_state="unknown",
            mark=None,
            marked_by=None,
            answer_url=LINK,
        )
    ]


def _table(capsys, width: int) -> list[str]:
    _print_table(_items(), ZoneInfo("America/Chicago"), width=width)
    return capsys.readouterr().out.splitlines()


def _columns(lines: list[str]) -> list[str]:
    """Each column's text in the body of the table, its folded lines joined."""
    body = [line.split("│")[1:-1] for line in lines if line.startswith("│")]
    return ["".join(row[i].strip() for row in body) for i in range(len(body[0]))]


@pytest.mark.parametrize("width", [120, 200])
def test_comments_table_keeps_every_column_and_the_whole_link(capsys, width) -> None:
    """On a ~120-column terminal the Flags, Status and "Answer at" columns were cut off; at
    200 columns the longest link squeezed the ID and the comment out of the table."""
    lines = _table(capsys, width)
    out = "\n".join(lines)
    assert max(len(line) for line in lines) <= width
    for header in ("ID", "Local time", "Platform", "Flags", "Status", "Answer at"):
        assert header in out, header
    columns = _columns(lines)
    for shown in ("1074", "2027-03-02 15:28 CST", "Instagram", "needs_reply", "reply unknown"):
        assert shown in columns, shown
    comment = next(c for c in columns if c.startswith("random"))
    assert "community" in comment and comment.split("Answer at:")[0].endswith("positions?")
    # the whole link is there, in its column or under the comment, folded if it must be
    assert any(c.replace("Answer at:", "").endswith(LINK) for c in columns)


def test_comments_table_keeps_the_post_and_author_whole_when_there_is_room(capsys) -> None:
    """A post title of 25 characters was cut to make room for the link column."""
    out = "\n".join(_table(capsys, 200))
    assert "Jasmine Young" in out
    assert POST[:27] in out


@pytest.mark.parametrize("width", [80, 100])
def test_a_narrow_terminal_gets_every_comment_whole_in_blocks(capsys, width) -> None:
    """Under ~116 columns the table cut its right-hand columns off: at 100 the status, at 80
    the flags too (a safety flag among them)."""
    lines = _table(capsys, width)
    out = "\n".join(lines)
    assert max(len(line) for line in lines) <= width
    assert lines[0] == "1 comment, newest first"
    assert lines[2].startswith("1074  2027-03-02 15:28 CST  Instagram  Jasmine Young on ")
    assert "Flags: needs_reply   Status: reply unknown" in out
    words = " ".join(out.split())
    assert "random but do you have community service officer positions?" in words
    assert "Answer at: " in out and LINK in out.replace("\n", "")  # whole, folded if need be
