"""Public copies of images, for platforms that fetch media from a web address (Instagram).

Instagram downloads each image itself. What it downloads must be the copy beatpost wrote from the
pixels alone (``connectors.media.prepare_media``: no GPS position, camera serial or capture time),
never the department's original photo. So beatpost writes each prepared image into a folder of
its own, the *publish folder* (``instagram.publish_dir``, ``public-media/`` in the workspace by
default), under a name made from its content (``<sha256>.jpg``), and the department's web server
publishes that folder at ``instagram.media_base_url``.

Before an address is handed to the platform, beatpost fetches it and compares the bytes with its
copy. An address that serves anything else (the original photo, an error page) stops the post:
nothing is published that beatpost has not checked. An address that cannot be reached yet (the web
server has not picked the file up) is a temporary error, retried later.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import unquote, urlsplit

import requests

from connectors.errors import Rejected, TransientError
from connectors.media import PreparedMedia

if TYPE_CHECKING:
    from config import Settings


def publish_folder(settings: Settings) -> Path:
    """The folder beatpost writes Instagram's metadata-free copies to (absolute)."""
    return (settings.workspace / settings.instagram.publish_dir).resolve()


def media_host(settings: Settings) -> MediaHost | None:
    """The Instagram ``MediaHost`` the settings describe; None when media_base_url is unset."""
    ig = settings.instagram
    if not ig.media_base_url:
        return None
    return MediaHost(
        publish_dir=publish_folder(settings),
        base_url=ig.media_base_url,
        platform="instagram",
        timeout=ig.timeout_seconds,
    )


_PIECE = 1024 * 1024


def _file_digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        while piece := handle.read(_PIECE):
            hasher.update(piece)
    return hasher.hexdigest()


def hosted_name(data: bytes, suffix: str) -> str:
    """The content-addressed file name of ``data``: its SHA-256 in hex plus ``suffix``."""
    return hashlib.sha256(data).hexdigest() + suffix


@dataclass(frozen=True)
class MediaHost:
    """Writes prepared images to ``publish_dir`` and checks ``base_url`` serves them unchanged."""

    publish_dir: Path
    base_url: str
    platform: str = "instagram"
    timeout: float = 30.0
    session: requests.Session | None = None

    def url_for(self, name: str) -> str:
        return f"{self.base_url.rstrip('/')}/{name}"

    def publish(self, prepared: PreparedMedia) -> str:
        """Write ``prepared`` into the publish folder and return its checked public address."""
        digest = hashlib.sha256(prepared.data).hexdigest()
        name = digest + (Path(prepared.filename).suffix or ".jpg")
        self._place(name, digest, lambda handle: handle.write(prepared.data), "image")
        url = self.url_for(name)
        self.verify_digest(url, digest, len(prepared.data))
        return url

    def publish_file(self, path: Path, suffix: str) -> str:
        """Copy the file at ``path`` (a prepared video) into the publish folder in pieces and
        return its checked public address; the name is its SHA-256 plus ``suffix``."""
        digest = _file_digest(path)
        name = digest + suffix

        def fill(handle: BinaryIO) -> None:
            with open(path, "rb") as source:
                shutil.copyfileobj(source, handle, _PIECE)

        self._place(name, digest, fill, "video")
        url = self.url_for(name)
        self.verify_digest(url, digest, path.stat().st_size)
        return url

    def _place(self, name: str, digest: str, fill: Callable[[BinaryIO], object], what: str) -> None:
        """Write the copy ``name`` (content ``digest``) with ``fill`` unless it is there already;
        written then renamed, so the web server never serves half a file."""
        target = self.publish_dir / name
        try:
            if target.is_file() and _file_digest(target) == digest:
                return
            self.publish_dir.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.publish_dir, prefix=".", suffix=".part")
            with os.fdopen(fd, "wb") as handle:
                fill(handle)
            os.chmod(temporary, 0o644)  # the web server reads it
            os.replace(temporary, target)
        except OSError as exc:
            raise Rejected(
                f"cannot write the {what} copy to the publish folder {self.publish_dir} "
                f"({exc.strerror or exc}); check the instagram.publish_dir setting",
                platform=self.platform,
            ) from None

    def verify_digest(self, url: str, digest: str, size: int) -> None:
        """Fetch ``url`` in pieces and require ``size`` bytes hashing to ``digest``."""
        where = f"{url} (instagram.media_base_url)"
        session = self.session or requests.Session()
        hasher = hashlib.sha256()
        served = 0
        try:
            with session.get(url, timeout=self.timeout, stream=True) as response:
                status = response.status_code
                for chunk in response.iter_content(_PIECE):
                    hasher.update(chunk)
                    served += len(chunk)
                    if served > size:
                        break
        except requests.exceptions.RequestException as exc:
            raise TransientError(
                f"cannot fetch {where} to check it before posting ({type(exc).__name__}); "
                f"the web server must publish the folder {self.publish_dir} at that address",
                platform=self.platform,
            ) from None
        if status != 200:
            raise TransientError(
                f"{where} answered HTTP {status}; the web server must publish the folder "
                f"{self.publish_dir} at that address (the next attempt checks again)",
                platform=self.platform,
            )
        if served != size or hasher.hexdigest() != digest:
            raise Rejected(
                f"{where} does not serve the metadata-free copy beatpost wrote to "
                f"{self.publish_dir}; not posted. Point instagram.media_base_url at where the "
                "web server publishes that folder",
                platform=self.platform,
            )


def serves_originals(settings: Settings, media_folders: Iterable[Path]) -> str | None:
    """Why ``instagram.media_base_url`` may serve original photos, or None when it looks right.

    Three signs: the publish folder is (or contains, or sits inside) a folder campaigns take their
    photos from; the address ends in the name of such a folder (``.../media/``), as when the
    originals folder itself is published; or the publish folder holds a file not named like
    beatpost's content-addressed copies (``<sha256>.<ext>``).
    """
    folder = publish_folder(settings)
    base = settings.instagram.media_base_url or ""
    last_segment = unquote(urlsplit(base).path.rstrip("/").rpartition("/")[2])
    for media in sorted({m.resolve() for m in media_folders}):
        if folder == media or folder.is_relative_to(media) or media.is_relative_to(folder):
            return (
                f"instagram.publish_dir ({folder}) overlaps the campaign photo folder {media}: "
                "the web server would serve original photos, GPS position included"
            )
        if last_segment and last_segment == media.name and last_segment != folder.name:
            return (
                f"instagram.media_base_url ({base}) ends in /{last_segment}/, the name of the "
                f"folder holding the original photos ({media}); it must be the address where "
                f"the web server publishes {folder}, never the originals (GPS position included)"
            )
    if folder.is_dir():
        for item in sorted(folder.iterdir()):
            if item.name.startswith("."):
                continue
            if not item.is_file() or not _is_hosted_name(item):
                return (
                    f"the publish folder {folder} holds {item.name}, which beatpost did not "
                    "write; it is served to anyone as it is. Keep only beatpost's copies there"
                )
    return None


def _is_hosted_name(path: Path) -> bool:
    # The name alone: hashing every copy on each validate would read the whole folder.
    stem = path.stem
    return len(stem) == 64 and all(c in "0123456789abcdef" for c in stem)


__all__ = [
    "MediaHost",
    "hosted_name",
    "media_host",
    "publish_folder",
    "serves_originals",
]
