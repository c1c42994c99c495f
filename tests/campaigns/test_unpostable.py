"""Validation refuses what could not be posted, and says once why (issue: validation that
accepts what cannot be posted)."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

import pytest

import connectors
from beatpost.campaign_sync import load_plans
from beatpost.cli import main
from config import Settings
from tests.campaigns.conftest import HEADER

MASTODON = (
    HEADER.replace("platforms: [x, facebook]", "platforms: [x, mastodon]")
    + """\
  - id: a
    kind: announcement
    text: Hello
    at: 2027-03-02 10:00
"""
)


@pytest.fixture
def unconnected(monkeypatch):
    """Mastodon as a platform the table knows but whose connector this build lacks."""
    monkeypatch.delitem(connectors.REGISTRY, "mastodon")


@pytest.fixture
def hermetic(tmp_path, monkeypatch):
    """No beatpost.toml and no BEATPOST_* variables from the machine running the tests."""
    for name in list(os.environ):
        if name.startswith("BEATPOST_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_platform_without_a_connector_is_a_located_error(capsys, tmp_path, hermetic, unconnected):
    path = tmp_path / "mastodon.yaml"
    path.write_text(MASTODON)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert re.search(
        r"mastodon\.yaml:7:18: error: campaign\.platforms\[1\]: beatpost cannot "
        r"post to Mastodon yet \(no connector for 'mastodon'\); it can post to: "
        r"x, facebook, instagram",
        out,
    ), out
    code, _, err = run(capsys, "plan", str(path))
    assert code == 1
    assert "cannot post to Mastodon" in err


def test_platform_without_a_connector_is_not_synced(tmp_path, hermetic, unconnected):
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "mastodon.yaml").write_text(MASTODON)
    plans = load_plans(Settings(workspace=tmp_path), datetime(2027, 2, 1, tzinfo=UTC))
    assert plans.plans == []
    [(name, problems)] = plans.invalid_files.items()
    assert name == "campaigns/mastodon.yaml"
    assert [(p["line"], p["column"]) for p in problems] == [(7, 18)]


def test_platform_with_a_connector_from_settings_is_accepted(tmp_path, hermetic, unconnected):
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "mastodon.yaml").write_text(MASTODON)
    settings = Settings(
        workspace=tmp_path,
        connector_classes={"mastodon": "tests.daemon.scripted:ScriptedConnector"},
    )
    plans = load_plans(settings, datetime(2027, 2, 1, tzinfo=UTC))
    assert plans.invalid_files == {}
    assert sorted(p.platform for p in plans.plans) == ["mastodon", "x"]


def test_invalid_date_is_reported_once_without_knock_on_errors(tmp_path):
    """The example's career fair on 2027-02-30: one error, not one per text using the event."""
    import shutil

    from campaigns import load_campaigns
    from tests.campaigns.conftest import EXAMPLES, options

    shutil.copytree(EXAMPLES, tmp_path / "ex")
    path = tmp_path / "ex" / "spring-recruiting-2027.yaml"
    path.write_text(
        path.read_text().replace("starts: 2027-03-20 10:00", "starts: 2027-02-30 10:00")
    )
    cs = load_campaigns([path], options())
    assert [(d.path, d.message) for d in cs.errors] == [
        (
            "posts[5].event.starts",
            "'2027-02-30 10:00' is not a real date and time (day is out of range for month)",
        )
    ]


A = "  - id: a\n    kind: announcement\n    at: 2027-03-02 10:00\n"
KNOCK_ON = [
    (
        "unreadable post link",
        A + "    link: https://bad_host.example.org\n    text: 'Go: {link}'\n",
        "posts[0].link",
    ),
    ("unreadable default link", A + "    text: 'Go: {link}'\n", "defaults.link"),
    (
        "unknown partner",
        A + "    partner: nobody\n    text: 'With {partner}'\n",
        "posts[0].partner",
    ),
    (
        "officer without a name",
        "  - id: t\n    kind: testimonial\n    at: 2027-03-02 10:00\n    officer: {rank: Officer}\n"
        "    quote: I grew up here.\n    consent_expires: 2028-01-01\n",
        "posts[0].officer",
    ),
]


KNOCK_ON.append(
    (
        "partner without a name",
        A + "    partner: shs\n    text: 'With {partner} and {partners[shs].name}'\n",
        "partners.shs",
    )
)


@pytest.mark.parametrize(
    "posts,path", [(p, f) for _, p, f in KNOCK_ON], ids=[i for i, _, _ in KNOCK_ON]
)
def test_unreadable_value_is_reported_once(load_text, posts, path):
    header = HEADER
    if path == "defaults.link":
        header = HEADER.replace("link: https://springfieldpd", "link: https://-springfieldpd")
    if path == "partners.shs":
        header = HEADER.replace("    name: Springfield High School\n", "")
    cs = load_text(posts, header=header)
    assert [d.path for d in cs.errors] == [path], cs.errors


