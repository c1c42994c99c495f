"""Flags that put a comment in front of a person.

- ``needs_reply``: a question a recruiter should answer (applying, requirements,
  pay and benefits, age limits, tests, the academy, events: how, when, where).
  These are recruitment leads. A question mark alone is not enough, and a
  rhetorical jab ("who would want this job?") is not a lead.
- ``hostile``: abuse, threats or slurs. For review only: agency comment
  sections carry public-records and First Amendment duties, so beatpost never
  hides or deletes a comment on its own.
- ``negative``: the sentiment label is negative.

The word lists are deliberately short and curated; matching is on word
boundaries after undoing the usual obfuscations ("p!gs", "k1ll"), so that
"pigskin" or "skills" do not match.
"""

from __future__ import annotations

import re
import unicodedata

from analysis.sentiment import Sentiment

NEEDS_REPLY = "needs_reply"
HOSTILE = "hostile"
NEGATIVE = "negative"
FLAGS = frozenset({NEEDS_REPLY, HOSTILE, NEGATIVE})

# --- needs_reply -------------------------------------------------------------

# What recruitment leads ask about.
_TOPIC = re.compile(
    r"\b(?:"
    r"appl(?:y|ying|ied|ication|icants?)|hir(?:e|es|ing)|recruit(?:s|ing|ment)?|"
    r"requirements?|required|requires?|qualif(?:y|ications?|ied)|eligib(?:le|ility)|"
    r"disqualif\w*|age|ages|how old|too old|old enough|process|start|starts|"
    r"degree|college|diploma|ged|credits?|"
    r"pay|paid|salary|salaries|wages?|benefits?|pension|retirement|insurance|"
    r"bonus|overtime|tuition|reimburse\w*|"
    r"tests?|testing|exam|written|physical|agility|fitness|polygraph|background check|"
    r"psych(?:ological)? eval\w*|vision|eyesight|tattoos?|"
    r"academy|training|ride[- ]?alongs?|lateral|reserves?|part[- ]time|full[- ]time|"
    r"positions?|openings?|vacanc(?:y|ies)|jobs?|careers?|deadline|interview|"
    r"event|fair|session|open house|info(?:rmation)?|register|registration|sign[- ]?up|"
    r"parking|schedule|shifts?|attend|bring|what time|open to|location|address|directions|"
    r"resume|references?|form|website|link|portal|contact|email|phone"
    r")\b"
)
# The shape of a real question: an interrogative opening or an explicit ask.
_ASK = re.compile(
    r"(?:^|[.!?]\s+|\b(?:and|but|also|so|hi|hello|hey)\b[,\s]+)"
    r"(?:how|what|when|where|which|who|why|is|are|was|do|does|did|can|could|will|would|"
    r"should|may|am|have|has)\b"
    r"|\b(?:i(?:'m| am)? (?:interested|wondering)|(?:any|more) info|please (?:send|share|dm)|"
    r"asking for a friend|how (?:do|can|would) (?:i|you|we|one)|where (?:do|can) (?:i|we)|"
    r"is there|are there|looking for (?:info|information|details))\b"
)
# Rhetorical jabs phrased as questions: they are answered by moderation, not recruiters.
_RHETORICAL = re.compile(
    r"\b(?:who (?:would|wants|in their right mind)|why would anyone|are you (?:serious|kidding)|"
    r"what could go wrong|how about (?:you|no)|who cares|seriously\?|what a joke|"
    r"(?:and|but) (?:now|then|still) you (?:want|expect|ask)|you (?:really )?(?:expect|think) "
    r"(?:anyone|people|we|us))"
)

# --- hostile -----------------------------------------------------------------

# Undo common character swaps before matching (p!gs, k1ll, $cum, @ss).
_DEOBFUSCATE = str.maketrans({"!": "i", "1": "i", "|": "i", "3": "e", "0": "o", "@": "a",
                              "$": "s", "4": "a", "5": "s", "7": "t", "*": "u"})
