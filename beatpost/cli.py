"""The command line: parses arguments, calls the library, formats output. Nothing else.

Library errors become one clean line and an exit code here, at the edge (``--traceback``
shows the full trace for developers).
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

import click

from beatpost import __version__
from beatpost.context import Context, ExitStatus
from beatpost.display import echo

__all__ = ["cli", "main"]

# Each module in beatpost/commands defines register(cli). Listed explicitly so that the
# command table in the README can be checked against it.
COMMAND_MODULES = [
    "beatpost.commands.campaign_cmds",  # validate, plan
    "beatpost.commands.sandbox_cmds",  # sandbox
    "beatpost.commands.engagement_cmds",  # pull, report
    "beatpost.commands.ledger_cmds",  # sync, pause, resume, status, retry, skip
    "beatpost.commands.run_cmds",  # run
    "beatpost.commands.digest_cmds",  # digest
    "beatpost.commands.demo_cmds",  # demo, init
    "beatpost.commands.comment_cmds",  # comments (mark), reply
    "beatpost.commands.rescore_cmds",  # rescore
    "beatpost.commands.partner_cmds",  # partner-kit
    "beatpost.commands.outcome_cmds",  # outcomes (import, import-visits, attribute)
]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "show_default": True})
@click.version_option(__version__, prog_name="beatpost")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Settings file (default: ./beatpost.toml when present).",
)
@click.option(
    "-v", "--verbose", count=True, show_default=False, help="More log output (-vv for debug)."
)
@click.option("--traceback", is_flag=True, help="Show full tracebacks on errors (developers).")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, verbose: int, traceback: bool) -> None:
    """beatpost: schedule recruitment campaigns and learn what the community says back."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(config_path, traceback)


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(cli)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        # Without standalone mode, click returns (not raises) a command's Exit status.
        status = cli.main(args=args, prog_name="beatpost", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:
        exc.show()
        return ExitStatus.USAGE
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        echo("Aborted.", err=True)
        return ExitStatus.ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the one place an unexpected error becomes a clean line
        if "--traceback" in args:
            raise
        if _is_model_file_error(exc):  # an installation problem, not a bug: it names the file
            echo(f"Error: {exc}", err=True)
            return ExitStatus.ERROR
        logging.getLogger("beatpost").debug("unexpected error", exc_info=True)
        echo(
            f"Error: {type(exc).__name__}: {exc}\n"
            "This is a bug in beatpost; run again with --traceback and report it.",
            err=True,
        )
        return ExitStatus.ERROR
    return int(status) if isinstance(status, int) else ExitStatus.OK


def _is_model_file_error(exc: Exception) -> bool:
    """A shipped model file is missing or unreadable (``ModelFileError`` names it)."""
    from analysis.sentiment_models.linear import ModelFileError

    return isinstance(exc, ModelFileError)


if __name__ == "__main__":
    sys.exit(main())
