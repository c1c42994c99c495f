"""``captions_srt``: a captions file as the SubRip text the platforms that take one want (a
WebVTT file rewritten cue for cue). Resumable uploads: ``connectors.video.ResumableUpload``."""

from __future__ import annotations

from pathlib import Path

from connectors.errors import Rejected


def captions_srt(path: Path, platform: str) -> str:
    """The captions file at ``path`` as SubRip text; ``Rejected`` naming it if unreadable."""
    from connectors.facebook_video import _vtt_to_srt

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise Rejected(f"captions {path.name}: {exc}", platform=platform) from None
    return _vtt_to_srt(text) if path.suffix.lower() == ".vtt" else text