# Abuse aimed at officers or staff. Words that are abusive wherever they stand...
_ABUSE = (
    r"(?<!guinea )pigs?(?! roast)|piggies|oink(?: oink)?",
    r"f+u+c+k+(?:ing|in)?\s+(?:you|u|off|(?:the |all )?(?:police|cops|pigs)|12|twelve)",
    r"scum(?:bags?)?|jack-?boot(?:s|ed)?|gestapo|acab|1312",
    r"a+ss+holes?|bastards?|dickheads?|shut (?:the fuck )?up",
    r"(?:go|burn|rot) in hell|go to hell",
)
# ...and insults that are abusive when aimed at someone ("you clowns"), not in
# "I felt like an idiot on the agility test".
_DIRECTED_INSULT = (
    r"(?:you|you're|you are|ur|u|these|those|what|bunch of|such|all|y'all)\s+(?:\w+\s+)?"
    r"(?:idiots?|morons?|clowns?|losers?|thugs?|bitch(?:es)?|cowards?|animals)",
    r"thugs? (?:in|with) (?:blue|uniform|badges?)",
)
# Threats: violence against people, including wishes and calls for it.
_TARGET = r"(?:you|u|y'all|them|him|her|all|every|cops|pigs|officers?|the chief|your)"
_THREATS = (
    r"(?:kill|shoot|hurt|stab|beat|burn|hang|bomb)\s+" + _TARGET,
    r"(?:hope|wish)\s+(?:you|they|he|she|every|all)\w*\s+(?:\w+\s+)?"
    r"(?:die|dies|dead|get shot|gets shot|burn)",
    r"deserves? to die|watch your back|off (?:the|all) pigs",
    r"you(?:'re| are) (?:dead|next)(?=\s*(?:[.!]|$))",
)
# Slurs: a minimal set, enough to route a comment to review; not a full list.
_SLURS = (
    r"n[i!1]gg(?:er|a)s?",
    r"f[a@]gg?(?:ot)?s?",
    r"sp[i!1]cs?",
    r"k[i!1]kes?",
    r"tr[a@]nn(?:y|ies)",
)
_HOSTILE = re.compile(
    r"(?<![\w])(?:" + "|".join((*_ABUSE, *_DIRECTED_INSULT, *_THREATS, *_SLURS)) + r")(?![\w])"
)


def _plain(text: str) -> str:
    """Lower-case ASCII-folded text with curly quotes straightened."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").lower()
    return re.sub(r"\s+", " ", text)


def needs_reply(text: str) -> bool:
    """A question about joining or attending that someone should answer.

    An insult phrased as a question is not a lead: hostile comments never need a
    recruiter's reply (they go to review instead).
    """
    plain = _plain(text)
    if _RHETORICAL.search(plain) or not _TOPIC.search(plain) or is_hostile(text):
        return False
    return "?" in plain or bool(_ASK.search(plain))


def is_hostile(text: str) -> bool:
    """Abuse, threats or slurs, also when lightly obfuscated ("p!gs")."""
    plain = _plain(text)
    if _HOSTILE.search(plain):
        return True
    # Swap look-alike symbols only inside words, so "@user" or "$5" in a normal
    # comment do not turn into words; whole-text swaps would invent matches.
    swapped = re.sub(r"\S+", lambda m: m.group(0).translate(_DEOBFUSCATE), plain)
    swapped = re.sub(r"(?<=\w)[.\-_](?=\w)", "", swapped)  # f.u.c.k, p-i-g-s
    return bool(_HOSTILE.search(swapped))


def flag_comment(text: str, sentiment: Sentiment) -> frozenset[str]:
    """The flags of one comment, given its already computed sentiment."""
    flags: set[str] = set()
    if needs_reply(text):
        flags.add(NEEDS_REPLY)
    if is_hostile(text):
        flags.add(HOSTILE)
    if sentiment.label == "negative":
        flags.add(NEGATIVE)
    return frozenset(flags)
