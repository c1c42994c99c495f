"""comments, comments mark, reply: the comments inbox in the terminal.

Someone else's words (comment text, author names, platform messages) are printed inert, through
``beatpost.display``.
"""

from __future__ import annotations

import sys
import unicodedata
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import click

from analysis.flags import CRITICAL, HOSTILE, NEEDS_REPLY, SAFETY
from analysis.timeframe import display_zone, system_clock
from beatpost import display
from beatpost.context import (
    Context,
    RecordNumber,
    format_option,
    one_line,
    parse_since,
    pass_ctx,
)
from beatpost.display import cell, echo, echo_json, local_time, plain, plural
from connectors.limits import PLATFORMS
from connectors.platforms import display_name as platform_display_name


def _status(item: Any) -> str:
    if item.reply_state and item.reply_state != "sent":
        return f"reply {item.reply_state}"
    if item.mark:
        return f"{item.mark} by {plain(item.marked_by, 30)}"
    return "open"


# Under this width the answer link goes under the comment rather than in its own column:
# a ~120-column terminal cut the Flags, Status and "Answer at" columns off.
_LINK_COLUMN_FROM = 160


def _print_table(
    items: list[Any], tz: ZoneInfo, width: int | None = None, since: datetime | None = None
) -> None:
    from rich.table import Table
    from rich.text import Text

    if width is None and not sys.stdout.isatty():
        width = 200
    console = display.console(width=width)
    if not items:
        window = f" written since {local_time(since, tz)}" if since else ""
        console.print(
            f"No comments{window} match. --since 30d goes further back; --all adds those "
            "marked replied or dismissed."
        )
        return
    rows = [
        (
            str(item.id),
            local_time(item.created_at, tz),
            platform_display_name(item.platform),
            ", ".join(item.flags),
            plain(_status(item)),
        )
        for item in items
    ]

    def widest(index: int, header: str) -> int:
        return max(len(header), *(len(row[index]) for row in rows))

    # The ID (for `reply ID` and `mark ID`), the time, the platform, the flags and the status
    # are never squeezed; the post and the author shrink first, the comment and links fold.
    fixed = [
        widest(i, h) for i, h in enumerate(("ID", "Local time", "Platform", "Flags", "Status"))
    ]
    if console.width < sum(fixed) + 3 * 8 + 1 + 20 + 2 * 6:
        # No room for the table without cutting its right-hand columns (the flags and the
        # status, on an 80- or 100-column terminal): one block per comment instead.
        _print_blocks(items, rows, console)
        return
    link_column = console.width >= _LINK_COLUMN_FROM
    columns = 9 if link_column else 8
    # what is left for the post and the author once the others have their room
    # (3 characters of border and padding per column, a comment at least 20 wide)
    room = console.width - sum(fixed) - 3 * columns - 1 - 20 - (24 if link_column else 0)
    post_width = max(6, min(28, room * 3 // 5))
    author_width = max(6, min(20, room - post_width))
    table = Table(title=f"{plural(len(items), 'comment')}, newest first", title_justify="left")
    table.add_column("ID", no_wrap=True, justify="right", min_width=fixed[0])
    table.add_column("Local time", no_wrap=True, min_width=fixed[1])
    table.add_column("Platform", no_wrap=True, min_width=fixed[2])
    table.add_column("Post", max_width=post_width, overflow="ellipsis", no_wrap=True)
    table.add_column("Author", max_width=author_width, overflow="ellipsis", no_wrap=True)
    table.add_column("Comment", min_width=20, max_width=60, overflow="fold")
    table.add_column("Flags", no_wrap=True, min_width=fixed[3])
    table.add_column("Status", no_wrap=True, min_width=fixed[4])
    if link_column:
        table.add_column("Answer at", overflow="fold", min_width=24)
    for item, (ident, when, platform, flags, status) in zip(items, rows, strict=True):
        link = _answer_link(item)
        comment = cell(item.text, 300)
        if not link_column and item.answer_url:
            comment = Text.assemble(comment, "\n", ("Answer at: ", "dim"), link)
        style = "bold red" if SAFETY in item.flags else ""
        table.add_row(
            ident,
            when,
            platform,
            cell(item.post_text, 28),
            cell(item.author, 20),
            comment,
            cell(flags, style=style),
            cell(status),
            *([link] if link_column else []),
        )
    console.print(table)


def _print_blocks(items: list[Any], rows: list[tuple[str, ...]], console: Any) -> None:
    """The table's rows as blocks of lines that fold at the terminal's width: the first line
    says which comment (its ID), when, where and by whom; then the words, the flags and what
    was done, and where to answer it."""
    from rich.text import Text

    console.print(f"{plural(len(items), 'comment')}, newest first")
    for item, (ident, when, platform, flags, status) in zip(items, rows, strict=True):
        console.print()
        console.print(
            Text.assemble(
                (f"{ident}  ", "bold"),
                f"{when}  {platform}  ",
                cell(item.author, 40),
                " on “",
                cell(item.post_text, 40),
                "”",
            )
        )
        console.print(Text.assemble("  ", cell(item.text, 300)))
        style = "bold red" if SAFETY in item.flags else ""
        console.print(
            Text.assemble("  Flags: ", (flags or "-", style), "   Status: ", cell(status))
        )
        if item.answer_url:
            console.print(Text.assemble("  Answer at: ", _answer_link(item)))


def _answer_link(item: Any) -> Any:
    """Where to answer ``item``, inert; on a terminal a link folded over lines stays one
    clickable link (OSC 8 hyperlink). A link with a space is not a valid style: left plain."""
    url = plain(item.answer_url) if item.answer_url else ""
    clickable = sys.stdout.isatty() and url and " " not in url
    return cell(url or "-", style=f"link {url}" if clickable else "")


def _print_unsettled(replies: list[Any]) -> None:
    """Replies that did not go out, whatever the filters: none may be forgotten."""
    from beatpost.replying import unsettled_line

    for r in replies:
        echo(unsettled_line(r), fg="yellow")


# Direction overrides and isolates reorder how the reply reads on the platform; emoji
# joiners (also format characters) are kept.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _reply_text(text: str | None) -> str | None:
    """The words of ``--text`` as they may go out: not empty, and no control character (an
    escape sequence would reach the platform); line breaks and tabs are kept."""
    if text is None:
        return None
    if not text.strip():
        raise click.BadParameter("the reply is empty", param_hint="--text")
    if any(
        (unicodedata.category(ch) == "Cc" and ch not in "\n\t") or ch in _BIDI_CONTROLS
        for ch in text
    ):
        raise click.BadParameter(
            "the reply contains control characters; write it as plain text", param_hint="--text"
        )
    return text


def _check_length(text: str, platform: str) -> None:
    """A reply too long for its platform is refused here, before anything is recorded."""
    from campaigns.counting import measure
    from connectors import limits_for

    limits = limits_for(platform)
    length = measure(text.strip(), limits.length_rule, limits.url_length).count
    if length > limits.max_length:
        raise click.BadParameter(
            f"the reply is {length} characters as {platform_display_name(platform)} counts "
            f"them; {platform_display_name(platform)} takes at most {limits.max_length}",
            param_hint="--text",
        )


def _connector_for(ctx: Context, item: Any) -> Any:
    import connectors
    from connectors.base import capabilities_of
    from connectors.errors import ConnectorUnavailable

    name = platform_display_name(item.platform)
    try:
        connector = connectors.create(item.platform, ctx.settings)
    except ConnectorUnavailable as exc:
        raise click.ClickException(
            f"cannot reply on {name}: {exc.message}; nothing was sent"
        ) from None
    if not capabilities_of(connector).replies:
        where = f" at {plain(item.answer_url)}" if item.answer_url else ""
        raise click.ClickException(
            f"beatpost cannot reply on {name}; nothing was sent. Answer the comment on "
            f"{name}{where}, then record it with `beatpost comments mark {item.id} replied`."
        )
    return connector


def register(cli: click.Group) -> None:
    cli.add_command(comments)
    cli.add_command(reply)


@click.group(invoke_without_command=True)
@click.option("--needs-reply", "needs_reply", is_flag=True, help="Leads and questions.")
@click.option("--hostile", is_flag=True, help="Threats, slurs, harassment.")
@click.option("--safety", is_flag=True, help="Attempts to locate or expose an officer.")
@click.option("--critical", is_flag=True, help="Critical of the department or post.")
@click.option("--platform", default=None, help=f"Only this platform ({', '.join(PLATFORMS)}).")
@click.option(
    "--since",
    default="7d",
    help="Written since: an age (24h, 7d, 2w), a date (today, yesterday, 2026-11-30) or "
    "a date-time (local time).",
)
@click.option(
    "--all", "include_handled", is_flag=True, help="Also comments marked replied/dismissed."
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=200,
    help="At most this many comments.",
)
@format_option()
@click.pass_context
def comments(
    click_ctx: click.Context,
    needs_reply: bool,
    hostile: bool,
    safety: bool,
    critical: bool,
    platform: str | None,
    since: str,
    include_handled: bool,
    limit: int,
    fmt: str,
) -> None:
    """The comments inbox: comments with a link to answer each one.

    Flag options combine as "any of" (--needs-reply --safety: leads and safety comments).
    Comments marked replied or dismissed are left out unless --all.
    """
    if click_ctx.invoked_subcommand is not None:
        return
    from store.inbox import list_comments, unsettled_replies

    ctx: Context = click_ctx.obj
    if platform is not None:
        # as the table shows it (X, Facebook) or as settings write it (x, facebook)
        if platform.strip().lower() not in PLATFORMS:
            raise click.BadParameter(
                f"unknown platform {platform!r}; known: {', '.join(PLATFORMS)}",
                param_hint="--platform",
            )
        platform = platform.strip().lower()
    tz = display_zone(ctx.settings)
    start = parse_since(since, system_clock(), tz)
    chosen = {NEEDS_REPLY: needs_reply, HOSTILE: hostile, SAFETY: safety, CRITICAL: critical}
    flags = [flag for flag, on in chosen.items() if on]
    engine = ctx.open_engine()
    items = list_comments(
        engine,
        flags=flags,
        platform=platform,
        since=start,
        include_handled=include_handled,
        first=(SAFETY, HOSTILE),  # what needs someone now: never the part --limit cuts off
        limit=limit,
    )
    if fmt == "json":
        echo_json([i.to_json() for i in items])
    else:
        _print_table(items, tz, since=start)
        _print_unsettled(unsettled_replies(engine))
    if items.left_out:
        echo(
            f"{plural(items.left_out, 'more comment')} matched but not shown (--limit {limit}): "
            "raise --limit, or narrow with --since, --platform or a flag.",
            err=fmt == "json",
            fg="yellow",
        )


_COMMENT_ID = RecordNumber("comment", "beatpost comments")


@comments.command()
@click.argument("comment_id", type=_COMMENT_ID, metavar="ID")
@click.argument("what", type=click.Choice(["replied", "dismissed", "escalated"]))
@click.option("--note", default=None, help="Why, or what was done (kept in the audit log).")
@pass_ctx
def mark(ctx: Context, comment_id: int, what: str, note: str | None) -> None:
    """Record what was done about comment ID (who and when go to the audit log).

    replied or dismissed takes it off the "needs a reply" lists (status, digest, inbox).
    """
    from store.inbox import InboxError, get_comment, mark_comment

    note = one_line(note, "--note")
    engine = ctx.open_engine()
    try:
        before = get_comment(engine, comment_id)
        previous, item = mark_comment(engine, comment_id, what, actor=ctx.settings.actor, note=note)
    except InboxError as exc:
        raise click.ClickException(str(exc)) from None
    when = local_time(before.marked_at, display_zone(ctx.settings))
    by = f"by {plain(before.marked_by, 60)} on {when}"
    if previous == what:
        was = f" (it already was, {by}; recorded again)"
    else:
        was = f" (was {previous} {by})" if previous else ""
    where = platform_display_name(item.platform)
    echo(
        f"Comment {item.id} by {plain(item.author, 40)} on {where} marked "
        f"{what} by {plain(ctx.settings.actor, 60)}{was}."
    )


@click.command()
@click.argument("comment_id", type=_COMMENT_ID, metavar="ID")
@click.option(
    "--text",
    default=None,
    help="The answer. Needed for a first reply; a reply whose outcome is unknown is "
    "checked, never sent again.",
)
@click.option(
    "--again",
    is_flag=True,
    help="Answer even though someone marked the comment replied (answered it outside beatpost).",
)
@pass_ctx
def reply(ctx: Context, comment_id: int, text: str | None, again: bool) -> None:
    """Answer comment ID on its platform, at most once.

    If the platform's answer is lost, the reply is "unknown" and is looked for on the
    platform (now, and on the next run of this command), never sent again. A comment
    someone marked replied is not answered a second time unless you add --again.
    """
    from beatpost.replying import ReplyOutcome, send_reply
    from store.inbox import AlreadyReplied, InboxError, get_comment

    text = _reply_text(text)
    engine = ctx.open_engine()
    try:
        item = get_comment(engine, comment_id)
        if item.mark == "replied" and item.reply_state is None and not again:
            when = local_time(item.marked_at, display_zone(ctx.settings))
            echo(
                f"Comment {item.id} was marked replied by {plain(item.marked_by, 60)} on "
                f"{when}: someone answered it already. Nothing was sent; add --again to "
                "answer it on the platform as well."
            )
            return
        if text is not None:
            _check_length(text, item.platform)
        outcome: ReplyOutcome = send_reply(
            engine,
            item,
            text,
            connector=lambda: _connector_for(ctx, item),
            actor=ctx.settings.actor,
        )
    except AlreadyReplied as exc:
        echo(f"{exc}. Nothing was sent.")
        return
    except InboxError as exc:
        raise click.ClickException(str(exc)) from None
    echo(outcome.message)
    if not outcome.ok:
        sys.exit(1)
