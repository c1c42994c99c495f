"""VADER's scores, computed faster and identically.

vaderSentiment 3.3.2 lower-cases the whole token list again for every
sentiment word it meets (in its negation and idiom checks) and walks every
character of the text looking for emoji. Both are fine for one sentence and
dominate the cost of scoring thousands of comments. This subclass does the same
arithmetic with the lower-cased tokens computed once and the emoji walk skipped
for ASCII text (no emoji is ASCII). ``tests/analysis/test_sentiment.py`` checks
that its results equal the original's on the whole TweetEval validation split.
"""

from __future__ import annotations

from vaderSentiment import vaderSentiment as vs

_NEGATE = frozenset(vs.NEGATE)


def _negated(word_lower: str) -> bool:
    # vs.negated([word]) for a single lower-cased word.
    return word_lower in _NEGATE or "n't" in word_lower


class FastSentimentIntensityAnalyzer(vs.SentimentIntensityAnalyzer):
    """Drop-in replacement for ``SentimentIntensityAnalyzer.polarity_scores``."""

    def __init__(self) -> None:
        super().__init__()
        # The ASCII shortcut below is only sound while no emoji key is ASCII.
        self._ascii_emoji = any(e.isascii() for e in self.emojis)

    def polarity_scores(self, text: str) -> dict[str, float]:
        if self._ascii_emoji or not text.isascii():
            text = self._describe_emoji(text)
        text = text.strip()
        sentitext = vs.SentiText(text)
        words = sentitext.words_and_emoticons
        lower = [w.lower() for w in words]
        lexicon = self.lexicon
        sentiments: list[float] = []
        last = len(words) - 1
        for i, item_lower in enumerate(lower):
            if item_lower in vs.BOOSTER_DICT:
                sentiments.append(0)
                continue
            if i < last and item_lower == "kind" and lower[i + 1] == "of":
                sentiments.append(0)
                continue
            if item_lower not in lexicon:
                sentiments.append(0)
                continue
            sentiments.append(self._valence(words, lower, i, sentitext.is_cap_diff))
        sentiments = self._but_check(words, sentiments)
        return self.score_valence(sentiments, text)

    def _describe_emoji(self, text: str) -> str:
        # The original's emoji-to-description walk, unchanged.
        out = ""
        prev_space = True
        for char in text:
            if char in self.emojis:
                if not prev_space:
                    out += " "
                out += self.emojis[char]
                prev_space = False
            else:
                out += char
                prev_space = char == " "
        return out

    def _valence(self, words: list[str], lower: list[str], i: int, is_cap_diff: bool) -> float:
        # SentimentIntensityAnalyzer.sentiment_valence for a lexicon word.
        lexicon = self.lexicon
        item, item_lower = words[i], lower[i]
        valence = lexicon[item_lower]
        if item_lower == "no" and i != len(words) - 1 and lower[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and lower[i - 1] == "no")
            or (i > 1 and lower[i - 2] == "no")
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor"))
        ):
            valence = lexicon[item_lower] * vs.N_SCALAR
        if item.isupper() and is_cap_diff:
            valence = valence + vs.C_INCR if valence > 0 else valence - vs.C_INCR
        for start_i in range(3):
            if i > start_i and lower[i - (start_i + 1)] not in lexicon:
                s = vs.scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _negation_check(valence, lower, start_i, i)
                if start_i == 2:
                    valence = _special_idioms_check(valence, lower, i)
        return _least_check(valence, lower, i, lexicon)


def _negation_check(valence: float, lower: list[str], start_i: int, i: int) -> float:
    if start_i == 0:
        if _negated(lower[i - 1]):
            valence = valence * vs.N_SCALAR
    if start_i == 1:
        if lower[i - 2] == "never" and lower[i - 1] in ("so", "this"):
            valence = valence * 1.25
        elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
            pass
        elif _negated(lower[i - 2]):
            valence = valence * vs.N_SCALAR
    if start_i == 2:
        if (lower[i - 3] == "never" and lower[i - 2] in ("so", "this")) or lower[i - 1] in (
            "so",
            "this",
        ):
            valence = valence * 1.25
        elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
            pass
        elif _negated(lower[i - 3]):
            valence = valence * vs.N_SCALAR
    return valence


def _special_idioms_check(valence: float, lower: list[str], i: int) -> float:
    onezero = f"{lower[i - 1]} {lower[i]}"
    twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
    twoone = f"{lower[i - 2]} {lower[i - 1]}"
    threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
    threetwo = f"{lower[i - 3]} {lower[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in vs.SPECIAL_CASES:
            valence = vs.SPECIAL_CASES[seq]
            break
    if len(lower) - 1 > i:
        zeroone = f"{lower[i]} {lower[i + 1]}"
        if zeroone in vs.SPECIAL_CASES:
            valence = vs.SPECIAL_CASES[zeroone]
    if len(lower) - 1 > i + 1:
        zeroonetwo = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
        if zeroonetwo in vs.SPECIAL_CASES:
            valence = vs.SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in vs.BOOSTER_DICT:
            valence = valence + vs.BOOSTER_DICT[n_gram]
    return valence


def _least_check(valence: float, lower: list[str], i: int, lexicon: dict[str, float]) -> float:
    if i > 1 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        if lower[i - 2] != "at" and lower[i - 2] != "very":
            valence = valence * vs.N_SCALAR
    elif i > 0 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        valence = valence * vs.N_SCALAR
    return valence
