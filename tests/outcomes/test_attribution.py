"""Attribution: last touch by UTM tags (as campaigns.compose.tag_link writes them), then the
"how did you hear about us" answer."""

from __future__ import annotations

import pytest

from analysis.outcomes.attribution import Directory, PartnerRef, PostRef, attribute
from analysis.outcomes.imports import utm_tags
from campaigns.compose import tag_link

PLATFORMS = ("x", "facebook", "instagram", "mastodon", "sandbox")
LINCOLN = PartnerRef("Lincoln High School", "lincoln-high", ("LincolnHS",), "spring")
GRACE = PartnerRef("Grace Community Church", "grace", ("GraceRiverton",), "spring")
POSTS = (
    PostRef("spring", "p-testimonial", "testimonial", None),
    PostRef("spring", "p-event", "event", "Lincoln High School"),
)
KNOWN = Directory(PLATFORMS, POSTS, (LINCOLN, GRACE))


def _from_link(link: str, answer: str | None = None):
    tags = utm_tags(link)
    return attribute(
        KNOWN,
        utm_source=tags.get("utm_source"),
        utm_campaign=tags.get("utm_campaign"),
        utm_content=tags.get("utm_content"),
        answer=answer,
    )


@pytest.mark.parametrize(
    ("source", "campaign", "content", "expected"),
    [
        # platform + campaign + post: everything, kind and the post's partner from the ledger
        (
            "instagram",
            "spring",
            "p-testimonial",
            ("spring", "p-testimonial", "testimonial", "instagram", None),
        ),
        ("x", "spring", "p-event", ("spring", "p-event", "event", "x", "Lincoln High School")),
        # a partner kit's link: utm_source is the partner (id, name or handle)
        ("lincoln-high", "spring", None, ("spring", None, None, None, "Lincoln High School")),
        (
            "LincolnHS",
            "spring",
            "p-testimonial",
            ("spring", "p-testimonial", "testimonial", None, "Lincoln High School"),
        ),
        # platform only, campaign only, post only
        ("facebook", None, None, (None, None, None, "facebook", None)),
        ("newsletter", "spring", None, ("spring", None, None, None, None)),
        (None, None, "p-event", ("spring", "p-event", "event", None, "Lincoln High School")),
        # everyday names of a platform in utm_source
        ("Twitter", "spring", None, ("spring", None, None, "x", None)),
        ("IG", None, None, (None, None, None, "instagram", None)),
    ],
)
def test_each_utm_combination(source, campaign, content, expected):
    got = attribute(
        KNOWN,
        utm_source=source,
        utm_campaign=campaign,
        utm_content=content,
        answer="Grace Community Church",
    )  # UTM wins over the answer
    assert (got.campaign_id, got.post_id, got.kind, got.platform, got.partner) == expected
    assert got.method == "utm"


def test_links_beatpost_writes_are_attributed_back():
    link = tag_link("https://riverton.gov/join", "facebook", "spring", "p-event")
    got = _from_link(link)
    assert (got.campaign_id, got.post_id, got.platform, got.partner, got.method) == (
        "spring",
        "p-event",
        "facebook",
        "Lincoln High School",
        "utm",
    )


def test_someone_elses_utm_tags_fall_back_to_the_answer():
    got = _from_link(
        "https://riverton.gov/join?utm_source=google&utm_campaign=cpc-2026", answer="Instagram"
    )
    assert (got.platform, got.method) == ("instagram", "answer")


@pytest.mark.parametrize(
    ("answer", "platform", "partner"),
    [
        ("Instagram", "instagram", None),
        ("IG", "instagram", None),
        ("insta", "instagram", None),
        ("Saw it on FB", "facebook", None),
        ("twitter", "x", None),
        ("X", "x", None),  # the whole answer
        ("a flyer at Lincoln High", None, "Lincoln High School"),
        ("LINCOLN HIGH SCHOOL career day", None, "Lincoln High School"),
        ("@LincolnHS on instagram", "instagram", "Lincoln High School"),
        ("my pastor at Grace Community Church", None, "Grace Community Church"),
        ("Grace Community", None, "Grace Community Church"),
    ],
)
def test_free_text_answers(answer, platform, partner):
    got = attribute(KNOWN, answer=answer)
    assert (got.platform, got.partner, got.method) == (platform, partner, "answer")
    if partner:
        assert got.campaign_id == "spring"  # the partner's campaign


@pytest.mark.parametrize(
    "answer", ["Indeed", "a friend", "Malcolm X biography", "x-ray tech", "Lincoln", ""]
)
def test_answers_naming_nothing_known_stay_unattributed(answer):
    got = attribute(KNOWN, answer=answer)
    assert (got.platform, got.partner, got.campaign_id, got.method) == (None, None, None, "none")
