"""The sandbox audience writes comments of every kind triage tells apart, Spanish included."""

from __future__ import annotations

import random

from analysis.triage import triage
from connectors.sandbox import phrases


def test_audience_comments_show_every_flag_and_spanish() -> None:
    rng = random.Random(7)
    texts = [
        phrases.comment(rng, category, kind, "facebook")[1]
        for _ in range(120)
        for category in ("praise", "question", "neutral", "hostile", "partner")
        for kind in ("testimonial", "event", "announcement")
    ]
    results = triage(texts)
    flags = set().union(*(r.flags for r in results))
    assert {"needs_reply", "hostile", "safety", "critical"} <= flags
    assert {r.stance for r in results} == {"supportive", "neutral", "critical"}
    spanish = [r for r in results if r.lang == "es"]
    assert any("needs_reply" in r.flags for r in spanish)
    assert any(r.stance == "supportive" for r in spanish)
    assert any(r.stance == "critical" for r in spanish)
