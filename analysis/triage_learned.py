"""The learned layer of comment triage, evaluated with numpy alone.

The rules (:mod:`analysis.flags`, the cue lists of :mod:`analysis.triage`) find
the categories they name; comments by a new author keep finding wordings they do
not. This layer reads each comment again with logistic regressions fitted on all
of the labelled comments (``python -m analysis.train_triage``) and adds what the
rules miss:

- features: word 1-2-grams and character 2-5-grams (TF-IDF, the featurizer of
  :mod:`analysis.sentiment_models.features`, on text normalised here *without*
  removing the policing words, which matter for threats and locating), and the
  rules' own answer (stance, score, flags, language; :data:`DENSE_FEATURES`),
  and, where the trainer chose them, the mean pretrained subword vector of the
  comment (:func:`semantic_features`), which carries meaning a paraphrase keeps;
- outputs: stance (3 classes) and one probability each for ``needs_reply``,
  ``hostile`` and ``safety``;
- decisions (:func:`decide`, by the model's :class:`Settings`): a flag is raised
  when the rules raise it or when its probability reaches the threshold stored with
  the model (a flag the model was not shipped for has no threshold; its hostile flag
  also needs the model's stance to be unsure the comment is supportive and may need
  the rules not to read it supportive; in languages other than English and Spanish
  its hostile and safety flags may need higher thresholds); a hostile comment, or one
  the rules flag safety, is never a lead (nor one the model flags safety, where the
  trainer chose ``safety_ends_lead``; nor one the model reads critical with at least
  ``lead_critical_ceiling``), and a hostile one is critical. The stance is the
  model's where it is sure enough (its top probability reaches the confidence stored
  with the model), for English and Spanish comments; elsewhere the rules' stance
  stands, and other languages keep the rules' low-confidence lean.

Which parts are shipped, and their thresholds, were chosen by leave-one-file-out
cross-validation (docs/sentiment.md, "Triage").
"""

from __future__ import annotations

import dataclasses
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from analysis import flags as rules
from analysis.sentiment_models import features
from analysis.sentiment_models.linear import (
    ModelFileError,
    TfidfBlock,
    _pack,
    _terms,
    _unpack,
    _vocabulary,
    softmax,
)

if TYPE_CHECKING:
    from analysis.triage import Triage

FORMAT_VERSION = 1
MODEL_NAME = "triage_learned.npz"
# Columns of the model's outputs: stance logits in triage.STANCES order, then one
# logit per flag.
STANCE_ORDER = ("critical", "neutral", "supportive")
FLAG_ORDER = (rules.NEEDS_REPLY, rules.HOSTILE, rules.SAFETY)
# The languages most labelled comments are in; the layer's stance is used in these alone.
MAIN_LANGUAGES = ("en", "es")
# The rules' answer as numbers: stance one-hot and score, the three flags, the language,
# a question mark, and the length (log of 1 + words, over 3).
DENSE_FEATURES = tuple(
    "rule_critical rule_neutral rule_supportive rule_score rule_needs_reply rule_hostile "
    "rule_safety lang_es lang_other question_mark log_words".split()
)

# The TF-IDF blocks: file name prefix, analyzer, whether terms are per word.
_BLOCKS = (("word", features.word_features, False), ("char", features.char_features, True))
# Semantic features: the mean of the pretrained subword vectors (the sentiment networks'
# tables: all-MiniLM-L6-v2-derived for English and other languages, the multilingual
# network's for Spanish), L2-normalised, in columns of their own per table.
SEMANTIC_WIDTH = 128
SEMANTIC_FEATURES = tuple(
    f"{table}_{k}" for table in ("sem_en", "sem_es") for k in range(SEMANTIC_WIDTH)
)
_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_REPEAT = re.compile(r"(.)\1{2,}")


def normalize(text: str) -> str:
    """Lower-cased, decoded text with links and handles neutralised; policing words kept."""
    text = features.decode_text(text).lower().replace("’", "'")
    text = _MENTION.sub("@user", _URL.sub(" ", text))
    return " ".join(_REPEAT.sub(r"\1\1", text).split())


