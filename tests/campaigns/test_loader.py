"""Loading sets of files: ids across files, directories, stable keys, filtering, the example."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

from campaigns import load_campaigns
from tests.campaigns.conftest import DATA, EXAMPLES, options


def test_ids_are_unique_across_files():
    cs = load_campaigns([DATA / "clash"], options())
    errors = [(d.file.rsplit("/", 1)[-1], d.line, d.path, d.message) for d in cs.errors]
    assert errors == [
        (
            "b.yaml",
            3,
            "campaign.id",
            f"campaign id 'shared-id' is already used by {DATA / 'clash' / 'a.yaml'}:3",
        ),
        (
            "b.yaml",
            9,
            "posts[0].id",
            f"post id 'hello' is already used by {DATA / 'clash' / 'a.yaml'}:9",
        ),
    ]
    assert [f.ok for f in cs.files] == [True, False]
    # only the clean file plans deliveries
    assert [d.key for d in cs.deliveries()] == ["shared-id/hello/x/once"]


def test_a_broken_file_does_not_hide_the_others():
    cs = load_campaigns([DATA / "broken"], options())
    assert cs.file_count == 2
    (error,) = cs.errors
    assert error.file.endswith("bad.yaml") and error.line == 6
    assert [d.post_id for d in cs.deliveries()] == ["good-post"]


def test_missing_path_and_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    cs = load_campaigns([tmp_path / "nope.yaml", tmp_path / "empty"], options())
    assert cs.file_count == 0
    assert [(d.severity, d.message) for d in cs.diagnostics] == [
        ("error", "no such file or folder"),
        ("warning", "no campaign files (*.yaml, *.yml) in this folder"),
    ]


def test_keys_and_content_are_stable_across_re_reads():
    first = load_campaigns([EXAMPLES], options()).deliveries()
    second = load_campaigns([EXAMPLES], options()).deliveries()
    assert [(d.key, d.content_hash) for d in first] == [(d.key, d.content_hash) for d in second]
    assert len({d.key for d in first}) == len(first)


def test_editing_one_post_changes_only_its_deliveries(tmp_path):
    shutil.copytree(EXAMPLES, tmp_path / "ex")
    path = tmp_path / "ex" / "spring-recruiting-2027.yaml"
    before = {d.key: d.content_hash for d in load_campaigns([path], options()).deliveries()}
    text = path.read_text().replace("Ask us anything about the job.", "Ask us anything!")
    path.write_text(text)
    after = {d.key: d.content_hash for d in load_campaigns([path], options()).deliveries()}
    assert before.keys() == after.keys()
    changed = {
        k.split("/")[1:4:2][0] + "/" + k.split("/")[3] for k in before if before[k] != after[k]
    }
    assert changed == {"career-fair/once"}


def test_cancelled_event_drops_every_occurrence(tmp_path):
    shutil.copytree(EXAMPLES, tmp_path / "ex")
    path = tmp_path / "ex" / "spring-recruiting-2027.yaml"
    text = path.read_text().replace(
        "      location: Springfield High School gym, 1200 Evergreen Terrace\n",
        "      location: Springfield High School gym, 1200 Evergreen Terrace\n"
        "      cancelled: true\n",
    )
    path.write_text(text)
    cs = load_campaigns([path], options())
    assert not cs.errors and not cs.warnings
    assert not [d for d in cs.deliveries() if d.post_id == "career-fair"]
    assert [d for d in cs.deliveries() if d.post_id == "info-session"]


def test_consent_expiry_drops_later_occurrences(load_text):
    posts = (
        "  - id: t\n    kind: testimonial\n    platforms: [x]\n"
        "    officer: {name: Ana Garcia}\n    quote: Hi.\n"
        "    consent_expires: 2027-03-17\n"
        "    repeat: {rule: FREQ=WEEKLY;BYDAY=TU, time: '10:00'}\n"
    )
    cs = load_text(posts)
    (warning,) = cs.warnings
    assert warning.path == "posts[0].consent_expires"
    assert "before 10 scheduled posts (from 2027-03-23 10:00)" in warning.message
    assert [d.at_local.day for d in cs.deliveries()] == [2, 9, 16]


def test_deliveries_window_filter():
    cs = load_campaigns([EXAMPLES], options())
    start = datetime(2027, 3, 2, 6, tzinfo=UTC)
    end = start + timedelta(days=1)
    got = cs.deliveries(start, end)
    assert got and all(start <= d.at_utc < end for d in got)
    assert got == sorted(got, key=lambda d: (d.at_utc, d.key))


def test_shipped_example_is_clean():
    cs = load_campaigns([EXAMPLES], options())
    assert cs.file_count == 1
    assert not cs.errors and not cs.warnings
    assert not cs.notes


def test_shipped_example_gives_instagram_no_link_that_cannot_be_clicked():
    """The example drew the note "Instagram does not make links in captions clickable" on
    its 9 posts: the file a newcomer copies should show the way out (link: none)."""
    cs = load_campaigns([EXAMPLES], options())
    instagram = [d for d in cs.deliveries() if d.platform == "instagram"]
    assert instagram and not any(d.link for d in instagram)
    assert all("link in our profile" in d.text for d in instagram)
    assert all(d.link for d in cs.deliveries() if d.platform in ("x", "facebook"))
    # with no media_base_url, the one warning is the documented Instagram one
    cs = load_campaigns([EXAMPLES], options(media_base_url_set=False))
    assert not cs.errors
    assert [d.path for d in cs.warnings] == ["campaign.platforms[2]"]
    # approval required: the example is approved
    approved = load_campaigns([EXAMPLES], options(require_approval=True))
    assert not approved.errors and not approved.warnings


def test_example_first_week_has_every_kind():
    cs = load_campaigns([EXAMPLES], options())
    deliveries = cs.deliveries()
    first = deliveries[0].at_utc
    week = [d for d in deliveries if d.at_utc < first + timedelta(days=7)]
    assert first.astimezone(deliveries[0].at_local.tzinfo).date().isoformat() == "2027-03-01"
    assert {d.kind for d in week} == {"announcement", "testimonial", "event"}
    assert {d.platform for d in week} == {"x", "facebook", "instagram"}
    assert {d.extras["schedule"] for d in week} == {"at", "repeat", "reminder"}
    assert len({(d.post_id, d.occurrence) for d in week}) >= 5
    # three testimonials at least, a career fair with four reminders, a weekly post
    posts = {d.post_id for d in deliveries}
    assert len([p for p in posts if p.startswith("testimonial-")]) >= 3
    fair = {d.occurrence for d in deliveries if d.post_id == "career-fair"}
    assert {"-14d", "-7d", "-1d", "-2h"} <= fair
    weekly = [d for d in deliveries if d.post_id == "questions-weekly" and d.platform == "x"]
    assert len(weekly) == 13
    assert all(d.media and all(m.alt_text for m in d.media) for d in deliveries)


def test_every_problem_in_one_run():
    cs = load_campaigns([DATA / "flawed"], options())
    got = [(d.line, d.severity, d.path) for d in cs.diagnostics]
    assert got == [
        (2, "warning", "campaign"),  # no approved_by
        (5, "error", "campaign.timezone"),  # America/Chicgo
        (7, "note", "campaign.platforms[2]"),  # links in Instagram captions are not clickable
        (14, "error", "defaults.hashtags[0]"),  # '#' made it a comment
        (17, "error", "posts[0]"),  # Instagram needs an image
        (19, "error", "posts[0].partnr"),  # unknown field
        (24, "error", "posts[0].text"),  # {event.nmae}
        (24, "error", "posts[0].text"),  # {partner} not set
        (25, "error", "posts[0].reminders[1]"),  # 2h after the start
        (27, "error", "posts[1].kind"),  # announcment
    ]
    assert cs.deliveries() == []
