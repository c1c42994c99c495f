"""Time and peak memory to strip a video's metadata and upload it to the sandbox, for clips of
growing size: memory must stay flat as the file grows. X's chunked upload by default;
``--platform mastodon`` (one streamed multipart upload; the server takes 99 MB at most) or
``bluesky`` (the video service's upload, streamed from disk), or ``linkedin`` (the Videos
API in 4 MB parts) for the others.

Each size runs in a fresh child process (so its peak RSS is its own); the sandbox runs in this
process. The clips are made here: lossless H.264 of random pixels (so they do not compress),
320x568 at 30 fps, with a phone's location, device and time tags, plus AAC silence.

    .venv/bin/python bench/video.py                 # 1, 50 and 200 MB
    .venv/bin/python bench/video.py --sizes 10 50   # other sizes (MB)
    .venv/bin/python bench/video.py --platform mastodon --sizes 1 40 80
    .venv/bin/python bench/video.py --platform linkedin
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import REPO, machine, print_table

CHILD = r"""
import json, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from connectors.base import MediaFile, OutgoingPost
from connectors.video import strip_video

clip, url, platform = Path(sys.argv[1]), sys.argv[2], sys.argv[4]
started = time.perf_counter()
strip_video(clip, clip.with_name("stripped" + clip.suffix), platform)
stripped = time.perf_counter() - started
if platform == "x":
    from connectors.x import XConnector
    conn = XConnector(api_key="k", api_secret="s", access_token="t", access_token_secret="ts",
                      base_url=url)
    conn._sleep = lambda _s: None
else:
    import connectors
    from config.settings import Settings
    from connectors.sandbox import settings_overrides
    settings = Settings(workspace=Path(tempfile.mkdtemp()), **settings_overrides(url, "bench"))
    conn = connectors.create(platform, settings, sleep=lambda _s: None)
media = MediaFile(path=clip, alt_text="bench", mime_type="video/mp4")
started = time.perf_counter()
conn.publish(OutgoingPost(key=f"bench-{clip.name}", text=f"bench {clip.name}", media=(media,)))
uploaded = time.perf_counter() - started
# VmHWM: this process's own peak (ru_maxrss would carry the parent's peak across the exec)
status = Path("/proc/self/status").read_text()
peak = int(next(l for l in status.splitlines() if l.startswith("VmHWM:")).split()[1]) / 1024
print(json.dumps({"strip": stripped, "publish": uploaded, "peak_mib": peak}))
"""

TAGS = {
    "location": "+40.7128-074.0060/",
    "make": "Apple",
    "model": "iPhone 15 Pro",
    "creation_time": "2026-11-02T10:00:00.000000Z",
}


def make_clip(path: Path, megabytes: float) -> Path:
    import av
    import numpy as np

    width, height, fps = 320, 568, 30
    frame_bytes = width * height * 3 // 2  # lossless noise barely compresses
    frames = max(1, int(megabytes * 1_000_000 / frame_bytes))
    rng = np.random.default_rng(1)
    with av.open(str(path), "w", format="mp4", options={"movflags": "use_metadata_tags"}) as out:
        out.metadata.update(TAGS)
        video = out.add_stream("libx264", rate=fps, options={"preset": "ultrafast", "qp": "0"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        sound = out.add_stream("aac", rate=48000)
        for _ in range(frames):
            pixels = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
            out.mux(video.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        out.mux(video.encode())
        pts = 0
        while pts < frames / fps * 48000:
            chunk = av.AudioFrame.from_ndarray(
                np.zeros((1, 1024), np.float32), format="fltp", layout="mono"
            )
            chunk.sample_rate, chunk.pts = 48000, pts
            pts += 1024
            out.mux(sound.encode(chunk))
        out.mux(sound.encode())
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=float, nargs="+", default=[1, 50, 200], help="clip sizes in MB"
    )
    parser.add_argument(
        "--platform",
        choices=("x", "mastodon", "bluesky", "linkedin"),
        default="x",
        help="whose upload to time (Mastodon takes at most 99 MB a video)",
    )
    args = parser.parse_args()
    from connectors.sandbox import SandboxServer, SandboxState

    print(machine())
    print(f"platform: {args.platform}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="beatpost-bench-video-") as folder:
        state = SandboxState(seed=1)
        with SandboxServer(state) as server:
            for size in args.sizes:
                clip = make_clip(Path(folder) / f"clip-{size:g}mb.mp4", size)
                real = clip.stat().st_size / 1_000_000
                result = subprocess.run(
                    [sys.executable, "-c", CHILD, str(clip), server.url, str(REPO), args.platform],
                    capture_output=True,
                    text=True,
                )
                if result.returncode != 0:
                    sys.exit(f"{clip.name}: the upload failed:\n{result.stderr[-2000:]}")
                figures = json.loads(result.stdout.strip().splitlines()[-1])
                uploads = [
                    m for m in state.media(args.platform) if m.mime_type.startswith("video/")
                ]
                clean = all(not m.extra.get("location_markers") for m in uploads)
                rows.append(
                    (
                        f"{real:,.1f} MB",
                        f"{figures['strip']:.2f} s",
                        f"{figures['publish']:.2f} s",
                        f"{real / max(figures['publish'], 1e-9):.0f} MB/s",
                        f"{figures['peak_mib']:.0f} MiB",
                        "yes" if clean else "NO",
                    )
                )
                clip.unlink()
                for leftover in Path(folder).glob("stripped*"):
                    leftover.unlink()
    print_table(
        rows,
        [
            "clip",
            "strip only",
            "strip + upload + post",
            "throughput",
            "peak RSS (child)",
            "no location in upload",
        ],
    )


if __name__ == "__main__":
    main()