def dense_features(
    texts: Sequence[str],
    stances: Sequence[str],
    scores: Sequence[float],
    flags: Sequence[frozenset[str]],
    langs: Sequence[str],
) -> np.ndarray:
    """The rules' answer for each comment, in :data:`DENSE_FEATURES` order."""
    out = np.zeros((len(texts), len(DENSE_FEATURES)))
    for i, text in enumerate(texts):
        out[i, STANCE_ORDER.index(stances[i])] = 1.0
        out[i, 3] = scores[i]
        for k, name in enumerate(FLAG_ORDER):
            out[i, 4 + k] = name in flags[i]
        out[i, 7] = langs[i] == "es"
        out[i, 8] = langs[i] not in MAIN_LANGUAGES
        out[i, 9] = "?" in text
        out[i, 10] = np.log1p(len(text.split())) / 3.0
    return out


def semantic_features(texts: Sequence[str], langs: Sequence[str]) -> np.ndarray:
    """The mean subword vector of each text, in :data:`SEMANTIC_FEATURES` order.

    A comment in Spanish is read by the Spanish network's table (the second half of the
    columns), any other by the English one (the first half). The subword ids come from the
    networks' own per-word cache, so the cost is a gather and a sum per comment.
    """
    from analysis.sentiment import default_model

    model = default_model()
    out = np.zeros((len(texts), len(SEMANTIC_FEATURES)))
    for half, network, rows in (
        (0, model.network, [i for i, lang in enumerate(langs) if lang != "es"]),
        (1, model.spanish_network, [i for i, lang in enumerate(langs) if lang == "es"]),
    ):
        if not rows:
            continue
        ids = network.token_ids([texts[i] for i in rows])
        # Without [CLS] and [SEP]: constants that would dominate a short comment's mean.
        inner = [s[1:-1] if len(s) > 2 else s for s in ids]
        lengths = np.fromiter((len(s) for s in inner), dtype=np.int64, count=len(inner))
        flat = np.fromiter((i for s in inner for i in s), dtype=np.int64, count=int(lengths.sum()))
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        # Each distinct subword's vector converted once (float16 -> float32 is slow), and
        # texts of equal length summed as one block (as the network itself does).
        distinct, position_of = np.unique(flat, return_inverse=True)
        vectors = network.table[distinct].astype(np.float32)
        sums = np.empty((len(inner), vectors.shape[1]), dtype=np.float32)
        for length in np.unique(lengths):
            same = np.flatnonzero(lengths == length)
            sums[same] = vectors[position_of[starts[same][:, None] + np.arange(length)]].sum(axis=1)
        sums = sums.astype(np.float64)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        cols = slice(half * SEMANTIC_WIDTH, (half + 1) * SEMANTIC_WIDTH)
        out[np.asarray(rows), cols] = sums / np.maximum(norms, 1e-12)
    return out


