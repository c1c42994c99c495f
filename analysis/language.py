"""The language of a comment, as an ISO 639-1 code, offline.

py3langid (a maintained fork of langid.py, its model ships inside the package)
does the work, limited to the languages a US department's comment sections
carry, which makes it far steadier on short text than the full 97. Two things
it gets wrong on comments are settled first: Spanish punctuation (¿ ¡) and
words only Spanish uses, and text with too few letters to tell (emoji, "lol",
a tag), which is reported as English, the language of the posts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

DEFAULT = "en"
# The languages langid may answer with. A department's comments are mostly
# English and Spanish; these others are the common community languages.
LANGUAGES = (
    "en", "es", "fr", "pt", "de", "it", "nl", "pl", "ru", "uk", "ar", "hi", "ur", "zh",
    "ja", "ko", "vi", "tl", "ht", "fa", "tr", "el", "he",
)  # fmt: skip

_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_HANDLE_OR_LINK = re.compile(r"@\w+|https?://\S+|www\.\S+|#\w+")
_SPANISH_MARK = re.compile(r"[¿¡ñÑ]")
# Words that are Spanish and nothing else langid is offered (accents optional).
_SPANISH_WORDS = re.compile(
    r"\b(?:que|qué|los|las|por|para|como|cómo|cuando|cuándo|donde|dónde|gracias|muy|pero|"
    r"tengo|necesito|puedo|hay|también|tambien|usted|ustedes|está|esta|están|estan|mi|"
    r"nuestro|nuestra|policía|policia|oficial|oficiales|trabajo|bien|buen|bueno|buena|"
    r"felicidades|orgullo|dios|bendiciones|ellos|nosotros|aplicar|requisitos|edad|años|"
    r"hijo|hija|mamá|mama|ciudad|comunidad|son|una|del|eso|esto|aquí|aqui|ahora|sí|y|el|es|"
    r"muerete|cerdos?|malditos?|puro|cambia|su|sus|cuanto|cuánto|cuanta|cuánta|pagan|interesa|quiero|soy|ser|puede|pueden|tienen|"
    r"hola|todos|gente|ayuda|mucho|nada|nunca|siempre|ustedes|vergüenza|verguenza)\b",
    re.IGNORECASE,
)
# Words that tell Portuguese from Spanish when langid hesitates between them.
_PORTUGUESE_WORDS = re.compile(
    r"\b(?:parabéns|parabens|obrigad[oa]|você|vocês|voce|voces|não|nao|muito|muita|são|meu|"
    r"minha|aí|formandos|tudo|ótimo|ótima|está|trabalha|pela|pelo|também|bom|boa)\b",
    re.IGNORECASE,
)
_ENGLISH_WORDS = re.compile(
    r"\b(?:the|and|you|your|is|are|to|of|for|this|that|with|what|how|do|does|i|my|we|it|"
    r"on|in|be|can|will|not|so|just|all|they|great|job|thank|thanks|good|love|police|"
    r"y'all|yall|appreciate|guys|lol|awesome|amazing|proud|officer|hey|hi|nice|cool|"
    r"officer|officers|apply|hiring)\b",
    re.IGNORECASE,
)


@cache
def _identifier():
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True, langs=list(LANGUAGES))


def detect(text: str) -> str:
    """ISO 639-1 code of the text's language; English when there is too little to tell."""
    body = _HANDLE_OR_LINK.sub(" ", text)
    letters = len(_LETTERS.findall(body))
    if letters < 3:
        return DEFAULT
    spanish = len(_SPANISH_WORDS.findall(body))
    english = len(_ENGLISH_WORDS.findall(body))
    if _SPANISH_MARK.search(body) and english <= spanish:
        return "es"
    if len(_PORTUGUESE_WORDS.findall(body)) > spanish:
        return "pt"
    lang, confidence = _identifier().classify(body)
    if lang in ("en", "es"):
        if spanish > english:
            return "es"
        if english > spanish:
            return "en"
        return lang
    # A short comment langid is unsure of, with English or Spanish words in it, is
    # far more likely one of the two than a third language.
    if confidence < 0.9 or letters < 25:
        if english > spanish and english:
            return "en"
        if spanish > english:
            return "es"
    if confidence < 0.5:
        return DEFAULT
    return str(lang)


def detect_all(texts: Sequence[str]) -> list[str]:
    return [detect(t) for t in texts]