TESTIMONIAL = """\
  - id: t
    kind: testimonial
    officer: {name: Ana Garcia, rank: Officer, years: 6}
    quote: I grew up here.
"""


def test_testimonial_that_can_never_post_for_consent_is_an_error(load_text):
    cs = load_text(TESTIMONIAL + "    consent_expires: 2027-03-01\n    at: 2027-03-02 10:00\n")
    assert [(d.severity, d.path, d.message) for d in cs.diagnostics] == [
        (
            "error",
            "posts[0].consent_expires",
            "consent expires 2027-03-01, before the scheduled post (from 2027-03-02 10:00): "
            "this testimonial can never be posted; renew the officer's consent "
            "(consent_expires:) or move the post earlier",
        )
    ]
    assert cs.deliveries() == []
    weekly = "    repeat: {rule: FREQ=WEEKLY;COUNT=3, time: '10:00', start: 2027-03-08}\n"
    cs = load_text(TESTIMONIAL + "    consent_expires: 2027-03-01\n" + weekly)
    assert [d.severity for d in cs.diagnostics] == ["error"]
    assert "before all 3 scheduled posts" in cs.diagnostics[0].message
    # consent that ends after some postings: those before it still go out, with a warning
    cs = load_text(TESTIMONIAL + "    consent_expires: 2027-03-16\n" + weekly)
    assert [d.severity for d in cs.diagnostics] == ["warning"]
    assert len(cs.deliveries()) == 2 * 2


INSTAGRAM = HEADER.replace("platforms: [x, facebook]", "platforms: [x, instagram]")
PHOTO_POST = """\
  - id: a
    kind: announcement
    text: Hello
    at: 2027-03-02 10:00
    media: {file: a.jpg, alt: A poster}
"""


def test_variant_can_set_or_drop_the_link_per_platform(load_text, tmp_path):
    from tests.campaigns.conftest import make_image

    make_image(tmp_path / "a.jpg")
    variants = (
        "    variants:\n      instagram: {link: none}\n"
        "      x: {link: 'https://springfieldpd.example.org/x-apply'}\n"
    )
    cs = load_text(PHOTO_POST + variants, header=INSTAGRAM)
    assert not cs.diagnostics, cs.diagnostics
    by_platform = {d.platform: d for d in cs.deliveries()}
    assert by_platform["instagram"].link is None
    assert by_platform["instagram"].text == "Hello\n\n#JoinSPD"
    assert by_platform["x"].link.startswith(
        "https://springfieldpd.example.org/x-apply?utm_source=x"
    )
    assert by_platform["x"].link in by_platform["x"].text


def test_unclickable_instagram_link_is_a_note_in_validate(load_text, tmp_path):
    from tests.campaigns.conftest import make_image

    make_image(tmp_path / "a.jpg")
    cs = load_text(PHOTO_POST, header=INSTAGRAM)
    assert cs.ok
    assert [(d.severity, d.line, d.path) for d in cs.diagnostics] == [
        ("note", 7, "campaign.platforms[1]")
    ]
    assert cs.diagnostics[0].message == (
        "Instagram does not make links in captions clickable, so the link in 1 post (a) shows "
        "there as plain text; to leave it out, write link: none under variants: instagram: "
        "(point people to the link in the profile instead)"
    )
    assert "?utm_source=instagram" in {d.platform: d for d in cs.deliveries()}["instagram"].text


def test_variant_link_is_checked_like_every_link(load_text, tmp_path):
    from tests.campaigns.conftest import make_image

    make_image(tmp_path / "a.jpg")
    bad = "    variants:\n      x: {link: 'https://spring_field.example.org', text: 'Go {link}'}\n"
    cs = load_text(PHOTO_POST + bad, header=INSTAGRAM)
    assert [(d.severity, d.path) for d in cs.errors] == [("error", "posts[0].variants.x.link")]
    reminder = (
        "  - id: fair\n    kind: event\n    platforms: [x]\n    event:\n      name: Fair\n"
        "      starts: 2027-03-20 10:00\n      location: Gym\n    reminders:\n"
        "      - offset: -1d\n        variants: {x: {link: none}}\n"
    )
    cs = load_text(reminder, header=INSTAGRAM)
    assert [d.path for d in cs.errors] == ["posts[0].reminders[0].variants.x.link"]
    assert "unknown field 'link'" in cs.errors[0].message


def test_platform_switched_off_in_settings_is_a_warning(tmp_path, hermetic):
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "c.yaml").write_text(
        HEADER + "  - id: a\n    kind: announcement\n    text: Hi\n    at: 2027-03-02 10:00\n"
    )
    from beatpost.validation import validation_options
    from campaigns import load_campaigns

    settings = Settings(workspace=tmp_path, x={"enabled": False})
    cs = load_campaigns([tmp_path / "campaigns"], validation_options(settings, None))
    assert [(d.severity, d.line, d.message) for d in cs.diagnostics] == [
        (
            "warning",
            7,
            "X is switched off in settings (x.enabled = false): its posts are skipped when due",
        )
    ]
