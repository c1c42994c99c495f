"""The digest's charts as PNG bytes, each with the alt text that says the same thing in words.

Uses ``Figure`` with the Agg canvas directly instead of ``pyplot``: no global figure registry,
no GUI backend chosen behind the caller's back, safe to call from a daemon thread.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analysis.digest.data import DaySentiment, GroupRow

# Colour-blind-safe (Okabe-Ito): negative orange, neutral grey, positive blue.
NEGATIVE = "#D55E00"
NEUTRAL = "#A0A0A0"
POSITIVE = "#0072B2"
BAR = "#1F4E79"
INK = "#222222"

# A narrow figure drawn at a high dpi: on a phone (about 380 px across) the labels show at
# about 12 px, and at 560 px in a desktop client the image is still sharp.
_WIDTH_IN, _DPI = 4.0, 280


@dataclass(frozen=True)
class Chart:
    """A PNG to embed inline. ``name`` becomes the Content-ID and the file name."""

    name: str
    png: bytes
    alt: str
    width_px: int
    height_px: int


def _figure(height_in: float) -> Figure:
    fig = Figure(figsize=(_WIDTH_IN, height_in), dpi=_DPI)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    # No "Software" or date metadata: the same data gives the same bytes.
    fig.savefig(buf, format="png", metadata={"Software": None}, facecolor="white")
    return buf.getvalue()


def _style(ax) -> None:  # noqa: ANN001 - matplotlib Axes
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(colors=INK, labelsize=10)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#BBBBBB")


def sentiment_chart(days: tuple[DaySentiment, ...]) -> Chart:
    """Stacked bars: comments per day split into negative, neutral and positive."""
    fig = _figure(2.4)
    ax = fig.add_subplot()
    labels = [d.day.strftime("%a") for d in days]
    xs = range(len(days))
    neg = [d.negative for d in days]
    neu = [d.neutral for d in days]
    pos = [d.positive for d in days]
    ax.bar(xs, neg, color=NEGATIVE, label="negative", width=0.7)
    ax.bar(xs, neu, bottom=neg, color=NEUTRAL, label="neutral", width=0.7)
    ax.bar(
        xs,
        pos,
        bottom=[a + b for a, b in zip(neg, neu, strict=True)],
        color=POSITIVE,
        label="positive",
        width=0.7,
    )
    ax.set_xticks(list(xs), labels)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel("comments", color=INK, fontsize=10)
    _style(ax)
    # A figure-level legend above the axes, with room reserved for it, is never clipped.
    fig.legend(loc="upper center", ncols=3, frameon=False, fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.87))
    png = _png(fig)

    total = sum(d.total for d in days)
    if total == 0:
        alt = "Comment sentiment per day: no comments this week."
    else:
        parts = [
            f"{d.day.strftime('%a')} {d.positive} positive, {d.neutral} neutral, "
            f"{d.negative} negative"
            for d in days
            if d.total
        ]
        alt = "Comment sentiment per day: " + "; ".join(parts) + "."
    w, h = fig.canvas.get_width_height()
    return Chart("sentiment", png, alt, w, h)


def engagement_chart(rows: tuple[GroupRow, ...], title: str) -> Chart:
    """Horizontal bars: engagement rate (interactions over audience) per group."""
    fig = _figure(0.7 + 0.4 * max(len(rows), 1))
    ax = fig.add_subplot()
    shown = [r for r in rows if r.engagement_rate is not None]
    labels = [r.label for r in shown]
    rates = [100 * (r.engagement_rate or 0.0) for r in shown]
    ys = range(len(shown))
    ax.barh(list(ys), rates, color=BAR, height=0.6)
    ax.set_yticks(list(ys), labels)
    ax.invert_yaxis()
    ax.set_xlabel("engagement rate, %", color=INK, fontsize=10)
    for y, rate in zip(ys, rates, strict=True):
        ax.text(rate, y, f" {rate:.1f}%", va="center", fontsize=10, color=INK)
    ax.set_xlim(0, max(rates, default=1) * 1.25 or 1)
    _style(ax)
    fig.tight_layout()
    png = _png(fig)
    if shown:
        alt = (
            f"{title}: "
            + "; ".join(f"{label} {rate:.1f}%" for label, rate in zip(labels, rates, strict=True))
            + "."
        )
    else:
        alt = f"{title}: no audience measured this week."
    w, h = fig.canvas.get_width_height()
    return Chart("engagement-by-kind", png, alt, w, h)
