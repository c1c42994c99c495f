"""Templates: the safe formatter on its own, then the text as posted on each platform."""

from __future__ import annotations

from datetime import datetime

import pytest

from campaigns.compose import tag_link
from campaigns.templates import (
    LocalTime,
    Namespace,
    TemplateError,
    Unset,
    compile_template,
    render,
)

VALUES = {
    "event": Namespace(
        "event",
        {
            "name": "Career Fair",
            "starts": LocalTime(datetime(2027, 3, 6, 9, 5)),
            "location": Unset,
        },
    ),
    "partner": Namespace("partner", {"name": "Springfield High"}, own="@SpringfieldHS"),
    "partners": Namespace(
        "partners",
        {
            "springfield-high": Namespace(
                "partner", {"name": "Springfield High"}, own="@SpringfieldHS"
            ),
        },
    ),
    "link": "https://example.org/x",
    "years": 6,
}

RENDER_CASES = [
    ("{event.name}", "Career Fair"),
    ("{event.starts:%A, %B %-d}", "Saturday, March 6"),
    ("{event.starts:%-I:%M %p}", "9:05 AM"),
    ("{event.starts:%-m/%-d}", "3/6"),
    ("{event.starts}", "Saturday, March 6 at 9:05 AM"),
    ("{event.starts:100%% on %-d}", "100% on 6"),
    ("{partner} and {partner.name}", "@SpringfieldHS and Springfield High"),
    ("{partners[springfield-high]}", "@SpringfieldHS"),
    ("{partners[springfield-high].name}", "Springfield High"),
    ("{years} years, {years:>3}", "6 years,   6"),
    ("{{literal}} {link}", "{literal} https://example.org/x"),
]


@pytest.mark.parametrize(("source", "expected"), RENDER_CASES, ids=[c[0] for c in RENDER_CASES])
def test_render(source, expected):
    assert render(compile_template(source), VALUES) == expected


ERROR_CASES = [
    ("{}", "empty {}"),
    ("{0}", "is not a field name"),
    ("{event.name!r}", "conversions"),
    ("{event.starts:{x}}", "fields inside a format"),
    ("a } b", "literal brace"),
    ("{ev ent}", "is not a field name"),
    ("{event.__class__}", "event has no field '__class__'"),
    ("{event.name.__class__}", "has no field '__class__'"),
    ("{link.__len__}", "has no field '__len__'"),
    ("{event}", "needs a field name, e.g. {event.name}"),
    ("{event.location}", "event.location is not set for this post"),
    ("{evnt.name}", "did you mean 'event'?"),
    ("{partners[springfield-hgh]}", "did you mean 'springfield-high'?"),
    ("{event.name:%A}", "the format does not fit"),
]


@pytest.mark.parametrize(("source", "fragment"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_template_errors(source, fragment):
    with pytest.raises(TemplateError) as raised:
        render(compile_template(source), VALUES)
    assert fragment in str(raised.value)


def test_tag_link_keeps_query_and_handwritten_tags():
    url = tag_link("https://example.org/apply?lang=es&utm_campaign=mine", "x", "spring", "post")
    assert url == (
        "https://example.org/apply?lang=es&utm_campaign=mine&utm_source=x"
        "&utm_medium=social&utm_content=post"
    )


POSTS = """\
  - id: fair
    kind: event
    partner: shs
    event:
      name: Career Fair
      starts: 2027-03-20 10:00
      location: Springfield High gym
    at: 2027-03-02 10:00
    text: Meet us at the {event.name} with {partner}, {event.starts:%A, %B %-d}.
    variants:
      facebook:
        text: Facebook text for {event.name}. More at {link}
        signature: Springfield PD Recruiting
        hashtags: [SpringfieldPD, JoinSPD]
    reminders:
      - -7d
      - offset: -2h
        text: 'In two hours, #JoinSPD friends!'
"""


def _by_key(cs):
    return {(d.post_id, d.platform, d.occurrence): d for d in cs.deliveries()}


def test_texts_as_posted_per_platform(load_text):
    cs = load_text(POSTS)
    assert not cs.diagnostics, cs.diagnostics
    got = _by_key(cs)
    x_link = (
        "https://springfieldpd.example.org/careers?utm_source=x&utm_medium=social"
        "&utm_campaign=test-campaign&utm_content=fair"
    )
    fb_link = x_link.replace("utm_source=x", "utm_source=facebook")
    assert got["fair", "x", "once"].text == (
        f"Meet us at the Career Fair with @SpringfieldHS, Saturday, March 20.\n\n{x_link}\n#JoinSPD"
    )
    # no facebook handle: the partner is named; the link written in the text is not repeated
    assert got["fair", "facebook", "once"].text == (
        f"Facebook text for Career Fair. More at {fb_link}\n\n"
        "Springfield PD Recruiting\n#SpringfieldPD #JoinSPD"
    )
    assert got["fair", "x", "-7d"].text == (
        "Reminder: Career Fair is in one week: Saturday, March 20 at 10:00 AM, "
        f"Springfield High gym.\n\n{x_link}\n#JoinSPD"
    )
    # a hashtag already in the text is not added again
    assert got["fair", "x", "-2h"].text == f"In two hours, #JoinSPD friends!\n\n{x_link}"
    assert got["fair", "x", "once"].link == x_link
    assert got["fair", "x", "once"].partner == "Springfield High School"


def test_link_false_and_empty_hashtags(load_text):
    posts = (
        "  - id: a\n    kind: announcement\n    at: 2027-03-02 10:00\n"
        "    text: Just words.\n    link: false\n    hashtags: []\n"
    )
    (x, fb) = sorted(load_text(posts).deliveries(), key=lambda d: d.platform)[::-1]
    assert x.text == fb.text == "Just words."
    assert x.link is None


def test_event_link_is_its_rsvp_link(load_text):
    posts = (
        "  - id: info\n    kind: event\n    platforms: [x]\n    event:\n"
        "      name: Info Session\n      starts: 2027-03-25 18:30\n"
        "      online: https://meet.example.org/s\n"
        "      rsvp: https://springfieldpd.example.org/rsvp\n"
        "    at: 2027-03-04 12:00\n    text: 'RSVP: {link} (online: {event.online})'\n"
    )
    (delivery,) = load_text(posts).deliveries()
    assert delivery.text.startswith(
        "RSVP: https://springfieldpd.example.org/rsvp?utm_source=x&utm_medium=social"
        "&utm_campaign=test-campaign&utm_content=info (online: https://meet.example.org/s)"
    )


def test_default_testimonial_text(load_text):
    posts = (
        "  - id: t\n    kind: testimonial\n    platforms: [x]\n"
        "    officer: {name: Ana Garcia, rank: Officer, years: 1}\n"
        "    quote: >\n      I grew up\n      here.\n"
        "    consent_expires: 2028-01-01\n    at: 2027-03-02 10:00\n    link: false\n"
    )
    (delivery,) = load_text(posts).deliveries()
    assert delivery.text == "“I grew up here.” — Officer Ana Garcia, 1 year on the job\n\n#JoinSPD"
