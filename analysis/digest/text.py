"""Making untrusted text inert, and the number formats the digest speaks in.

Comment text and author handles come from the public. In HTML, Jinja's autoescaping makes
markup inert; that is not enough for the plain-text part and the terminal, where an escape
sequence (``\\x1b[31m``, an OSC 8 hyperlink, a cursor move) would act on the reader's
screen, and a right-to-left override could make a line read differently from what it is.
``inert`` removes all of those, and the templates apply it to every value they print.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), and any other
# two-character escape. Then C0/C1 controls other than tab and newline.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, terminated or not
    r"|\x1b[@-_]?"  # other escapes, or a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
# Bidirectional embeddings, overrides, isolates and marks (the "Trojan Source" characters).
_BIDI = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
)


def inert(value: object) -> str:
    """``value`` as text that cannot drive a terminal or reorder a line; newlines kept."""
    text = "" if value is None else str(value)
    text = _ANSI.sub("", text).translate(_BIDI)
    return "".join(
        ch
        for ch in text
        if ch in "\n\t"
        or unicodedata.category(ch) not in ("Cc", "Cf")
        or ch == "\u200d"  # zero-width joiner: part of emoji sequences, harmless
    )


def oneline(value: object, limit: int | None = None) -> str:
    """Inert text on one line (whitespace collapsed), cut at ``limit`` characters with "…"."""
    text = " ".join(inert(value).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


_URL = re.compile(r"https?://\S+")
_TRAILING = ".,;:!?)]}'\"”’"  # sentence punctuation after a link is not part of it


def _domain(match: re.Match[str]) -> str:
    url = match.group(0)
    stripped = url.rstrip(_TRAILING)
    try:
        host = urlsplit(stripped).hostname or ""
    except ValueError:
        host = ""
    host = host.removeprefix("www.")
    return host + url[len(stripped) :] if host else url[len(stripped) :]


def prose(value: object, limit: int | None = None) -> str:
    """A post's words with each link shortened to its domain ("RSVP: springfieldpd.example.org"):
    the full link, long with tracking tags, is shown separately, and a label such as "RSVP:"
    must not be left pointing at nothing."""
    return oneline(_URL.sub(_domain, inert(value)), limit)


def safe_url(value: object) -> str | None:
    """The URL when it is plain http(s); None for anything else (javascript:, data:, junk)."""
    if not value:
        return None
    text = str(value).strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in text):
        return None
    return text


def number(value: int | float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}"


def percent(rate: float | None, digits: int = 1) -> str:
    return "–" if rate is None else f"{100 * rate:.{digits}f}%"


def change(now: float | None, before: float | None) -> str:
    """Relative change for counts: "+12%", "−5%", "new", "no change", or "" when unknown."""
    if now is None or before is None:
        return ""
    if before == 0:
        return "no change" if now == 0 else "new"
    ratio = (now - before) / before
    if round(100 * ratio) == 0:
        return "no change"
    return f"{'+' if ratio > 0 else '−'}{abs(100 * ratio):.0f}%"


def change_points(now: float | None, before: float | None) -> str:
    """Change of a rate in percentage points: "+0.4 pt"."""
    if now is None or before is None:
        return ""
    points = 100 * (now - before)
    if round(points, 1) == 0:
        return "no change"
    return f"{'+' if points > 0 else '−'}{abs(points):.1f} pt"


def signed(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    return f"{'+' if value > 0 else '−' if value < 0 else '±'}{abs(value):.{digits}f}"


def age(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return f"{max(int(delta.total_seconds() // 60), 0)} min"
    if hours < 48:
        return f"{int(hours)} h"
    return f"{int(hours // 24)} days"


def day_label(value: date | datetime) -> str:
    """ "Mon 1 Mar" (no leading zero, locale-independent)."""
    return f"{value:%a} {value.day} {value:%b}"


def when(value: datetime) -> str:
    """ "Mon 1 Mar 09:00" in the value's own zone."""
    return f"{day_label(value)} {value:%H:%M}"


def span(start: date, end: date) -> str:
    """ "1–7 Mar 2027", "29 Mar – 4 Apr 2027", "28 Dec 2026 – 3 Jan 2027"."""
    if start.year != end.year:
        return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
    if start.month != end.month:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day}–{end.day} {end:%b %Y}"
