"""One row per check: a campaign snippet and the exact diagnostics it must produce.

Posts are written under the standard HEADER (conftest); line offsets count from the first post
line. Each row lists every diagnostic expected, so a check that fires twice or drags other
problems along fails too.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.campaigns.conftest import FIRST_POST_LINE, HEADER

A = """\
  - id: a
    kind: announcement
    at: 2027-03-02 10:00
"""

EVENT = """\
  - id: fair
    kind: event
    event:
      name: Career Fair
      starts: 2027-03-20 10:00
      location: Springfield High gym
"""

TESTIMONIAL = """\
  - id: t
    kind: testimonial
    officer: {name: Ana Garcia, rank: Officer, years: 6}
    quote: I grew up here.
    at: 2027-03-02 10:00
"""

# (id, posts yaml, [(severity, path, line offset or None, message fragment)], options)
POST_CASES = [
    ("valid announcement", A + "    text: Hello\n", [], {}),
    (
        "unknown key with suggestion",
        A + "    tetx: Hello\n",
        [
            ("error", "posts[0].tetx", 3, "unknown field 'tetx'; did you mean 'text'?"),
            ("error", "posts[0]", 0, "an announcement needs text:"),
        ],
        {},
    ),
    (
        "text of the wrong type",
        A + "    text: [a, b]\n",
        [
            ("error", "posts[0].text", 3, "expected text, found a list"),
        ],
        {},
    ),
    (
        "unknown kind",
        "  - id: a\n    kind: testimonal\n    at: 2027-03-02 10:00\n",
        [
            ("error", "posts[0].kind", 1, "did you mean 'testimonial'?"),
        ],
        {},
    ),
    (
        "invalid post id",
        "  - id: Post One\n    kind: announcement\n    text: x\n    at: 2027-03-02 10:00\n",
        [
            ("error", "posts[0].id", 0, "'Post One' is not valid as a post id"),
        ],
        {},
    ),
    (
        "unknown platform",
        A + "    text: Hi\n    platforms: [x, facebok]\n",
        [
            ("error", "posts[0].platforms[1]", 4, "did you mean 'facebook'?"),
        ],
        {},
    ),
    (
        "platform outside the campaign",
        A + "    text: Hi\n    platforms: [x, mastodon]\n",
        [
            ("error", "posts[0].platforms[1]", 4, "not one of this campaign's platforms"),
        ],
        {},
    ),
    (
        "date without a time",
        "  - id: a\n    kind: announcement\n    text: Hi\n    at: 2027-03-02\n",
        [
            ("error", "posts[0].at", 3, "needs a time of day too"),
        ],
        {},
    ),
    (
        "time with a UTC offset",
        "  - id: a\n    kind: announcement\n    text: Hi\n    at: 2027-03-02T10:00-05:00\n",
        [
            ("error", "posts[0].at", 3, "without a UTC offset"),
        ],
        {},
    ),
    (
        "not a real date",
        "  - id: a\n    kind: announcement\n    text: Hi\n    at: 2027-02-30 10:00\n",
        [
            ("error", "posts[0].at", 3, "not a real date and time"),
        ],
        {},
    ),
    (
        "after the window",
        "  - id: a\n    kind: announcement\n    text: Hi\n    at: 2027-06-01 10:00\n",
        [
            ("error", "posts[0].at", 3, "after the campaign window ends (2027-05-31)"),
        ],
        {},
    ),
    (
        "before the window",
        "  - id: a\n    kind: announcement\n    text: Hi\n    at: 2027-02-28 23:59\n",
        [
            ("error", "posts[0].at", 3, "before the campaign window starts (2027-03-01)"),
        ],
        {},
    ),
    (
        "both at and repeat",
        A + "    text: Hi\n    repeat: {rule: FREQ=WEEKLY, time: '12:00'}\n",
        [
            ("error", "posts[0].repeat", 4, "either at: (one time) or repeat: (a rule)"),
        ],
        {},
    ),
    (
        "never scheduled",
        "  - id: a\n    kind: announcement\n    text: Hi\n",
        [
            ("error", "posts[0]", 0, "never scheduled: give it at: or repeat:"),
        ],
        {},
    ),
    (
        "undefined template field",
        A + "    text: Hello {evnt.name}\n",
        [
            ("error", "posts[0].text", 3, "{evnt.name} is not a field this post has"),
        ],
        {},
    ),
    (
        "event field in an announcement",
        A + "    text: See {event.name}\n",
        [
            ("error", "posts[0].text", 3, "{event.name} is not a field this post has"),
        ],
        {},
    ),
    (
        "misspelt field of a group",
        EVENT + "    at: 2027-03-02 10:00\n    text: '{event.nme}'\n",
        [
            ("error", "posts[0].text", 7, "event has no field 'nme'; did you mean 'name'?"),
        ],
        {},
    ),
    (
        "declared but unset field",
        A + "    text: With {partner}\n",
        [
            ("error", "posts[0].text", 3, "partner is not set for this post"),
        ],
        {},
    ),
    (
        "unknown partner reference",
        A + "    text: Hi\n    partner: sh\n",
        [
            ("error", "posts[0].partner", 4, "unknown partner 'sh'; did you mean 'shs'?"),
        ],
        {},
    ),
    (
        "unknown partner in a template",
        A + "    text: 'With {partners[shz]}'\n",
        [
            ("error", "posts[0].text", 3, "no partner with id 'shz'; did you mean 'shs'?"),
        ],
        {},
    ),
    (
        "stray brace",
        A + "    text: 'Hello }'\n",
        [
            ("error", "posts[0].text", 3, "write {{ or }} for a literal brace"),
        ],
        {},
    ),
    (
        "bad date format for a string",
        EVENT + "    at: 2027-03-02 10:00\n    text: '{event.name:%A}'\n",
        [
            ("error", "posts[0].text", 7, "the format does not fit this value"),
        ],
        {},
    ),
    (
        "reminder field outside reminders",
        A + "    text: 'Soon: {reminder.when}'\n",
        [
            ("error", "posts[0].text", 3, "only be used in reminder texts"),
        ],
        {},
    ),
    (
        "duplicate post id",
        A + "    text: Hi\n" + A + "    text: Again\n",
        [
            ("error", "posts[1].id", 4, "post id 'a' is already used on line"),
        ],
        {},
    ),
    (
        "duplicate key",
        A + "    text: Hi\n    text: Again\n",
        [
            ("error", "posts[0].text", 4, "'text' is given twice"),
        ],
        {},
    ),
    (
        "hashtag eaten by a YAML comment",
        A + "    text: Hi\n    hashtags:\n      - #JoinSPD\n",
        [
            ("error", "posts[0].hashtags[0]", 5, "'#' starts a comment"),
        ],
        {},
    ),
    (
        "hashtag lost to a YAML comment in text",
        A + "    text: Join us #JoinSPD\n",
        [
            ("warning", "posts[0].text", 3, "is a YAML comment, not part of the text"),
        ],
        {},
    ),
    (
        "hashtag with a space",
        A + "    text: Hi\n    hashtags: ['join spd']\n",
        [
            ("error", "posts[0].hashtags[0]", 4, "is not a hashtag"),
        ],
        {},
    ),
    (
        "link that is not a web address",
        A + "    text: Hi\n    link: springfieldpd.org\n",
        [
            ("error", "posts[0].link", 4, "start the web address with https://"),
        ],
        {},
    ),
    (
        "kind-specific key on another kind",
        A + "    text: Hi\n    quote: hello\n",
        [
            ("error", "posts[0].quote", 4, "'quote' belongs to testimonial posts"),
        ],
        {},
    ),
    (
        "testimonial without consent",
        TESTIMONIAL,
        [
            ("error", "posts[0]", 0, "a testimonial needs consent_expires:"),
        ],
        {},
    ),
    (
        "testimonial past its consent",
        TESTIMONIAL + "    consent_expires: 2027-03-02\n",
        [
            (
                "error",
                "posts[0].consent_expires",
                5,
                "consent expires 2027-03-02, before the scheduled post",
            ),
        ],
        {},
    ),
    (
        "event without a place",
        "  - id: e\n    kind: event\n    event:\n      name: Fair\n"
        "      starts: 2027-03-20 10:00\n    reminders: [-1d]\n",
        [
            ("error", "posts[0].event", 2, "location: (an address) or online: (a link)"),
        ],
        {},
    ),
    (
        "event ending before it starts",
        EVENT + "      ends: 2027-03-20 09:00\n    reminders: [-1d]\n",
        [
            ("error", "posts[0].event.ends", 6, "before it starts"),
        ],
        {},
    ),
    (
        "announcement after the event started",
        EVENT + "    at: 2027-03-20 10:00\n",
        [
            ("error", "posts[0].at", 6, "is not before the event starts"),
        ],
        {},
    ),
    (
        "reminder after the start",
        EVENT + "    reminders: [-1d, +2h]\n",
        [
            ("error", "posts[0].reminders[1]", 6, "write -2h for 2h before the start"),
        ],
        {},
    ),
    (
        "reminder in an unknown unit",
        EVENT + "    reminders: [-2x]\n",
        [
            ("error", "posts[0].reminders[0]", 6, "is not a time before the event"),
        ],
        {},
    ),
    (
        "reminder given twice",
        EVENT + "    reminders: [-7d, -1w]\n",
        [
            ("error", "posts[0].reminders[1]", 6, "already a reminder at -7d"),
        ],
        {},
    ),
    (
        "reminder before the window",
        EVENT.replace("2027-03-20", "2027-03-05") + "    reminders: [-14d, -1d]\n",
        [
            (
                "error",
                "posts[0].reminders[0]",
                6,
                "would go out on 2027-02-19 10:00, before the campaign window starts",
            ),
        ],
        {},
    ),
    (
        "cancelled must be true or false",
        EVENT + "      cancelled: yes\n    reminders: [-1d]\n",
        [
            ("error", "posts[0].event.cancelled", 6, "expected true or false, found 'yes'"),
        ],
        {},
    ),
    (
        "repeat with sub-daily frequency",
        "  - id: r\n    kind: announcement\n    text: Hi\n"
        "    repeat: {rule: FREQ=HOURLY, time: '12:00'}\n",
        [
            ("error", "posts[0].repeat.rule", 3, "repeat at most daily"),
        ],
        {},
    ),
    (
        "repeat with the time in the rule",
        "  - id: r\n    kind: announcement\n    text: Hi\n"
        "    repeat: {rule: FREQ=WEEKLY;BYHOUR=9, time: '12:00'}\n",
        [
            ("error", "posts[0].repeat.rule", 3, "not BYHOUR/BYMINUTE"),
        ],
        {},
    ),
    (
        "repeat with an invalid rule",
        "  - id: r\n    kind: announcement\n    text: Hi\n"
        "    repeat: {rule: FREQ=WEEKLY;BYDAY=XX, time: '12:00'}\n",
        [
            ("error", "posts[0].repeat.rule", 3, "not a valid RRULE"),
        ],
        {},
    ),
    (
        "repeat with a bad time",
        "  - id: r\n    kind: announcement\n    text: Hi\n"
        "    repeat: {rule: FREQ=WEEKLY, time: '25:00'}\n",
        [
            ("error", "posts[0].repeat.time", 3, "'25:00' is not a time of day"),
        ],
        {},
    ),
    (
        "repeat producing too many",
        "  - id: r\n    kind: announcement\n    text: Hi\n"
        "    repeat: {rule: FREQ=DAILY, time: '12:00'}\n",
        [
            ("error", "posts[0].repeat", 3, "more than 10 posts"),
        ],
        {"max_occurrences_per_post": 10},
    ),
    (
        "repeat producing none",
        "  - id: r\n    kind: announcement\n    text: Hi\n"
        "    repeat: {rule: FREQ=WEEKLY;UNTIL=20270101, time: '12:00'}\n",
        [
            ("warning", "posts[0].repeat", 3, "no posts inside the campaign window"),
        ],
        {},
    ),
    (
        "variant for a platform the post skips",
        A + "    text: Hi\n    platforms: [x]\n    variants:\n      facebook: Hello Facebook\n",
        [
            ("warning", "posts[0].variants.facebook", 6, "does not go to facebook"),
        ],
        {},
    ),
    (
        "variant for an unknown platform",
        A + "    text: Hi\n    variants:\n      twiter: Hi\n",
        [
            ("error", "posts[0].variants.twiter", 5, "unknown platform 'twiter'"),
        ],
        {},
    ),
    (
        "alias",
        A + "    text: &t Hi\n    signature: *t\n",
        [
            ("error", "posts[0].signature", 4, "anchors and aliases"),
        ],
        {},
    ),
    (
        "merge key",
        A + "    text: Hi\n    <<: {link: false}\n",
        [
            ("error", "posts[0].<<", 4, "merge keys"),
        ],
        {},
    ),
    (
        "already past",
        A + "    text: Hi\n",
        [
            ("warning", "posts[0]", 0, "1 scheduled time of this post already passed"),
        ],
        {"now": datetime(2027, 3, 3, tzinfo=UTC)},
    ),
]


def _expect(cs, expected):
    got = [(d.severity, d.path, d.line, d.message) for d in cs.diagnostics]
    assert len(got) == len(expected), f"expected {len(expected)} diagnostics, got {got}"
    for severity, path, offset, fragment in expected:
        matches = [g for g in got if g[0] == severity and g[1] == path and fragment in g[3]]
        assert matches, f"no {severity} at {path} containing {fragment!r}; got {got}"
        if offset is not None:
            assert matches[0][2] == FIRST_POST_LINE + offset, matches


@pytest.mark.parametrize(
    ("posts", "expected", "opts"), [pytest.param(p, e, o, id=i) for i, p, e, o in POST_CASES]
)
def test_post_checks(load_text, posts, expected, opts):
    _expect(load_text(posts, **opts), expected)


def _header(**replace: str) -> str:
    text = HEADER
    for old, new in replace.items():
        assert old.replace("_", " ") in text or old in text
        text = text.replace(old.replace("__", " "), new)
    return text


ANNOUNCE = A + "    text: Hi\n"

# (id, header replacements, [(severity, path, line, fragment)], options)
HEADER_CASES = [
    (
        "unknown time zone",
        {"timezone: America/Chicago": "timezone: America/Chicgo"},
        [
            ("error", "campaign.timezone", 5, "did you mean 'America/Chicago'?"),
        ],
        {},
    ),
    (
        "unknown campaign platform",
        {"[x, facebook]": "[x, facebok, tiktok]"},
        [
            ("error", "campaign.platforms[1]", 7, "did you mean 'facebook'?"),
            ("error", "campaign.platforms[2]", 7, "unknown platform 'tiktok'"),
        ],
        {},
    ),
    (
        "window ending before it starts",
        {"end: 2027-05-31": "end: 2027-01-31"},
        [
            ("error", "campaign.window.end", 6, "ends (2027-01-31) before it starts"),
        ],
        {},
    ),
    (
        "unsupported format version",
        {"version: 1": "version: 2"},
        [
            ("error", "version", 1, "found version 2"),
        ],
        {},
    ),
    (
        "missing approval (warning)",
        {"  approved_by: Lt. Test\n": ""},
        [
            ("warning", "campaign", 2, "no approved_by"),
        ],
        {},
    ),
    (
        "missing approval (required)",
        {"  approved_by: Lt. Test\n": ""},
        [
            ("error", "campaign", 2, "settings require approval"),
        ],
        {"require_approval": True},
    ),
    (
        "invalid campaign id",
        {"id: test-campaign": "id: Test Campaign"},
        [
            ("error", "campaign.id", 3, "is not valid as a campaign id"),
        ],
        {},
    ),
    (
        "unknown campaign field",
        {"  name: Test Campaign\n": "  name: Test Campaign\n  nmae: x\n"},
        [
            ("error", "campaign.nmae", 5, "did you mean 'name'?"),
        ],
        {},
    ),
    (
        "bad partner handle",
        {"handles: {x: SpringfieldHS}": "handles: {x: Springfield High}"},
        [
            ("error", "partners.shs.handles.x", 12, "not a valid x handle"),
        ],
        {},
    ),
    ("repeat without end in an open window", {"end: 2027-05-31": "end: 2027-05-31"}, [], {}),
]


@pytest.mark.parametrize(
    ("replace", "expected", "opts"), [pytest.param(r, e, o, id=i) for i, r, e, o in HEADER_CASES]
)
def test_header_checks(load_text, replace, expected, opts):
    header = HEADER
    for old, new in replace.items():
        assert old in header
        header = header.replace(old, new)
    cs = load_text(ANNOUNCE, header=header, **opts)
    got = [(d.severity, d.path, d.line, d.message) for d in cs.diagnostics]
    assert len(got) == len(expected), got
    for severity, path, line, fragment in expected:
        assert any(
            g[0] == severity and g[1] == path and g[2] == line and fragment in g[3] for g in got
        ), (severity, path, line, fragment, got)


def test_repeat_without_end_in_an_open_window(load_text):
    header = HEADER.replace(
        "window: {start: 2027-03-01, end: 2027-05-31}", "window: {start: 2027-03-01}"
    )
    posts = (
        "  - id: r\n    kind: announcement\n    text: Hi\n"
        "    repeat: {rule: FREQ=WEEKLY;BYDAY=WE, time: '12:00'}\n"
    )
    cs = load_text(posts, header=header)
    assert [(d.path, d.message) for d in cs.errors] == [
        (
            "posts[0].repeat",
            "this repeat never ends: add UNTIL=YYYYMMDD or COUNT=n to the rule, "
            "or an end: to the campaign window",
        ),
    ]
    bounded = posts.replace("BYDAY=WE", "BYDAY=WE;COUNT=3")
    cs = load_text(bounded, header=header)
    assert not cs.errors
    assert len(cs.deliveries()) == 3 * 2


# (id, file text, line, column, fragment): syntax problems a PIO actually makes
SYNTAX_CASES = [
    ("tab indentation", "version: 1\ncampaign:\n\tid: x\n", 3, 1, "indented with tabs"),
    ("handle starting with @", "version: 1\nhandle: @SpringfieldHS\n", 2, 9, "cannot start with @"),
    (
        "colon in plain text",
        "version: 1\ntext: Tomorrow: the fair: bring a friend\n",
        2,
        15,
        "cannot contain ': ' (a colon and a space); put the text in quotes",
    ),
    (
        "unclosed bracket",
        "version: 1\nplatforms: [x, facebook\nposts: []\n",
        2,
        12,
        "this list, opened with '[', is not closed",
    ),
    ("two documents", "version: 1\n---\nversion: 1\n", 2, 1, "one campaign per file"),
    ("empty file", "", 1, 1, "the file is empty"),
    ("a list instead of fields", "- version: 1\n", 1, 1, "should be a set of 'name: value'"),
    ("missing sections", "version: 1\n", 1, 1, "missing required field 'campaign'"),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [pytest.param(t, ln, c, f, id=i) for i, t, ln, c, f in SYNTAX_CASES],
)
def test_syntax_problems(write, text, line, column, fragment):
    from campaigns import load_campaigns
    from tests.campaigns.conftest import options

    cs = load_campaigns([write(text)], options())
    assert cs.errors, "expected an error"
    first = cs.errors[0]
    assert fragment in first.message, cs.errors
    assert (first.line, first.column) == (line, column), first


def test_not_utf8(tmp_path):
    from campaigns import load_campaigns
    from tests.campaigns.conftest import options

    path = tmp_path / "latin1.yaml"
    path.write_bytes("version: 1\nname: Caf\xe9\n".encode("latin-1"))
    cs = load_campaigns([path], options())
    assert [(d.line, d.message) for d in cs.errors] == [
        (2, "the file is not UTF-8 text; save it as UTF-8")
    ]
