"""The digest lists officer-safety comments first ("review now") and the hostile ones."""

from __future__ import annotations

from sqlmodel import Session

from analysis.digest.build import build_digest
from analysis.digest.render import render
from tests.analysis.test_digest_build import (
    NOW,
    WEEK,
    comment,
    db,  # noqa: F401 - the migrated database fixture
    db_url_engine,  # noqa: F401
    delivery,
    settings,
    utc,
)


def test_digest_lists_safety_first_and_hostile_comments(db) -> None:  # noqa: F811
    with Session(db) as session:
        session.add(delivery(1, "x", "testimonial", utc(9, 15)))
        session.commit()
        session.add_all(
            [
                comment(
                    1,
                    1,
                    utc(9, 20),
                    "neutral",
                    "safety",
                    text="Where was this photo taken? Looks like Riverside Park",
                ),
                comment(
                    2,
                    1,
                    utc(9, 21),
                    "negative",
                    "hostile",
                    "critical",
                    text="Enjoy your last shift, officer. We'll be watching.",
                ),
                comment(3, 1, utc(9, 22), "neutral", "needs_reply", text="How do I apply?"),
            ]
        )
        session.commit()
    data = build_digest(db, WEEK, settings(), lambda: NOW)
    assert [c.text for c in data.safety] == [
        "Where was this photo taken? Looks like Riverside Park"
    ]
    assert [c.author for c in data.hostile] == ["@user2"]
    rendered = render(data)
    text = rendered.text
    assert "OFFICER SAFETY - REVIEW NOW" in text
    assert text.index("REVIEW NOW") < text.index("COMMENTS THAT NEED A REPLY")
    assert "Enjoy your last shift, officer" in text
    assert "Officer safety: review now" in rendered.html
    assert "Riverside Park" in rendered.html
