"""Words from outside, made inert for a terminal: comments, author names, platform messages.

Someone else's text must not drive the reader's terminal (``ESC [2J`` clears it, an OSC 8
sequence plants a hyperlink, a cursor move overwrites a line), reorder a line (bidi
overrides), or be read as Rich markup (``[link=https://evil.example]``, ``[bold red]``).

One rule for every command: control characters and escape sequences go, through the same
``inert`` the digest uses (analysis/digest/text.py), and what is printed through Rich is a
``Text`` object, which Rich never parses for markup, so brackets stay brackets.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

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


__all__ = ["cell", "inert", "machine_json", "plain"]


def local_time(at: datetime | None, tz: ZoneInfo) -> str:
    """``at`` as a person reads it in ``tz`` (``2026-11-30 08:00 CST``), ``-`` for none."""
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z") if at else "-"
