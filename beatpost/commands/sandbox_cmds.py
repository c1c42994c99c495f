"""``beatpost sandbox``: run the platform emulator in the foreground for rehearsals."""

from __future__ import annotations

import errno
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TypeVar

import click

from beatpost.context import Context, pass_ctx
from beatpost.display import echo, plural
from connectors.hosting import publish_folder
from connectors.sandbox import FaultPlan, SandboxServer, SandboxState, SimClock
from connectors.sandbox.server import settings_env

FC = TypeVar("FC", bound=Callable[..., object])


def register(cli: click.Group) -> None:
    cli.add_command(sandbox)


def _share_of_requests(flag: str, what: str) -> Callable[[FC], FC]:
    """A fault option: the share (0 to 1) of platform requests ``what``."""
    return click.option(
        flag,
        type=click.FloatRange(0, 1),
        default=0.0,
        help=f"Share of platform requests {what}.",
    )


@click.command()
@click.option("--host", default=None, help="Interface to listen on [default: sandbox.host].")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Port (0 picks a free one) [default: sandbox.port].",
)
@click.option("--seed", type=int, default=None, help="Audience seed [default: sandbox.seed].")
@click.option(
    "--speed",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    help="The audience lives this many times faster (60: a post's first day of likes and "
    "comments in 24 minutes). Every time the sandbox hands out stays real time, the daemon's.",
)
@_share_of_requests("--error-rate", "answered with a transient error")
@_share_of_requests("--rate-limit-rate", "answered 429 with reset headers")
@_share_of_requests(
    "--created-but-500-rate", "that apply but answer 500 (exercises reconciliation)"
)
@click.option(
    "--latency",
    type=click.FloatRange(min=0),
    default=0.0,
    help="Seconds added to every platform reply.",
)
@click.option(
    "--unsafe-comments",
    is_flag=True,
    help="Some hostile comments carry HTML, Rich markup or terminal escapes (display tests).",
)
@click.option(
    "--media-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Folder served under /_sandbox/hosted/ (stands in for the department's web server). "
    "Default: the folder beatpost publishes Instagram's image copies to (instagram.publish_dir).",
)
@pass_ctx
def sandbox(
    ctx: Context,
    host: str | None,
    port: int | None,
    seed: int | None,
    speed: float,
    error_rate: float,
    rate_limit_rate: float,
    created_but_500_rate: float,
    latency: float,
    unsafe_comments: bool,
    media_dir: Path | None,
) -> None:
    """Run the local emulator of every platform beatpost posts to until Ctrl-C.

    Point beatpost at it with the printed settings: nothing leaves this machine, a seeded
    audience likes, shares and comments, and /_sandbox/posts shows what was posted.
    """
    defaults = ctx.settings.sandbox
    try:
        plan = FaultPlan(
            error_rate=error_rate,
            rate_limit_rate=rate_limit_rate,
            created_but_500_rate=created_but_500_rate,
            latency_seconds=latency,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    # Real time: the daemon (`beatpost run`) and the connectors read the real clock, so the
    # platforms must too; only the audience may live faster (see docs/sandbox.md).
    clock = SimClock(datetime.now(UTC), running=True)
    state = SandboxState(
        seed=defaults.seed if seed is None else seed,
        clock=clock,
        faults=plan,
        unsafe_comment_rate=0.25 if unsafe_comments else 0.0,
        timezone=ctx.settings.default_timezone,
        audience_speed=speed,
    )
    if media_dir is None:
        # What Instagram fetches is beatpost's metadata-free copies, never the media/ originals.
        media_dir = publish_folder(ctx.settings)  # created by beatpost when it writes a copy
    bind_host = host or defaults.host
    bind_port = defaults.port if port is None else port
    try:
        server = SandboxServer(state, bind_host, bind_port, media_dir=media_dir)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise click.ClickException(
                f"port {bind_port} on {bind_host} is in use; pass --port N (0 picks a free one)"
            ) from None
        raise click.ClickException(
            f"cannot listen on {bind_host}:{bind_port}: {exc.strerror}"
        ) from None

    echo(f"beatpost sandbox listening on {server.url} (seed {state.seed})")
    echo(f"serving {media_dir} under {server.url}/_sandbox/hosted/")
    pace = f"; the audience lives x{speed:g} faster" if speed != 1 else ""
    echo(f"clock: real time, {clock.now().isoformat(timespec='seconds')}{pace}")
    echo("")
    echo("# beatpost.toml: point the connectors at the sandbox")
    echo(server.settings_toml())
    echo("")
    echo("# environment: fake credentials (any token works; 'expired' is refused)")
    for name, value in settings_env().items():
        echo(f"export {name}={value}")
    echo("")
    echo(f"# inspect: {server.url}/_sandbox/posts  {server.url}/_sandbox/requests")
    echo("Press Ctrl-C to stop.", err=True)

    _serve_until_interrupted(server)
    posts = state.posts()
    echo(
        f"sandbox stopped; {plural(len(posts), 'post')}, "
        f"{plural(len(state.request_log), 'request')}"
    )


def _serve_until_interrupted(server: SandboxServer) -> None:
    """Serve in the foreground; SIGINT or SIGTERM stops it cleanly."""
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    server.start()
    try:
        while not stop.wait(0.2):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
