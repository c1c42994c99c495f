"""Post kinds are one table (campaigns/kinds.py): a new kind is one entry plus its own code."""

from __future__ import annotations

import re

import pytest

from campaigns.kinds import KINDS, PostKind
from campaigns.reader import lookup
from campaigns.schema import COMMON_POST_KEYS
from campaigns.templates import Namespace, Unset, compile_template
from tests.campaigns.conftest import REPO

RIDE_ALONG = """\
  - id: ride
    kind: ride_along
    unit: {unit}
    at: 2027-03-02 09:00
"""


@pytest.fixture
def ride_along(monkeypatch):
    """A kind the code has never seen, added as one entry: a ride-along with a patrol unit."""
    units: dict[str, str] = {}

    def read(fields, where, reader, post):
        if (entry := lookup(fields, "unit")) is None:
            reader.error(where, "a ride_along needs unit:")
        elif (unit := reader.text(*entry, what="the unit")) is not None:
            units[post.id] = unit

    def values(post):
        unit = units.get(post.id)
        return {"unit": Namespace("unit", {"name": unit}) if unit else Unset}

    kind = PostKind(
        name="ride_along",
        display_name="Ride-along",
        keys=("unit",),
        read=read,
        values=values,
        default_text=compile_template("Ride along with {unit.name} this spring."),
    )
    monkeypatch.setitem(KINDS, kind.name, kind)
    return kind


def test_a_new_kind_is_read_planned_and_named_from_its_entry(load_text, ride_along):
    cs = load_text(RIDE_ALONG.format(unit="Unit 12"))
    assert cs.errors == []
    texts = {d.platform: d.text for d in cs.deliveries()}
    assert texts["x"].startswith("Ride along with Unit 12 this spring.")
    assert {d.kind for d in cs.deliveries()} == {"ride_along"}

    from analysis.digest.render import kind_name

    assert kind_name("ride_along") == "Ride-along"


def test_a_new_kinds_field_is_refused_on_other_kinds(load_text, ride_along):
    cs = load_text(
        """\
          - id: plain
            kind: announcement
            text: Apply now
            unit: Unit 12
            at: 2027-03-02 09:00
        """
    )
    assert [d.message for d in cs.errors] == [
        "'unit' belongs to ride_along posts; this post is kind: announcement"
    ]


def test_a_new_kinds_unreadable_field_is_reported_once(load_text, ride_along):
    """An empty unit: is reported where it is written; the default text naming it is not
    reported again as an unknown value."""
    cs = load_text(RIDE_ALONG.format(unit='""'))
    assert [d.message for d in cs.errors] == ["the unit is empty"]


def test_kind_fields_belong_to_one_kind_and_none_is_common():
    owners: dict[str, str] = {}
    for kind in KINDS.values():
        for key in kind.keys:
            assert key not in COMMON_POST_KEYS, (kind.name, key)
            assert owners.setdefault(key, kind.name) == kind.name, key


def test_a_kind_without_default_text_must_give_text(load_text):
    assert KINDS["announcement"].default_text is None
    cs = load_text(
        """\
          - id: plain
            kind: announcement
            at: 2027-03-02 09:00
        """
    )
    assert [d.message for d in cs.errors] == ["an announcement needs text:"]


def test_only_a_kind_scheduled_by_reminders_accepts_them(load_text):
    cs = load_text(
        """\
          - id: quote
            kind: testimonial
            officer: {name: Ana Ruiz}
            quote: I love this job.
            consent_expires: 2028-01-01
            reminders: [-1d]
        """
    )
    assert sorted(d.message for d in cs.errors) == [
        "'reminders' belongs to event posts; this post is kind: testimonial",
        "this post is never scheduled: give it at: or repeat:",
    ]


def test_every_kind_has_a_section_in_the_format_reference():
    doc = (REPO / "docs" / "campaign-format.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### `kind: ([a-z_]+)`", doc, re.M))
    assert documented == set(KINDS)


def test_the_sandbox_audience_knows_every_kind():
    """connectors/ may not import campaigns/: the sandbox keeps its own list, held equal."""
    from connectors.sandbox.audience import KINDS as SANDBOX_KINDS

    assert set(SANDBOX_KINDS) == set(KINDS)


def test_reminder_texts_come_from_the_kind_that_has_reminders():
    assert [k.name for k in KINDS.values() if "reminders" in k.schedules] == ["event"]
    assert all(
        (k.default_reminder is not None) == ("reminders" in k.schedules) for k in KINDS.values()
    )


def test_the_digest_name_is_the_kind_capitalized_unless_given(ride_along):
    assert {name: kind.display_name for name, kind in KINDS.items()} == {
        "testimonial": "Testimonial",
        "event": "Event",
        "announcement": "Announcement",
        "ride_along": "Ride-along",
    }
