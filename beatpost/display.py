"""What commands print, and how: the one output path, and words from outside made inert.

Every command writes through ``echo`` (plain lines, click-styled), ``echo_json`` (for
scripts, through ``machine_json``) or a ``console()`` (Rich tables and styled text), which
all end in ``click.echo``: one stream per kind of output, colours dropped when it is not a
terminal. Rich draws only progress bars directly, on stderr (``progress_console``).

Words from outside (comments, author names, platform messages) are made inert for a
terminal.

Someone else's text must not drive the reader's terminal (``ESC [2J`` clears it, an OSC 8
sequence plants a hyperlink, a cursor move overwrites a line), reorder a line (bidi
overrides), or be read as Rich markup (``[link=https://evil.example]``, ``[bold red]``).

One rule for every command: control characters and escape sequences go, through the same
``inert`` the digest uses (analysis/digest/text.py), and what is printed through Rich is a
``Text`` object, which Rich never parses for markup, so brackets stay brackets.
"""

from __future__ import annotations

import io
import json
import re
import sys
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import click
from rich.console import Console
from rich.text import Text

from analysis.digest.text import inert, oneline


def plain(value: object, limit: int | None = None) -> str:
    """``value`` on one line, inert, cut at ``limit`` characters with "…"."""
    return oneline(value, limit)


def cell(value: object, limit: int | None = None, style: str = "") -> Text:
    """``plain(value, limit)`` for a Rich table or ``console.print``: never markup."""
    return Text(plain(value, limit), style=style)


# Every control (but the tab and newlines JSON itself uses), format (bidi overrides and
# isolates, zero-width marks, tags) and line or paragraph separator character: what a
# terminal, or a reader taking JSON for JavaScript, acts on. A test checks this against
# unicodedata's categories Cc, Cf, Zl and Zp.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890"
    "\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def _escape(match: re.Match[str]) -> str:
    encoded = match.group().encode("utf-16-be")
    return "".join(
        f"\\u{int.from_bytes(encoded[i : i + 2]):04x}" for i in range(0, len(encoded), 2)
    )


def machine_json(value: object) -> str:
    """``value`` as indented JSON for scripts: other alphabets as they are, but every
    control or format character (C1 controls, bidi overrides, U+2028/2029/0085) escaped as
    ``\\uXXXX``, so the output cannot drive a terminal it is shown in. Decodes to the same
    value."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return _UNSAFE.sub(_escape, text)


def echo(message: str | bytes = "", *, err: bool = False, nl: bool = True, **style: Any) -> None:
    """A line to stdout (``err``: stderr); ``style`` as ``click.style`` takes it (``fg="red"``,
    ``bold=True``). Bytes are written as they are."""
    click.echo(click.style(message, **style) if style else message, err=err, nl=nl)


def echo_json(value: object) -> None:
    """``value`` for scripts, as ``machine_json``."""
    click.echo(machine_json(value))


styled = click.style  # a word styled inside a line that ``echo`` writes


class _EchoFile(io.TextIOBase):
    """What a Rich console renders, handed to ``click.echo``."""

    def __init__(self, err: bool):
        self._err = err

    def _stream(self) -> Any:
        return sys.stderr if self._err else sys.stdout

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream(), "encoding", None) or "utf-8"

    def isatty(self) -> bool:
        return self._stream().isatty()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        click.echo(text, err=self._err, nl=False)
        return len(text)


#: The width of tables written to a file or a pipe (a cron mail, `| less`): not the 80 columns
#: Rich assumes without a terminal, which cut every header and cell to a few letters.
PIPED_WIDTH = 160


def console(width: int | None = None, *, err: bool = False) -> Console:
    """A Rich console for tables and styled text, writing through ``click.echo``; ``width``
    None: the terminal's, or ``PIPED_WIDTH`` when the output is not a terminal."""
    if width is None and not (sys.stderr if err else sys.stdout).isatty():
        width = PIPED_WIDTH
    return Console(file=_EchoFile(err), width=width)


def progress_console() -> Console:
    """Rich's console on stderr, for progress bars that redraw in place (never output)."""
    return Console(stderr=True)


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 day``, ``7 days``, ``1,200 comments``; ``words`` where adding an s is wrong."""
    return f"{n:,} {word if n == 1 else words or word + 's'}"


__all__ = [
    "cell",
    "console",
    "echo",
    "echo_json",
    "inert",
    "machine_json",
    "plain",
    "plural",
    "progress_console",
    "styled",
]


def local_time(at: datetime | None, tz: ZoneInfo) -> str:
    """``at`` as a person reads it in ``tz`` (``2026-11-30 08:00 CST``), ``-`` for none."""
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z") if at else "-"
