"""Text normalisation and feature extraction for the linear sentiment model.

This one module is used both by ``analysis.train_sentiment`` (through
scikit-learn, with these functions as the analyzers) and by the numpy-only
run-time model, so the features seen at training and at inference are the same
by construction rather than by two implementations kept in step.
"""

from __future__ import annotations

import html
import re
from functools import cache

from analysis.sentiment_models.fast_vader import FastSentimentIntensityAnalyzer

# Literal escapes such as "\u2019" that the TweetEval text carries (and that
# some platform exports carry too); surrogate pairs are joined afterwards.
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_REPEAT = re.compile(r"(.)\1{2,}")

# Job vocabulary of police recruitment that general social-media text uses
# mostly in bad news ("shooting", "arrested", "crime"). In comments on our
# posts these words name the job, not a feeling, so they are removed before
# features are built, at training and at inference alike: the rest of the
# sentence decides. Words that carry a feeling on their own ("killed",
# "brutal", "corrupt") are deliberately absent.
POLICING_TERMS: tuple[str, ...] = (
    r"shoot(?:ing|ings|s)?",
    r"gun(?:s)?(?: range)?",
    r"firearms?",
    r"weapons?",
    r"arrest(?:s|ed|ing)?",
    r"crimes?",
    r"criminals?",
    r"(?:use of )?force",
    r"tasers?",
    r"handcuff(?:s|ed)?",
    r"suspects?",
    r"jail",
    r"swat",
    r"patrol(?:s|ling)?",
    r"sheriff(?:'s)?",
    r"police",
    r"cops?",
    r"officers?",
    r"deput(?:y|ies)",
    r"academy",
    r"recruits?",
)
_POLICING = re.compile(r"\b(?:" + "|".join(POLICING_TERMS) + r")\b")
_POLICING_ANYCASE = re.compile(_POLICING.pattern, re.IGNORECASE)
# Every term starts with one of these; a substring test is far cheaper than the
# regex, and most comments contain none of them.
_POLICING_STEMS = (
    "shoot", "gun", "firearm", "weapon", "arrest", "crime", "criminal", "force", "taser",
    "handcuff", "suspect", "jail", "swat", "patrol", "sheriff", "police", "cop", "officer",
    "deput", "academy", "recruit",
)  # fmt: skip


def _mentions_policing(lowered: str) -> bool:
    return any(stem in lowered for stem in _POLICING_STEMS)


# Tokens: emoticons first (they contain punctuation), then words with inner
# apostrophes, hashtags, runs of ! or ?, and any other single non-space symbol
# (which is how emoji become tokens).
_EMOTICON = r"(?:[<>]?[:;=8xX][\-o\*']?[\)\]\(\[dDpP/\\|@3]+|[\)\]\(\[dDpP/\\|@3]+[\-o\*']?[:;=8])"
_TOKEN = re.compile(
    _EMOTICON + r"|<3|@user|#?\w+(?:['’]\w+)*|[!?]+|[^\w\s]",
)
_NEGATORS = frozenset(
    "not no never none nobody nothing neither nor nowhere cannot cant can't dont don't "
    "doesnt doesn't didnt didn't isnt isn't wasnt wasn't arent aren't werent weren't "
    "wont won't wouldnt wouldn't shouldnt shouldn't couldnt couldn't aint ain't "
    "hasnt hasn't havent haven't without".split()
)
# Punctuation that ends a negation's scope; a token made of these alone is a clause end.
_CLAUSE_END = ".,;:!?"

# Sizes of the n-grams; part of the model's contract with its training script.
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)


def decode_text(text: str) -> str:
    """Undo literal ``\\uXXXX`` escapes and HTML entities (``&amp;``)."""
    if "\\u" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
        # Join surrogate halves left by escaped emoji into real characters.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if "&" in text:
        text = html.unescape(text)
    return text


def normalize(text: str) -> str:
    """Lower-cased, decoded text with links, handles and policing terms neutralised."""
    text = decode_text(text).lower()
    text = _URL.sub(" ", text)
    text = _MENTION.sub("@user", text)
    text = text.replace("’", "'")
    if _mentions_policing(text):
        text = _POLICING.sub(" ", text)
    # "soooo" and "sooo" are the same word; keep two letters so "good" survives.
    text = _REPEAT.sub(r"\1\1", text)
    return " ".join(text.split())


def tokens(normalized: str) -> list[str]:
    """Tokens with the classic negation scope: words after a negator get a NEG_ prefix."""
    out: list[str] = []
    negated = False
    for tok in _TOKEN.findall(normalized):
        if not tok.strip(_CLAUSE_END):  # tokens are never empty
            negated = False
            out.append(tok)
        elif tok in _NEGATORS:
            negated = True
            out.append(tok)
        else:
            # Only words take the negation mark: ":(" or an emoji says the same thing
            # after "not" as anywhere else.
            out.append("NEG_" + tok if negated and tok[-1].isalnum() else tok)
    return out


def word_features(normalized: str) -> list[str]:
    """Word uni- and bigrams of the normalised text."""
    toks = tokens(normalized)
    feats = list(toks)
    feats.extend(f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False))
    return feats


def char_features(normalized: str) -> list[str]:
    """Character 2-5 grams of each space-padded word.

    Like scikit-learn's ``char_wb`` analyzer, except that a word shorter than n
    does not yield its padded self again as an "n-gram". The terms of a text are
    the concatenation of its words' terms, which the run-time cache relies on.
    """
    lo, hi = CHAR_NGRAMS
    feats: list[str] = []
    for word in normalized.split():
        padded = f" {word} "
        n_chars = len(padded)
        for n in range(lo, hi + 1):
            if n > n_chars:
                break
            feats.extend(padded[i : i + n] for i in range(n_chars - n + 1))
    return feats


@cache
def _vader() -> FastSentimentIntensityAnalyzer:
    return FastSentimentIntensityAnalyzer()


LEXICON_FEATURES = ("vader_compound", "vader_pos", "vader_neg")


def lexicon_features(text: str) -> tuple[float, ...]:
    """VADER's compound, positive and negative scores on the decoded, neutralised text.

    VADER reads case, punctuation and emoji, so it gets the decoded text rather
    than the lower-cased one; policing terms are removed as for the n-grams.
    """
    decoded = decode_text(text).replace("’", "'")
    if _mentions_policing(decoded.lower()):
        # Case-insensitive removal without lower-casing the rest (VADER reads CAPS).
        decoded = _POLICING_ANYCASE.sub(" ", decoded)
    s = _vader().polarity_scores(decoded)
    return (s["compound"], s["pos"], s["neg"])
