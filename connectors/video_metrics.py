"""Video figures from Facebook and Instagram, named as X's are so reports can add them up.

Every platform's video figures land in a snapshot's ``extras`` under the same keys:

- ``video_plays``: times the video was watched (X ``playback_0_count``; Facebook
  ``total_video_views``, a view of 3 seconds or to the end; Instagram Reels ``views``);
- ``video_completions``: times it was watched to the end (X ``playback_100_count``; Facebook
  ``total_video_complete_views``; Instagram does not report it, so the key is left out);
- ``video_avg_watch_seconds``: average time watched (Facebook ``total_video_avg_time_watched``,
  Instagram ``ig_reels_avg_watch_time``, both in milliseconds; X does not report it).

Facebook: ``GET /{video-id}/video_insights?metric=...`` (Graph API "Video Insights"), lifetime
values. Instagram: ``GET /{media-id}/insights?metric=...`` on a Reel (``media_product_type``
``REELS``); ``plays`` was retired in April 2025 in favour of ``views``. The raw metrics are
kept in ``extras`` too. A video whose figures cannot be read keeps the snapshot it had: a
metrics pull never fails for them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from connectors.base import MetricSnapshot
from connectors.errors import ConnectorError
from connectors.graph import GraphClient, count, insight_values

log = logging.getLogger(__name__)

FACEBOOK_VIDEO_METRICS = (
    "total_video_views",
    "total_video_complete_views",
    "total_video_avg_time_watched",
)
INSTAGRAM_REEL_METRICS = ("views", "ig_reels_avg_watch_time", "ig_reels_video_view_total_time")


def _seconds(milliseconds: Any) -> float | None:
    return round(milliseconds / 1000, 1) if isinstance(milliseconds, (int, float)) else None


def _read(client: GraphClient, path: str, metrics: tuple[str, ...]) -> dict[str, Any]:
    try:
        body = client.get(path, {"metric": ",".join(metrics)})
    except ConnectorError as exc:
        log.info("video figures unavailable for %s: %s", path, exc)
        return {}
    return insight_values({"insights": body})


@dataclass(frozen=True)
class _Source:
    edge: str  # the insights edge under the object id
    metrics: tuple[str, ...]
    plays: str
    completions: str | None  # None: the platform does not report it
    avg_watch_ms: str


FACEBOOK_VIDEO = _Source(
    "video_insights",
    FACEBOOK_VIDEO_METRICS,
    "total_video_views",
    "total_video_complete_views",
    "total_video_avg_time_watched",
)
INSTAGRAM_REEL = _Source(
    "insights", INSTAGRAM_REEL_METRICS, "views", None, "ig_reels_avg_watch_time"
)


def video_figures(client: GraphClient, object_id: str, source: _Source) -> dict[str, Any]:
    """The video's figures under the common keys (and raw); {} when none can be read."""
    raw = _read(client, f"{object_id}/{source.edge}", source.metrics)
    if count(raw.get(source.plays)) is None:
        return {}
    figures: dict[str, Any] = dict(raw)
    figures["video_plays"] = count(raw.get(source.plays))
    if source.completions is not None:
        figures["video_completions"] = count(raw.get(source.completions))
    figures["video_avg_watch_seconds"] = _seconds(raw.get(source.avg_watch_ms))
    return figures


def with_video_figures(snapshot: MetricSnapshot, figures: dict[str, Any]) -> MetricSnapshot:
    """The snapshot with the video's figures in ``extras``; its views filled from plays when the
    post's own insights gave none."""
    if not figures:
        return snapshot
    views = snapshot.views if snapshot.views is not None else figures.get("video_plays")
    return replace(snapshot, views=views, extras={**(snapshot.extras or {}), **figures})
