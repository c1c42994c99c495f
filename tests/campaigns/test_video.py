"""Video testimonials in campaign files: captions required and checked, each platform's video
limits from the file itself, a location in the metadata warned about."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaigns import load_campaigns
from campaigns.captions import read_captions
from tests.campaigns.conftest import make_image, options
from tests.videoclips import make_clip, make_srt

DOC = """\
version: 1
campaign:
  id: video-test
  name: Video
  window: {start: 2027-03-01, end: 2027-03-31}
  platforms: PLATFORMS
  approved_by: Lt. Test
posts:
  - id: diaz
    kind: testimonial
    officer: {name: Rosa Diaz, rank: Officer, years: 4}
    quote: I joined for my family and stayed for this city.
    consent_expires: 2028-03-01
    at: 2027-03-02 10:00
    media:
      - file: media/diaz.mp4
        alt: Officer Diaz speaks in front of the station
EXTRA"""
MEDIA_LINE = 16  # the "- file:" line
EXTRA_LINE = 18


def _load(
    tmp_path: Path,
    platforms: str = "[x]",
    extra: str = "        captions: media/diaz.srt\n",
    **opts,
):
    path = tmp_path / "video.yaml"
    path.write_text(DOC.replace("PLATFORMS", platforms).replace("EXTRA", extra))
    return load_campaigns([path], options(**opts))


def _messages(result, severity="error"):
    return [(d.line, d.column, d.message) for d in result.diagnostics if d.severity == severity]


@pytest.fixture
def clip(tmp_path):
    make_clip(tmp_path / "media" / "diaz.mp4", size=(320, 568), seconds=4, tags={})
    make_srt(
        tmp_path / "media" / "diaz.srt",
        [(0, 2, "I joined for my family."), (2, 3.9, "And I stayed for this city.")],
    )
    return tmp_path / "media" / "diaz.mp4"


def test_a_captioned_vertical_video_passes_on_every_platform(tmp_path, clip):
    result = _load(tmp_path, "[x, facebook, instagram]")
    assert _messages(result) == []
    media = result.deliveries()[0].media[0]
    assert media.mime_type == "video/mp4"
    assert media.captions == tmp_path / "media" / "diaz.srt"
    by_platform = {d.platform: d.media[0].placement for d in result.deliveries()}
    assert by_platform == {"x": "post", "facebook": "video", "instagram": "reels"}


def test_video_without_captions_is_an_error_with_its_place(tmp_path, clip):
    errors = _messages(_load(tmp_path, extra=""))
    assert len(errors) == 1
    line, column, message = errors[0]
    assert (line, column) == (MEDIA_LINE, 15)
    assert "a video needs captions" in message and "ADA Title II" in message


def test_captions_that_do_not_parse_name_the_cue(tmp_path, clip):
    (tmp_path / "media" / "diaz.srt").write_text(
        "1\n00:00:00,000 --> 00:00:02,000\nHello\n\n2\n00:00:02 -> 3\nBroken\n"
    )
    errors = _messages(_load(tmp_path))
    assert [(line, msg.split(":")[0]) for line, _col, msg in errors] == [
        (EXTRA_LINE, "media/diaz.srt")
    ]
    assert "cue 2 does not read as" in errors[0][2]


def test_a_cue_past_the_end_of_the_video_is_named(tmp_path, clip):
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 3.9, "Hello"), (3.9, 7, "Too late")])
    errors = _messages(_load(tmp_path))
    assert len(errors) == 1
    assert "cue 2 (0:03.9 to 0:07) runs past the end of the video (0:04)" in errors[0][2]


def test_captions_that_stop_early_do_not_cover_the_video(tmp_path, clip):
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 1.5, "Hello")])
    errors = _messages(_load(tmp_path))
    assert "the captions stop at 0:01.5 (cue 1) but the video runs 0:04" in errors[0][2]


def test_webvtt_captions_are_read(tmp_path, clip):
    (tmp_path / "media" / "diaz.vtt").write_text(
        "WEBVTT\n\n00:00.000 --> 00:02.000\nI joined\n\n00:02.000 --> 00:03.900\nfor this\n"
    )
    result = _load(tmp_path, extra="        captions: media/diaz.vtt\n")
    assert _messages(result) == []
    assert [c.end for c in read_captions(tmp_path / "media" / "diaz.vtt").cues] == [2.0, 3.9]


def test_captions_outside_the_media_folder_are_refused(tmp_path, clip):
    outside = tmp_path.parent / "elsewhere.srt"
    make_srt(outside, [(0, 4, "x")])
    errors = _messages(
        _load(tmp_path, extra="        captions: ../elsewhere.srt\n", media_root=tmp_path / "media")
    )
    assert any("outside the media folder" in msg for _l, _c, msg in errors)
    # a captions file is not an image: the message said "put the image in that folder"
    assert not any("image" in msg for _l, _c, msg in errors)
    assert any("put the file in that folder" in msg for _l, _c, msg in errors)


def test_landscape_video_is_refused_for_instagram_reels_with_the_fix(tmp_path):
    make_clip(tmp_path / "media" / "diaz.mp4", size=(64, 36), seconds=4, tags={})
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 3.9, "Hello")])
    errors = _messages(_load(tmp_path, "[x, instagram]"))
    assert [msg for _l, _c, msg in errors] == [
        "media/diaz.mp4: Instagram Reels need 9:16 between 3 s and 15 min; this is 16:9, 4 s "
        "— export a vertical (9:16) version, e.g. 1080x1920"
    ]


def test_instagram_feed_placement_takes_landscape(tmp_path):
    make_clip(tmp_path / "media" / "diaz.mp4", size=(64, 36), seconds=4, tags={})
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 3.9, "Hello")])
    extra = "        captions: media/diaz.srt\n        placement: {instagram: feed}\n"
    result = _load(tmp_path, "[instagram]", extra=extra)
    assert _messages(result) == []
    assert result.deliveries()[0].media[0].placement == "feed"


def test_unknown_placement_names_the_choices(tmp_path, clip):
    extra = "        captions: media/diaz.srt\n        placement: {facebook: story}\n"
    errors = _messages(_load(tmp_path, "[facebook]", extra=extra))
    assert errors == [
        (EXTRA_LINE + 1, 31, "unknown Facebook placement 'story'; choose from video, reels")
    ]


def test_too_short_for_reels_and_each_limit_has_its_fix(tmp_path):
    make_clip(tmp_path / "media" / "diaz.mp4", size=(320, 568), seconds=1, fps=15, tags={})
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 1, "Hi")])
    errors = [m for _l, _c, m in _messages(_load(tmp_path, "[instagram]"))]
    assert errors == [
        "media/diaz.mp4: Instagram Reels need 9:16 between 3 s and 15 min; this is 9:16, 1 s — "
        "use a longer clip",
        "media/diaz.mp4: Instagram Reels take 23 to 60 frames a second; this is 15 — export it "
        "at 30 frames a second",
    ]


def test_facebook_video_needs_enough_pixels(tmp_path):
    make_clip(tmp_path / "media" / "diaz.mp4", size=(16, 16), seconds=2, tags={})
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 2, "Hi")])
    errors = [m for _l, _c, m in _messages(_load(tmp_path, "[facebook]"))]
    assert errors == [
        "media/diaz.mp4: Facebook videos need at least 32x32 pixels; this is 16x16 — export it "
        "at 1080p"
    ]


def test_x_refuses_a_long_video(tmp_path):
    make_clip(
        tmp_path / "media" / "diaz.mp4", size=(32, 32), seconds=141, fps=1, tags={}, audio=False
    )
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 140.5, "Hi")])
    errors = [m for _l, _c, m in _messages(_load(tmp_path, "[x]"))]
    assert errors == [
        "media/diaz.mp4: X videos need 1:3 to 3:1 between 0.5 s and 140 s; this "
        "is 1:1, 141 s — cut it shorter"
    ]


def test_a_video_with_a_location_is_warned_about(tmp_path):
    make_clip(tmp_path / "media" / "diaz.mp4", size=(320, 568), seconds=4)
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 3.9, "Hello")])
    result = _load(tmp_path)
    warnings = _messages(result, "warning")
    assert any("carries a location (GPS position)" in m for _l, _c, m in warnings)


def test_a_video_goes_out_alone(tmp_path, clip):
    make_image(tmp_path / "media" / "p.jpg")
    extra = "        captions: media/diaz.srt\n      - file: media/p.jpg\n        alt: A poster\n"
    errors = _messages(_load(tmp_path, extra=extra))
    assert any("a video goes out alone" in m for _l, _c, m in errors)


def test_cover_must_be_an_image_and_cover_at_inside_the_video(tmp_path, clip):
    extra = (
        "        captions: media/diaz.srt\n        cover: media/diaz.srt\n        cover_at: 9s\n"
    )
    errors = [m for _l, _c, m in _messages(_load(tmp_path, extra=extra))]
    assert any(m.startswith("media/diaz.srt: ") and "image" in m for m in errors)
    assert any("cover_at 9s is after the end of the video" in m for m in errors)


def test_damaged_video_is_an_error_not_a_traceback(tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "diaz.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 1, "Hi")])
    errors = _messages(_load(tmp_path))
    assert any("damaged or not really a video" in m for _l, _c, m in errors)


def test_facebook_reels_placement_has_its_own_limits(tmp_path):
    make_clip(tmp_path / "media" / "diaz.mp4", size=(320, 568), seconds=4, tags={})
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 3.9, "Hi")])
    extra = "        captions: media/diaz.srt\n        placement: {facebook: reels}\n"
    result = _load(tmp_path, "[facebook]", extra=extra)
    assert [m for _l, _c, m in _messages(result)] == [
        "media/diaz.mp4: Facebook Reels need at least 540x960 pixels; this is 320x568 — export "
        "it at 1080p"
    ]


def test_burn_captions_is_asked_of_instagram_only(tmp_path, clip):
    extra = "        captions: media/diaz.srt\n        burn_captions: true\n"
    result = _load(tmp_path, "[facebook, instagram]", extra=extra)
    assert _messages(result) == []
    burn = {d.platform: d.media[0].burn_captions for d in result.deliveries()}
    assert burn == {"facebook": None, "instagram": True}


def test_burn_captions_without_the_encoder_is_an_error_saying_what_to_do(
    tmp_path, clip, monkeypatch
):
    import campaigns.video

    monkeypatch.setattr(campaigns.video, "BURN_ENCODER", "no-such-encoder")
    extra = "        captions: media/diaz.srt\n        burn_captions: true\n"
    errors = _messages(_load(tmp_path, "[instagram]", extra=extra))
    assert errors == [
        (
            MEDIA_LINE,
            15,
            "media/diaz.mp4: burn_captions: true needs the no-such-encoder video encoder, which "
            "this installation of PyAV lacks; reinstall it with `make` (PyAV's wheels bundle "
            "it) or remove burn_captions",
        )
    ]


def test_burn_captions_must_be_true_or_false(tmp_path, clip):
    extra = "        captions: media/diaz.srt\n        burn_captions: sometimes\n"
    errors = _messages(_load(tmp_path, "[instagram]", extra=extra))
    assert [m for _l, _c, m in errors] == ["expected true or false, found 'sometimes'"]


def test_a_captioned_video_passes_on_mastodon_and_bluesky(tmp_path, clip):
    result = _load(tmp_path, "[mastodon, bluesky]")
    assert _messages(result) == []
    placements = {d.platform: d.media[0].placement for d in result.deliveries()}
    assert placements == {"mastodon": "post", "bluesky": "post"}


def test_mastodon_has_no_captions_track_so_validate_warns_unless_burned_in(tmp_path, clip):
    warnings = _messages(_load(tmp_path, "[mastodon, bluesky]"), "warning")
    assert warnings == [
        (
            MEDIA_LINE,
            15,
            "media/diaz.mp4: Mastodon videos have no captions track (the API takes no captions "
            "file), so viewers there see no captions; add burn_captions: true to draw them into "
            "the picture",
        )
    ]
    extra = "        captions: media/diaz.srt\n        burn_captions: true\n"
    result = _load(tmp_path, "[mastodon, bluesky]", extra=extra)
    assert _messages(result, "warning") == [] and _messages(result) == []
    burn = {d.platform: d.media[0].burn_captions for d in result.deliveries()}
    assert burn == {"mastodon": True, "bluesky": None}  # Bluesky shows the captions file


def test_bluesky_takes_mp4_only_and_up_to_three_minutes(tmp_path):
    make_clip(
        tmp_path / "media" / "diaz.mov", size=(32, 32), seconds=181, fps=1, tags={}, audio=False
    )
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 180.5, "Hi")])
    path = tmp_path / "video.yaml"
    path.write_text(
        DOC.replace("PLATFORMS", "[bluesky, mastodon]")
        .replace("diaz.mp4", "diaz.mov")
        .replace("EXTRA", "        captions: media/diaz.srt\n")
    )
    errors = [m for _l, _c, m in _messages(load_campaigns([path], options()))]
    assert errors == [
        "media/diaz.mov: Bluesky videos take MP4 files; this is MOV — export it as MP4",
        "media/diaz.mov: Bluesky videos need between 0 s and 3 min; this is 181 s — cut it shorter",
    ]  # and Mastodon, limited by size alone, takes both


def test_bluesky_caption_files_over_20000_bytes_are_refused_at_the_captions_line(tmp_path, clip):
    cues = [(i * 0.01, i * 0.01 + 0.01, "word " * 20) for i in range(390)]
    make_srt(tmp_path / "media" / "diaz.srt", cues + [(3.9, 4.0, "end")])
    errors = _messages(_load(tmp_path, "[bluesky, x]"))
    size = (tmp_path / "media" / "diaz.srt").stat().st_size
    assert errors == [
        (
            EXTRA_LINE,
            19,
            f"media/diaz.srt: Bluesky videos take caption files up to 20,000 bytes; this is "
            f"{size:,} — split the video or shorten the cues",
        )
    ]


def test_mastodon_frame_rate_and_picture_limits_have_their_fix(tmp_path):
    make_clip(tmp_path / "media" / "diaz.mp4", size=(32, 32), seconds=1, fps=240, tags={})
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 1, "Hi")])
    errors = [m for _l, _c, m in _messages(_load(tmp_path, "[mastodon]"))]
    assert errors == [
        "media/diaz.mp4: Mastodon videos take 1 to 120 frames a second; this is 240 — export "
        "it at 30 frames a second"
    ]
    make_clip(
        tmp_path / "media" / "diaz.mp4", size=(3840, 2400), seconds=1, fps=1, tags={}, audio=False
    )
    errors = [m for _l, _c, m in _messages(_load(tmp_path, "[mastodon]"))]
    assert errors == [
        "media/diaz.mp4: Mastodon videos take at most 8,294,400 pixels a frame; this is "
        "3840x2400 (9,216,000) — export it at 1080p"
    ]


def test_threads_and_linkedin_take_a_captioned_vertical_video(tmp_path):
    make_clip(tmp_path / "media" / "diaz.mp4", size=(288, 512), seconds=4, tags={}, noise=True)
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 3.9, "I joined for my family.")])
    result = _load(tmp_path, "[threads, linkedin]")
    assert _messages(result) == []
    assert {d.platform: d.media[0].placement for d in result.deliveries()} == {
        "threads": "post",
        "linkedin": "post",
    }


def test_linkedin_refuses_a_file_under_75_kb_with_the_fix(tmp_path):
    clip = make_clip(
        tmp_path / "media" / "diaz.mp4", size=(256, 456), seconds=3.2, tags={}, audio=False
    )
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 3.1, "I joined for my family.")])
    assert clip.stat().st_size < 75 * 1024  # flat pictures compress to a few KB
    errors = _messages(_load(tmp_path, "[threads, linkedin]"))
    size = clip.stat().st_size / 1024
    assert errors == [
        (
            MEDIA_LINE,
            15,
            f"media/diaz.mp4: LinkedIn videos take files of at least 75 KB; this is {size:.0f} "
            "KB — export it at a higher quality",
        )
    ]


def test_threads_frame_rate_and_linkedin_length_are_checked_with_the_fix(tmp_path):
    make_clip(tmp_path / "media" / "diaz.mp4", size=(288, 512), seconds=2, fps=20, tags={})
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 1.9, "I joined.")])
    errors = [m for _l, _c, m in _messages(_load(tmp_path, "[threads, linkedin]"))]
    assert (
        "media/diaz.mp4: Threads videos take 23 to 60 frames a second; this is 20 — export it "
        "at 30 frames a second"
    ) in errors
    assert (
        "media/diaz.mp4: LinkedIn videos need 1:2.4 to 2.4:1 between 3 s and 30 min; this is "
        "9:16, 2 s — use a longer clip"
    ) in errors
    assert not any(m.startswith("media/diaz.mp4: Threads videos need") for m in errors)


def test_linkedin_takes_mp4_only(tmp_path):
    make_clip(tmp_path / "media" / "diaz.mov", size=(288, 512), seconds=4, noise=True, tags={})
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 3.9, "I joined.")])
    path = tmp_path / "video.yaml"
    doc = DOC.replace("PLATFORMS", "[threads, linkedin]").replace("diaz.mp4", "diaz.mov")
    path.write_text(doc.replace("EXTRA", "        captions: media/diaz.srt\n"))
    errors = [m for _l, _c, m in _messages(load_campaigns([path], options()))]
    assert errors == [
        "media/diaz.mov: LinkedIn videos take MP4 files; this is MOV — export it as MP4"
    ]


def test_a_threads_video_without_media_base_url_is_a_warning_naming_the_setting(tmp_path, clip):
    result = _load(tmp_path, "[threads]", media_base_url_set=False)
    assert [m for _l, _c, m in _messages(result, "warning") if "media_base_url" in m] == [
        "Threads fetches images and videos from a public web address (Instagram's); set "
        "instagram.media_base_url in beatpost.toml before posting them there"
    ]


@pytest.mark.parametrize("platform, name", [("threads", "Threads"), ("linkedin", "LinkedIn")])
def test_cover_at_is_warned_about_where_the_platform_takes_no_cover_moment(
    tmp_path, clip, platform, name
):
    """Threads and LinkedIn take no cover moment: validate accepted cover_at silently and the
    connectors dropped it."""
    extra = "        captions: media/diaz.srt\n        cover_at: 1.5s\n"
    result = _load(tmp_path, f"[instagram, {platform}]", extra=extra)
    assert _messages(result) == []
    instead = "; give a cover: image instead" if platform == "linkedin" else ""
    assert _messages(result, "warning") == [
        (
            EXTRA_LINE + 1,
            19,
            f"post 'diaz': {name} videos take no cover_at moment, so this cover will not be "
            f"used on {name} ({name} picks its own){instead}",
        )
    ]
    assert result.files[0].diagnostics[0].file.endswith("video.yaml")


def test_a_cover_image_is_warned_about_where_the_platform_takes_none(tmp_path, clip):
    make_image(tmp_path / "media" / "cover.jpg")
    extra = "        captions: media/diaz.srt\n        cover: media/cover.jpg\n"
    result = _load(tmp_path, "[instagram, linkedin, threads]", extra=extra)
    assert [m for _l, _c, m in _messages(result, "warning")] == [
        "post 'diaz': Threads videos take no cover image, so media/cover.jpg will not be used "
        "on Threads (Threads picks its own)"
    ]


def test_the_cover_capabilities_are_the_platform_rows_own():
    from connectors.video_limits import VIDEO_LIMITS

    takes = {
        (platform, placement): (limits.cover_image, limits.cover_frame)
        for platform, placements in VIDEO_LIMITS.items()
        for placement, limits in placements.items()
    }
    assert takes[("instagram", "reels")] == takes[("instagram", "feed")] == (True, True)
    assert takes[("linkedin", "post")] == (True, False)
    assert takes[("threads", "post")] == (False, False)
