"""Words from outside, made inert for a terminal: comments, author names, platform messages.

Someone else's text must not drive the reader's terminal (``ESC [2J`` clears it, an OSC 8
sequence plants a hyperlink, a cursor move overwrites a line), reorder a line (bidi
overrides), or be read as Rich markup (``[link=https://evil.example]``, ``[bold red]``).

One rule for every command: control characters and escape sequences go, through the same
``inert`` the digest uses (analysis/digest/text.py), and what is printed through Rich is a
``Text`` object, which Rich never parses for markup, so brackets stay brackets.
"""

from __future__ import annotations

from rich.text import Text

from analysis.digest.text import inert, oneline


def plain(value: object, limit: int | None = None) -> str:
    """``value`` on one line, inert, cut at ``limit`` characters with "…"."""
    return oneline(value, limit)


def cell(value: object, limit: int | None = None, style: str = "") -> Text:
    """``plain(value, limit)`` for a Rich table or ``console.print``: never markup."""
    return Text(plain(value, limit), style=style)


__all__ = ["cell", "inert", "plain"]
