"""``beatpost digest``: build a week's engagement digest, write it to files and/or email it."""

from __future__ import annotations

from pathlib import Path

import click

from analysis.timeframe import IsoWeek, system_clock, week_zone
from beatpost.commands.engagement_cmds import week_option
from beatpost.context import Context, pass_ctx
from beatpost.display import echo, plural


def register(cli: click.Group) -> None:
    cli.add_command(digest)


@click.command()
@week_option()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write digest.html (with its charts), digest.txt and digest.eml here "
    "(default without --send: ./digest).",
)
@click.option(
    "--send",
    "do_send",
    is_flag=True,
    help="Email it to digest.recipients (once per week; see --force).",
)
@click.option("--force", is_flag=True, help="With --send: send again even if already sent.")
@pass_ctx
def digest(
    ctx: Context, week: IsoWeek | None, out_dir: Path | None, do_send: bool, force: bool
) -> None:
    """Build the weekly engagement digest; write it to files and/or email it."""
    from analysis.digest.build import build_digest
    from analysis.digest.render import build_message, headline, render, write_files
    from analysis.digest.send import address_problems, send_weekly_digest
    from analysis.digest.text import oneline
    from beatpost.spending import load_boosts

    if force and not do_send:
        raise click.UsageError("--force only makes sense with --send")
    settings = ctx.settings
    unaddressed = address_problems(settings.digest)
    if do_send and settings.digest.enabled and unaddressed:
        raise click.ClickException(
            "the digest cannot be sent until its addresses are set in beatpost.toml [digest]:\n  "
            + "\n  ".join(unaddressed)
        )
    now = system_clock()
    zone = week_zone(settings)
    week = week or IsoWeek.last_complete(now, zone)
    if week.bounds(zone)[1] > now:
        echo(f"Note: week {week} is not over yet; its figures are partial.", err=True)

    engine = ctx.open_engine()
    data = build_digest(engine, week, settings, lambda: now, load_boosts(settings, now))
    echo(
        oneline(
            f"Week {week} ({data.start:%d %b} - {data.end:%d %b %Y}, {data.timezone}): "
            f"{headline(data)}"
        )
    )

    if out_dir is None and not do_send:
        out_dir = Path("digest")
    if out_dir is not None:
        rendered = render(data)
        cfg = settings.digest
        message = build_message(rendered, data, sender=cfg.sender, recipients=cfg.recipients)
        try:
            written = write_files(rendered, message, out_dir)
        except OSError as exc:
            raise click.ClickException(
                f"{out_dir}: cannot write the digest: {exc.strerror}"
            ) from None
        for path in written:
            echo(f"wrote {path}")
        if unaddressed:
            echo(
                "Note: digest.eml is a preview; before --send, " + "; ".join(unaddressed), err=True
            )

    if do_send:
        result = send_weekly_digest(
            settings, engine, lambda: now, force, week=week, build=lambda *_args: data
        )
        recipients = len(settings.digest.recipients)
        messages = {
            "sent": f"Sent week {week} to {plural(recipients, 'recipient')} ({result.message_id}).",
            "already_sent": f"Week {week} was already sent ({result.message_id}); "
            "--force sends it again.",
            "in_progress": f"Week {week} is being sent by another beatpost process.",
            "disabled": "The digest is disabled (digest.enabled = false); nothing sent.",
        }
        if result.outcome in messages:
            echo(messages[result.outcome])
        elif result.outcome == "retry_later":
            raise click.ClickException(
                f"week {week}: the last send failed ({result.error}); the next try is due "
                f"{result.next_attempt_at:%Y-%m-%d %H:%M} UTC; --force tries now"
            )
        else:
            raise click.ClickException(f"week {week} not sent: {result.error}")