@dataclass(frozen=True)
class Settings:
    """How the layer's outputs become decisions (:func:`decide`): chosen by the trainer
    out of file and stored with the model. The defaults ship nothing of the layer's."""

    # One threshold per flag in :data:`FLAG_ORDER`; NaN: the flag is the rules' alone.
    thresholds: tuple[float, ...] = (float("nan"),) * len(FLAG_ORDER)
    # The learned stance replaces the rules' where its top probability reaches this;
    # NaN: the stance is the rules' alone.
    stance_confidence: float = float("nan")
    # The layer raises hostile only where its own stance reads the comment supportive with
    # a probability below this (1: everywhere): a prayer for officers' safety shares a
    # threat's words ("keep watching over them", "your time is coming") but not its stance.
    hostile_support_ceiling: float = 1.0
    # Whether the layer's own safety flag also takes a comment off the recruiters' list of
    # leads, as the rules' does (the trainer chooses it on the files: no labelled comment
    # is both, but a false safety alarm on a real lead would lose it).
    safety_ends_lead: bool = False
    # The hostile and safety thresholds for comments in languages other than English and
    # Spanish, where they are higher than ``thresholds``' (NaN: the same). Few labelled
    # comments are in each such language, so the layer may read an unfamiliar script as a
    # threat, or a parent's question in Korean as locating an officer; the trainer raises
    # them where the flag's precision in those languages falls below its floor.
    other_language_hostile: float = float("nan")
    other_language_safety: float = float("nan")
    # A comment the layer's own stance reads critical with at least this probability is not
    # a lead (1: no such rule): "where do I sign 🙄" and "are you hiring or not?" argue, and
    # few of the labelled leads are critical.
    lead_critical_ceiling: float = 1.0
    # Whether the layer's hostile flag spares a comment the rules read supportive (their
    # praise cues: "Hope y'all get some good ones. This county needs it" shares a threat's
    # "hope y'all get"); the rules' own hostile flag stands.
    hostile_spares_rules_praise: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "thresholds", tuple(float(t) for t in self.thresholds))
        if len(self.thresholds) != len(FLAG_ORDER):
            raise ValueError(f"one threshold per flag: {len(FLAG_ORDER)}")

    def check(self) -> None:
        """Refuse settings no trainer chooses (ValueError naming the setting): a model file
        holding them is broken, and a model is not written with them. The trainer's own
        trials may hold an other-language threshold below its flag's for a moment
        (:func:`decide` then applies the higher)."""
        for name in ("hostile_support_ceiling", "lead_critical_ceiling"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be one number in (0, 1]")
        for flag, name in OTHER_LANGUAGE.items():
            value, own = getattr(self, name), self.threshold(flag)
            if not (np.isnan(value) or own <= value <= 1.0):
                raise ValueError(
                    f"{name} must be NaN (not set) or one number from the {flag} threshold to 1"
                )

    def with_threshold(self, flag: str, value: float) -> Settings:
        """These settings with ``flag``'s threshold set to ``value``."""
        thresholds = list(self.thresholds)
        thresholds[FLAG_ORDER.index(flag)] = value
        return dataclasses.replace(self, thresholds=tuple(thresholds))

    def threshold(self, flag: str) -> float:
        return self.thresholds[FLAG_ORDER.index(flag)]


# The setting that holds each flag's threshold in languages other than English and Spanish,
# in the order the trainer chooses them (safety first: the model's safety flag can make a
# comment hostile, hostile never makes one safety).
OTHER_LANGUAGE = {rules.SAFETY: "other_language_safety", rules.HOSTILE: "other_language_hostile"}
# The settings stored in the model file as single numbers and as switches, by name (the
# thresholds are an array of their own); a file made before one lacks it and loads its
# default.
_NUMBERS = tuple(f.name for f in dataclasses.fields(Settings) if f.type == "float")
_SWITCHES = tuple(f.name for f in dataclasses.fields(Settings) if f.type == "bool")


@dataclass(frozen=True)
class LearnedTriage:
    """Word and character TF-IDF, the rules' answer and (if ``semantic``) the mean subword
    vector -> stance logits and flag logits."""

    word: TfidfBlock
    char: TfidfBlock
    coef: np.ndarray  # (n_word + n_char + len(DENSE_FEATURES), 3 + len(FLAG_ORDER))
    intercept: np.ndarray  # (3 + len(FLAG_ORDER),)
    # How the outputs become decisions (:func:`decide`).
    settings: Settings
    # Frequent words whose character n-gram columns are stored with the model, so the
    # per-word cache starts full without computing their n-grams at load time.
    warm_words: tuple[str, ...] = ()
    # Whether the coefficients end with rows for :data:`SEMANTIC_FEATURES` (then the
    # dense part given to :meth:`decision` holds them after :data:`DENSE_FEATURES`).
    semantic: bool = False

    def __post_init__(self) -> None:
        self.char.warm(self.warm_words)

    def decision(self, texts: Sequence[str], dense: np.ndarray) -> np.ndarray:
        """Raw output scores, one row per text: stance logits, then flag logits."""
        normalized = [normalize(t) for t in texts]
        # Both blocks' sparse entries, with the char columns after the word columns.
        docs, columns, values, offset = [], [], [], 0
        for block in (self.word, self.char):
            doc_ix, col_ix, value = block.rows(normalized)
            docs.append(doc_ix)
            columns.append(col_ix + offset)
            values.append(value)
            offset += len(block.idf)
        doc_ix, weighted = np.concatenate(docs), np.concatenate(values)
        terms = self.coef[np.concatenate(columns)]
        sparse_part = np.column_stack(
            [
                np.bincount(doc_ix, weights=terms[:, k] * weighted, minlength=len(texts))
                for k in range(self.coef.shape[1])
            ]
        )
        return sparse_part + dense @ self.coef[offset:] + self.intercept

    def probabilities(self, texts: Sequence[str], dense: np.ndarray) -> np.ndarray:
        """Stance probabilities (3 columns) and flag probabilities, one row per text."""
        scores = self.decision(texts, dense)
        flags = 1.0 / (1.0 + np.exp(-np.clip(scores[:, 3:], -30.0, 30.0)))
        return np.hstack([softmax(scores[:, :3]), flags])

    def save(self, path: Path) -> None:
        self.settings.check()
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh,
                format_version=np.array(FORMAT_VERSION),
                **{
                    f"{name}_{part}": values
                    for name, block in (("word", self.word), ("char", self.char))
                    for part, values in (
                        ("terms", _pack(_terms(block.vocabulary))),
                        ("idf", block.idf.astype(np.float32)),
                    )
                },
                coef=self.coef.astype(np.float32),
                intercept=self.intercept.astype(np.float32),
                thresholds=np.array(self.settings.thresholds, dtype=np.float64),
                semantic=np.array(self.semantic),
                **{
                    name: np.array(getattr(self.settings, name), dtype=np.float64)
                    for name in _NUMBERS
                },
                **{name: np.array(getattr(self.settings, name)) for name in _SWITCHES},
                warm_words=_pack(self.warm_words),
                warm_columns=np.concatenate(
                    [np.zeros(0, np.int32)]
                    + [np.frombuffer(self.char._word_columns[w], np.int32) for w in self.warm_words]
                ),
                warm_lengths=np.array(
                    [len(self.char._word_columns[w]) for w in self.warm_words], dtype=np.int32
                ),
            )

    @classmethod
    def load(cls, path: Path) -> LearnedTriage:
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
        except Exception as exc:  # OSError, BadZipFile, ValueError: a broken file
            raise ModelFileError(path, f"{type(exc).__name__}: {exc}") from exc
        version = arrays.get("format_version")
        if version is None or version.shape != () or int(version) != FORMAT_VERSION:
            shown = "missing" if version is None else version.tolist()
            raise ModelFileError(
                path, f"format version {shown}, this code reads {FORMAT_VERSION}; retrain it"
            )
        needed = {"word_terms", "word_idf", "char_terms", "char_idf", "coef", "intercept"}
        missing = needed | {"thresholds", "stance_confidence"}
        missing -= arrays.keys()
        if missing:
            raise ModelFileError(path, f"missing arrays: {', '.join(sorted(missing))}")
        try:
            word, char = (
                TfidfBlock(
                    analyzer, _vocabulary(arrays[f"{name}_terms"]), arrays[f"{name}_idf"], per_word
                )
                for name, analyzer, per_word in _BLOCKS
            )
        except UnicodeDecodeError as exc:
            raise ModelFileError(path, f"terms are not text: {exc}") from exc
        coef, intercept, thresholds = arrays["coef"], arrays["intercept"], arrays["thresholds"]
        outputs = 3 + len(FLAG_ORDER)
        switches = {name: arrays.get(name, np.array(False)) for name in ("semantic", *_SWITCHES)}
        for name, value in switches.items():
            if value.shape != () or value.dtype.kind != "b":
                raise ModelFileError(path, f"{name} must be a single true or false")
        semantic = bool(switches.pop("semantic"))
        rows = len(word.idf) + len(char.idf) + len(DENSE_FEATURES)
        rows += len(SEMANTIC_FEATURES) * semantic
        if (
            len(word.vocabulary) != len(word.idf)
            or len(char.vocabulary) != len(char.idf)
            or coef.shape != (rows, outputs)
            or intercept.shape != (outputs,)
            or thresholds.shape != (len(FLAG_ORDER),)
        ):
            raise ModelFileError(path, "array shapes do not fit together")
        for name in ("word_idf", "char_idf", "coef", "intercept"):
            if arrays[name].dtype.kind != "f" or not np.isfinite(arrays[name]).all():
                raise ModelFileError(path, f"{name} must hold finite floating-point numbers")
        defaults = Settings()
        numbers = {name: arrays.get(name, np.array(getattr(defaults, name))) for name in _NUMBERS}
        for name, value in numbers.items():
            if value.shape != () or value.dtype.kind != "f":
                raise ModelFileError(path, f"{name} must be one number")
        try:
            settings = Settings(
                thresholds=tuple(thresholds.astype(np.float64).tolist()),
                **{name: float(value) for name, value in numbers.items()},
                **{name: bool(value) for name, value in switches.items()},
            )
            settings.check()
        except ValueError as exc:
            raise ModelFileError(path, str(exc)) from exc
        _fill_cache(path, char, arrays)
        return cls(
            word,
            char,
            coef.astype(np.float64),
            intercept.astype(np.float64),
            settings,
            semantic=semantic,
        )


