"""Validation refuses what could not be posted, and says once why (issue: validation that
accepts what cannot be posted)."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

import pytest

import connectors
from beatpost.cli import main
from beatpost.planning import load_plans
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


@pytest.mark.parametrize(
    "posts,path", [(p, f) for _, p, f in KNOCK_ON], ids=[i for i, _, _ in KNOCK_ON]
)
def test_unreadable_value_is_reported_once(load_text, posts, path):
    header = HEADER
    if path == "defaults.link":
        header = HEADER.replace("link: https://springfieldpd", "link: https://-springfieldpd")
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
