"""An image refused for where it is gives one error, not a second "needs an image" one."""

from __future__ import annotations

from campaigns import load_campaigns

from .conftest import make_image, options

DOC = """\
version: 1
campaign:
  id: spring
  name: Spring
  timezone: America/Chicago
  window: {start: 2027-03-01, end: 2027-05-31}
  platforms: [x, instagram]
  approved_by: Lt. Test
posts:
  - id: poster
    kind: announcement
    at: 2027-03-02 10:00
    text: Applications are open.
    media: MEDIA
"""


def test_image_outside_the_media_folder_is_reported_once_not_twice(tmp_path):
    """The example moved into campaigns/ with its ../../media/ paths unchanged gave, for
    every post, "outside the media folder" and then "Instagram needs at least one image"
    (16 errors for 8 mistakes)."""
    make_image(tmp_path / "elsewhere" / "poster.jpg")
    (tmp_path / "media").mkdir()
    path = tmp_path / "campaigns" / "spring.yaml"
    path.parent.mkdir()
    path.write_text(DOC.replace("MEDIA", "[{file: ../elsewhere/poster.jpg, alt: A poster}]"))
    cs = load_campaigns([path], options(media_root=tmp_path / "media"))
    assert [e.message.split(" is ")[-1][:26] for e in cs.errors] == ["outside the media folder ("]


def test_no_media_at_all_still_says_instagram_needs_an_image(tmp_path):
    (tmp_path / "media").mkdir()
    path = tmp_path / "campaigns" / "spring.yaml"
    path.parent.mkdir()
    path.write_text(DOC.replace("MEDIA", "[]"))
    cs = load_campaigns([path], options(media_root=tmp_path / "media"))
    assert ["Instagram needs at least one image" in e.message for e in cs.errors] == [True]