def _fill_cache(path: Path, char: TfidfBlock, arrays: dict[str, np.ndarray]) -> None:
    """Put the stored columns of the frequent words into the char block's per-word cache."""
    if "warm_words" not in arrays:
        return
    words = _unpack(arrays["warm_words"])
    lengths, columns = arrays["warm_lengths"], arrays["warm_columns"]
    if (
        lengths.shape != (len(words),)
        or lengths.dtype.kind not in "iu"
        or int(lengths.sum()) != len(columns)
        or (len(columns) and not 0 <= int(columns.min()) <= int(columns.max()) < len(char.idf))
    ):
        raise ModelFileError(path, "the stored word columns do not fit the vocabulary")
    raw = columns.astype(np.int32).tobytes()
    cache, start = char._word_columns, 0
    for word, length in zip(words, lengths.tolist(), strict=True):
        cache[word] = array("i", raw[4 * start : 4 * (start + length)])
        start += length


def decide(
    probabilities: np.ndarray,
    rule_stances: Sequence[str],
    rule_scores: Sequence[float],
    rule_flags: Sequence[frozenset[str]],
    langs: Sequence[str],
    settings: Settings,
    menace: Sequence[bool] | None = None,
    logistics: Sequence[bool] | None = None,
    applicant: Sequence[bool] | None = None,
    not_for_recruiters: Sequence[bool] | None = None,
    well_wished: Sequence[bool] | None = None,
) -> list[tuple[str, float, frozenset[str]]]:
    """Stance, score and flags of each comment from the rules' answer and the model's.

    ``menace`` says of each comment whether it speaks with menace
    (:func:`analysis.flags.menaces`): one the model flags safety is then a threat too,
    as the rules count one they flag. The model's safety flag is not raised on a comment
    about the commenter's own schedule or an event's time and place that names no one
    (``logistics``, :func:`analysis.flags.logistics_only`). A comment that is an
    applicant's own case or asks plainly for an answer (``applicant``,
    :func:`analysis.flags.stays_a_lead`) stays a lead where the model reads it critical.
    The model's lead is not raised on a resident's own business with the police or a
    question to a tagged friend or the pay guessed as a joke (``not_for_recruiters``,
    :func:`analysis.flags.not_for_recruiters`), nor its hostile flag on a wish that an
    injured officer gets well (``well_wished``, :func:`analysis.flags.wishes_well`).
    The rest is ``settings``' (:class:`Settings`): the model's hostile flag needs its
    stance's probability of supportive below
    ``hostile_support_ceiling``; with ``safety_ends_lead`` the model's safety flag takes a
    comment off the leads as the rules' does; in languages other than English and Spanish
    its hostile and safety flags need ``other_language_hostile`` and
    ``other_language_safety`` too, where set. A comment whose probability of critical
    reaches ``lead_critical_ceiling`` (below 1) is not a lead, whoever raised it (the
    model's stance, in every language and whatever its confidence: the trainer chose the
    ceiling so). With ``hostile_spares_rules_praise`` the model's hostile flag is not
    raised on a comment the rules read supportive.
    """
    s = settings
    # Which flags the model raises (NaN thresholds compare False: the rules' alone).
    with np.errstate(invalid="ignore"):
        raised = probabilities[:, 3:] >= np.asarray(s.thresholds)
    if s.hostile_support_ceiling < 1.0:
        raised[:, FLAG_ORDER.index(rules.HOSTILE)] &= (
            probabilities[:, 2] < s.hostile_support_ceiling
        )
    other = np.array([lang not in MAIN_LANGUAGES for lang in langs], dtype=bool)
    for flag, name in OTHER_LANGUAGE.items():
        threshold = getattr(s, name)
        if not np.isnan(threshold):
            k = FLAG_ORDER.index(flag)
            raised[other, k] &= probabilities[other, 3 + k] >= threshold
    if s.hostile_spares_rules_praise:
        praised = np.array([stance == "supportive" for stance in rule_stances], dtype=bool)
        raised[praised, FLAG_ORDER.index(rules.HOSTILE)] = False
    if logistics is not None:
        raised[:, FLAG_ORDER.index(rules.SAFETY)] &= ~np.asarray(logistics, dtype=bool)
    if well_wished is not None:
        raised[:, FLAG_ORDER.index(rules.HOSTILE)] &= ~np.asarray(well_wished, dtype=bool)
    if not_for_recruiters is not None:
        raised[:, FLAG_ORDER.index(rules.NEEDS_REPLY)] &= ~np.asarray(
            not_for_recruiters, dtype=bool
        )
    learned_stance = probabilities[:, :3].argmax(axis=1)
    with np.errstate(invalid="ignore"):
        confident = (probabilities[:, :3].max(axis=1) >= s.stance_confidence).tolist()
    learned_score = np.clip(probabilities[:, 2] - probabilities[:, 0], -1.0, 1.0).tolist()
    arguing = (probabilities[:, 0] >= s.lead_critical_ceiling) & (s.lead_critical_ceiling < 1.0)
    if applicant is not None:
        arguing &= ~np.asarray(applicant, dtype=bool)
    out = []
    for i, on in enumerate(raised.tolist()):
        found = set(rule_flags[i])
        found.discard(rules.CRITICAL)
        found.update(name for name, up in zip(FLAG_ORDER, on, strict=True) if up)
        if menace is not None and menace[i] and rules.SAFETY in found:
            found.add(rules.HOSTILE)
        if (
            rules.HOSTILE in found
            or rules.SAFETY in (found if s.safety_ends_lead else rule_flags[i])
            or arguing[i]
        ):
            # Never a lead for a recruiter to answer: a threat, a comment read as
            # locating an officer, or one read as critical. Without ``safety_ends_lead``,
            # where only the model reads safety, a lead stays (both flags show: the
            # recruiter answers, someone reviews).
            found.discard(rules.NEEDS_REPLY)
        stance, score = rule_stances[i], rule_scores[i]
        if confident[i] and langs[i] in MAIN_LANGUAGES:
            stance, score = STANCE_ORDER[learned_stance[i]], learned_score[i]
        if rules.HOSTILE in found and stance != "critical":
            stance, score = "critical", min(score, -0.5)
        if stance == "critical":
            found.add(rules.CRITICAL)
        out.append((stance, score, frozenset(found)))
    return out


