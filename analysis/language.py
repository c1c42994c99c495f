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
from functools import cache

DEFAULT = "en"
# The languages langid may answer with. A department's comments are mostly
# English and Spanish; these others are the common community languages, among them
# Somali (which langid called Tagalog when it was not offered it) and languages with a
# script of their own (Punjabi, Gujarati, Bengali, Tamil, Telugu, Malayalam, Kannada,
# Khmer, Lao, Thai, Armenian, Amharic, Georgian, Burmese, Sinhala; it called them
# Haitian Creole).
LANGUAGES = (
    "en", "es", "fr", "pt", "de", "it", "nl", "pl", "ru", "uk", "ar", "hi", "ur", "zh",
    "ja", "ko", "vi", "tl", "ht", "fa", "tr", "el", "he", "so",
    "pa", "gu", "bn", "ta", "te", "ml", "kn", "km", "lo", "th", "hy", "am", "ka", "my", "si",
)  # fmt: skip

_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_HANDLE_OR_LINK = re.compile(r"@\w+|https?://\S+|www\.\S+|#\w+")
_SPANISH_MARK = re.compile(r"[¿¡ñÑ]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Words that are Spanish and nothing else langid is offered (accents optional).
_SPANISH_WORDS = frozenset(
    """que qué los las por para como cómo cuando cuándo donde dónde gracias muy pero tengo
    necesito puedo hay también tambien usted ustedes está esta están estan mi nuestro nuestra
    policía policia oficial oficiales trabajo bien buen bueno buena felicidades orgullo dios
    bendiciones ellos nosotros aplicar requisitos edad años hijo hija mamá mama ciudad
    comunidad son una del eso esto aquí aqui ahora sí y el es muérete muerete cerdo cerdos
    maldito malditos puro cambia su sus cuanto cuánto cuanta cuánta pagan interesa quiero soy
    ser puede pueden tienen hola todos gente ayuda mucho nada nunca siempre vergüenza perros
    asquerosos ocupo
    verguenza""".split()
)
# Words that tell Portuguese from Spanish when langid hesitates between them.
_PORTUGUESE_WORDS = frozenset(
    """parabéns parabens obrigado obrigada você vocês voce voces não nao muito muita são meu
    minha aí formandos tudo ótimo ótima trabalha pela pelo bom boa sorte""".split()
)
_ENGLISH_WORDS = frozenset(
    """the and you your is are to of for this that with what how do does i my we it on in be
    can will not so just all they great job thank thanks good love police y'all yall
    appreciate guys lol awesome amazing proud officer officers hey hi nice cool apply
    hiring""".split()
)


@cache
def _identifier():
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True, langs=list(LANGUAGES))


def detect(text: str) -> str:
    """ISO 639-1 code of the text's language; English when there is too little to tell."""
    body = _HANDLE_OR_LINK.sub(" ", text)
    found = _LETTERS.findall(body)
    letters = len(found)
    if letters < 3:
        return DEFAULT
    words = _WORD.findall(body.lower().replace("’", "'"))
    spanish = sum(w in _SPANISH_WORDS for w in words)
    english = sum(w in _ENGLISH_WORDS for w in words)
    portuguese = sum(w in _PORTUGUESE_WORDS for w in words)
    if _SPANISH_MARK.search(body) and english <= spanish:
        return "es"
    if portuguese > spanish:
        return "pt"
    if english >= 3 and not spanish and "".join(found).isascii():
        return "en"  # plainly English (emoji aside): langid would only agree, at a cost
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
