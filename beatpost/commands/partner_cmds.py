"""``beatpost partner-kit``: the files a community partner needs to share a campaign."""

from __future__ import annotations

from pathlib import Path

import click

from analysis.timeframe import system_clock
from beatpost.context import Context, pass_ctx
from beatpost.display import echo


def register(cli: click.Group) -> None:
    cli.add_command(partner_kit)


@click.command("partner-kit")
@click.argument("partner")
@click.option(
    "--campaign",
    "campaign",
    metavar="ID",
    default=None,
    help="Only this campaign's posts (default: every campaign naming PARTNER).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="New or empty folder to write the kit into.",
)
@pass_ctx
def partner_kit(ctx: Context, partner: str, campaign: str | None, out: Path) -> None:
    """Write a sharing kit for PARTNER (an id under partners: in a campaign file).

    Per upcoming post: the texts with a link tagged utm_source=PARTNER, cleaned copies of
    the images and a printable QR code of the link; index.html says how to use it.
    """
    from beatpost.commands.campaign_cmds import load_campaign_set
    from beatpost.partner_kit import KitError, select_kit, write_kit

    now = system_clock()
    campaign_set = load_campaign_set(ctx, (), now)
    try:
        kit = select_kit(campaign_set, partner, campaign, now)
        write_kit(kit, out)
    except KitError as exc:
        raise click.ClickException(str(exc)) from None
    bad = [f.path for f in campaign_set.files if not f.ok]
    if bad:
        echo(f"Left out (errors; run beatpost validate): {', '.join(bad)}", err=True)
    posts = len(kit.posts)
    echo(
        f"Wrote a kit for {kit.partner_name} to {out}: {posts} upcoming "
        f"post{'' if posts == 1 else 's'}. Open {out / 'index.html'} to check it, "
        "then send the folder (zipped) to the partner."
    )
