"""Every link field refuses a malformed address, or one no platform would link, where it is
written; none of them reaches the planner or raises (issue: validation that accepts what cannot
be posted)."""

from __future__ import annotations

import pytest

from beatpost.cli import main
from campaigns.urls import url_problem
from tests.campaigns.conftest import FIRST_POST_LINE, HEADER

EVENT = """\
  - id: fair
    kind: event
    at: 2027-03-02 10:00
    event:
      name: Career Fair
      starts: 2027-03-20 10:00
      online: {online}
      rsvp: {rsvp}
"""
GOOD = "https://springfieldpd.example.org/careers"

# (field path, line, a function building the file with the URL under test)
FIELDS = [
    (
        "defaults.link",
        15,
        lambda url: (
            HEADER.replace(f"link: {GOOD}", f"link: {url}")
            + "  - id: a\n    kind: announcement\n    text: Hi\n    at: 2027-03-02 10:00\n"
        ),
    ),
    (
        "partners.shs.link",
        12,
        lambda url: (
            HEADER.replace(
                "    name: Springfield High School\n",
                f"    name: Springfield High School\n    link: {url}\n",
            )
            + "  - id: a\n    kind: announcement\n    text: Hi\n    at: 2027-03-02 10:00\n"
        ),
    ),
    (
        "posts[0].link",
        FIRST_POST_LINE + 4,
        lambda url: (
            HEADER + f"  - id: a\n    kind: announcement\n    text: Hi\n    at: 2027-03-02 10:00\n"
            f"    link: {url}\n"
        ),
    ),
    (
        "posts[0].event.online",
        FIRST_POST_LINE + 6,
        lambda url: HEADER + EVENT.format(online=url, rsvp=GOOD),
    ),
    (
        "posts[0].event.rsvp",
        FIRST_POST_LINE + 7,
        lambda url: HEADER + EVENT.format(online=GOOD, rsvp=url),
    ),
]

BAD = [
    ('"https://user:pass[word]@www.example.com/"', "user name or password"),
    ('"https://www.exa[mple.com/"', "square brackets are not allowed"),
    ("https://-springfield.example.org/", "cannot start or end with '-'"),
    ("https://springfield-.example.org/", "cannot start or end with '-'"),
    ("https://spring_field.example.org/", "cannot contain '_'"),
    ("https://256.1.2.3/apply", "'256.1.2.3' is not a valid IP address"),
    ("https://springfield..example.org/", "empty part"),
    ("https://" + "a" * 64 + ".example.org/", "at most 63"),
    ("ftp://springfield.example.org/", "start the web address with https:// (found ftp:)"),
    ("springfield.example.org/careers", "start the web address with https://"),
    ("https://springfield.example.org:99999/", "'99999' is not a port number"),
    ("https://localhost/", "not a public site name"),
    ("https://[::1]/", "IP version 6"),
    ("https:///careers", "no site name"),
]


@pytest.mark.parametrize("field,line,build", FIELDS, ids=[f[0] for f in FIELDS])
@pytest.mark.parametrize("url,message", BAD, ids=[b[0] for b in BAD])
def test_malformed_url_is_a_located_error_in_every_link_field(
    load_text, field, line, build, url, message
):
    cs = load_text("", header=build(url))
    assert [(d.severity, d.path, d.line) for d in cs.diagnostics] == [("error", field, line)]
    assert message in cs.diagnostics[0].message
    assert cs.deliveries() == []


def test_bracketed_password_url_is_not_an_internal_error(write, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    path = write(FIELDS[2][2]('"https://user:pass[word]@www.example.com/"'))
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "internal error" not in out + err
    assert f"campaign.yaml:{FIRST_POST_LINE + 4}:11: error: posts[0].link:" in out


@pytest.mark.parametrize(
    "url",
    [
        "https://springfieldpd.example.org/careers?x=1#top",
        "http://www.example.com",
        "https://192.0.2.10/apply",
        "https://xn--bcher-kva.example/",
        "https://bücher.example/",
        "https://springfield.example.org:8443/",
    ],
)
def test_urls_platforms_link_are_accepted(url):
    assert url_problem(url) is None