def model_path():
    """Where the shipped model file is (a clear error if it is missing)."""
    path = resources.files("analysis.sentiment_models") / MODEL_NAME
    if not path.is_file():
        raise ModelFileError(
            Path(str(path)),
            "the file is missing; reinstall beatpost or rebuild it with "
            "python -m analysis.train_triage",
        )
    return path


@cache
def learned_model() -> LearnedTriage:
    """The shipped learned layer, loaded once per process."""
    with resources.as_file(model_path()) as path:
        return LearnedTriage.load(path)


def refine(texts: Sequence[str], results: Sequence[Triage]) -> list[Triage]:
    """The rules' results, with the learned layer's additions."""
    if not results:
        return []
    model = learned_model()
    stances = [r.stance for r in results]
    scores = [r.score for r in results]
    flags = [r.flags for r in results]
    langs = [r.lang for r in results]
    dense = dense_features(texts, stances, scores, flags, langs)
    if model.semantic:
        dense = np.hstack([dense, semantic_features(texts, langs)])
    probabilities = model.probabilities(texts, dense)
    # Menace, logistics, a lead that stays and a comment no recruiter answers change a
    # comment's flags only where it is read as locating someone, as critical past the lead
    # ceiling or as a lead: they are read there alone (a NaN threshold is never reached).
    settings = model.settings
    k = FLAG_ORDER.index(rules.SAFETY)
    n = FLAG_ORDER.index(rules.NEEDS_REPLY)
    h = FLAG_ORDER.index(rules.HOSTILE)
    with np.errstate(invalid="ignore"):
        located = (probabilities[:, 3 + k] >= settings.thresholds[k]).tolist()
        asked = (probabilities[:, 3 + n] >= settings.thresholds[n]).tolist()
        threatened = (probabilities[:, 3 + h] >= settings.thresholds[h]).tolist()
        arguing = (probabilities[:, 0] >= settings.lead_critical_ceiling).tolist()
    decided = decide(
        probabilities,
        stances,
        scores,
        flags,
        langs,
        settings,
        [
            (up or rules.SAFETY in f) and rules.menaces(t)
            for t, f, up in zip(texts, flags, located, strict=True)
        ],
        [up and rules.logistics_only(t) for t, up in zip(texts, located, strict=True)],
        [up and rules.stays_a_lead(t) for t, up in zip(texts, arguing, strict=True)],
        [up and rules.not_for_recruiters(t) for t, up in zip(texts, asked, strict=True)],
        [up and rules.wishes_well(t) for t, up in zip(texts, threatened, strict=True)],
    )
    return [
        dataclasses.replace(r, stance=stance, score=score, flags=found)
        for r, (stance, score, found) in zip(results, decided, strict=True)
    ]
