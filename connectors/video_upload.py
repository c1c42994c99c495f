"""What every resumable video upload shares: its progress kept with the delivery.

An upload in steps (a session, parts, a finalize call, processing) reports its state to the
daemon as it changes (``connector.on_resume``, connectors.base.ResumeHook) and attaches it to
any error raised once the upload exists, so the next attempt continues it instead of starting a
second one (``ResumableUpload``). A subclass names the state key that proves the upload
exists (``started_key``) and does the steps in ``_run``. ``captions_srt`` reads a captions
file as the SubRip text the platforms that take one want (a WebVTT file rewritten cue for cue).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from connectors.base import MediaFile, OutgoingPost
from connectors.errors import ConnectorError, Rejected


class ResumableUpload:
    started_key: ClassVar[str]  # present in the state once the platform knows the upload
    state_prefix: ClassVar[str] = ""  # the resume keys this upload owns

    def __init__(self, connector: Any, media: MediaFile, post: OutgoingPost):
        self.connector = connector
        self.media = media
        self.post = post
        self.state = {k: v for k, v in post.resume.items() if k.startswith(self.state_prefix)}
        self.name = Path(media.path).name

    def save(self, **changes: str) -> None:
        """Record progress and hand the whole state to the daemon at once."""
        self.state.update(changes)
        hook = getattr(self.connector, "on_resume", None)
        if hook is not None:
            hook(self.post, dict(self.state))

    def run(self) -> Any:
        try:
            return self._run()
        except ConnectorError as exc:
            if self.state.get(self.started_key) and not getattr(exc, "resume", None):
                exc.resume = dict(self.state)  # type: ignore[attr-defined]
            raise

    def _run(self) -> Any:
        raise NotImplementedError


def captions_srt(path: Path, platform: str) -> str:
    """The captions file at ``path`` as SubRip text; ``Rejected`` naming it if unreadable."""
    from connectors.facebook_video import _vtt_to_srt

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise Rejected(f"captions {path.name}: {exc}", platform=platform) from None
    return _vtt_to_srt(text) if path.suffix.lower() == ".vtt" else text
