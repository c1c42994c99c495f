"""The language of a comment: community languages named, English and Spanish kept."""

from __future__ import annotations

import pytest

from analysis.language import detect


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # Somali, which langid called Tagalog when it was not offered it.
        ("Waxaan sugayay booliska laba saacadood markii gurigayga la jabsaday", "so"),
        ("Mahadsanid, aad ayaan u jeclahay barnaamijkan", "so"),
        # Scripts of their own, which it called Haitian Creole.
        ("ਮੇਰਾ ਪੁੱਤਰ ਪੁਲਿਸ ਵਿੱਚ ਭਰਤੀ ਹੋਣਾ ਚਾਹੁੰਦਾ ਹੈ", "pa"),
        ("ልጄ ፖሊስ መሆን ይፈልጋል", "am"),
        ("កូនប្រុសខ្ញុំចង់ក្លាយជាប៉ូលីស", "km"),
        ("Իմ որդին ուզում է ոստիկան դառնալ", "hy"),
        ("મારો દીકરો પોલીસમાં જોડાવા માંગે છે", "gu"),
        # English, Spanish and Portuguese stay themselves.
        ("Where do I apply?", "en"),
        ("Proud of you, Officer Ahmed!", "en"),
        ("lol", "en"),
        ("¿Cuánto pagan?", "es"),
        ("Felicidades a todos los cadetes", "es"),
        ("Obrigado pelo trabalho de vocês", "pt"),
    ],
)
def test_language_of_a_comment(text: str, lang: str) -> None:
    assert detect(text) == lang
