"""Train the learned layer of comment triage (:mod:`analysis.triage_learned`).

    python -m analysis.train_triage [--output FILE] [--report-only] [--jobs N] [--cache FILE]
                                    [--no-semantic]

Reads the labelled comment files of tests/data (:data:`FILES`), each by its own author or
round. Every choice is made by leave-one-file-out cross-validation: the layer is fitted on
all files but one and scores that one, so it is rewarded for reading a new author's
comments, not for fitting one. Per target (stance, and ``needs_reply``, ``hostile``,
``safety``) the regularisation C and, for a flag, the probability threshold are chosen on
those out-of-file scores; a flag's threshold must keep precision (``needs_reply`` >= 0.85 in
every comment section and pooled over all files, or no lower than the rules alone where they
are already below it; ``hostile`` >= 0.85 pooled over the files with at most 1 % of
supportive comments flagged hostile, pooled over the comment sections (not the files written
to train) and in each unless the rules alone already flag more there; ``safety`` >= 0.80
pooled). The hostile flag must also keep its floor pooled over the comments in languages
other than English and Spanish (few labelled comments are in each; or no lower than where
the layer flags none there), or a higher threshold is chosen for them, and the hostile flag
is then chosen again beside it, with and without sparing the comments the rules read
supportive (the second where it finds no fewer threats).
So must the safety flag (a parent's question in Korean read as locating an officer would also
lose a lead), and its own threshold is then chosen again beside its other-language one.
The learned stance replaces the rules' where it is at least as sure as the highest
confidence within :data:`STANCE_MARGIN` of the best mean. A target is shipped only when the
rules plus the layer beat the rules alone on the mean of the files. Leads are then chosen
again beside the chosen hostile and safety flags and stance: with and without the model's
safety flag taking a comment off the leads as the rules' does (no labelled comment is both),
and with a comment the learned stance reads critical with at least some probability taken
off them too (few labelled leads are critical); of those that keep the precision floor, the
most precise pooled of those whose mean lead recall reaches :data:`LEAD_RECALL_TARGET` (ties
to the gentler; where none does, the highest recall). The semantic features
(:func:`analysis.triage_learned.semantic_features`) are tried for every target too, and kept
for one only where they add :data:`SEMANTIC_MARGIN` to its mean figure over the layer
without them. The final model is fitted on all files and written to
``analysis/sentiment_models/triage_learned.npz`` with its card ``triage_learned.json`` (the
per-file figures).

scikit-learn is needed here only; the run-time reader is numpy.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analysis.flags import (
    HOSTILE,
    NEEDS_REPLY,
    SAFETY,
    logistics_only,
    menaces,
    not_for_recruiters,
    stays_a_lead,
    wishes_well,
)
from analysis.sentiment_models import features
from analysis.sentiment_models.linear import TfidfBlock
from analysis.triage import STANCES, rule_triage
from analysis.triage_eval import load
from analysis.triage_learned import (
    DENSE_FEATURES,
    FLAG_ORDER,
    MAIN_LANGUAGES,
    MODEL_NAME,
    OTHER_LANGUAGE,
    SEMANTIC_FEATURES,
    STANCE_ORDER,
    LearnedTriage,
    Settings,
    decide,
    dense_features,
    normalize,
    semantic_features,
)

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
# The labelled files, each its own "author" for cross-validation. comments_heldout4.csv to
# comments_heldout33.csv were the blind tests of rounds 12 to 29; once scored, each joined
# them (a new blind file is scored by others). comments_train1.csv to comments_train34.csv
# were written to be learned from (rounds 19 to 30): most rich in threats, exposure and their
# innocent look-alikes, some in the look-alikes (well-wishes, prayers, trash talk); 15 to 17
# in threats in other languages, hate speech against groups beside opinions stated without
# abuse, and the borders of a lead and of exposure; 18 in threats to officers in everyday
# English beside their look-alikes; 19 in Spanish and Spanglish comments of every kind;
# 20 to 22 in finding an officer, leads without a question mark and telling officers to kill
# themselves; 23 in leads in twelve languages beside their look-alikes; 24 in the border of
# a lead in English and Spanish (interest without a question, questions among commenters);
# 25 in threats without a threat word (weapon emoji aimed at a photo's officers, "target
# practice", "see you after your shift") beside range days and sincere well-wishes; 26 in
# wishing death on officers and slurs in Spanish and other languages beside harsh criticism
# and idioms of death ("me muero de ganas de aplicar"); 27 in leads that speak of the
# applicant's own family, body or car beside exposing an officer's, veiled threats beside
# well-wishes, and criticism, threats and leads in languages other than English and Spanish;
# 28 in the border of a lead (rhetorical questions about pay and hiring, questions about
# incidents, tagged friends); 29 in threats that name no harm and nosy questions about an
# officer beside their look-alikes; 30 in threats a keyword model misses (no harm word,
# prayers and jokes, Spanish, spelled-around slurs) beside harsh criticism and dark humour;
# 31 in leads without a question mark, in Spanish, Korean and Vietnamese, beside complaints
# about past applications, jokes and praise that mention applying; 32 in sexual harassment
# of officers and slurs beside sincere compliments and innocent uses of the same words; 33 in
# threats in languages other than English and veiled conditional threats beside criticism and
# leads in the same languages; 34 in the border between exposing an officer and threatening
# one (gossip about where an officer lives beside the same with menace).
FILES = (
    "comments_dev.csv",
    "comments_dev9.csv",
    "comments_heldout.csv",
    "comments_heldout2.csv",
    "comments_heldout3.csv",
    "comments_heldout4.csv",
    "comments_heldout5.csv",
    "comments_heldout6.csv",
    "comments_heldout7.csv",
    "comments_heldout8.csv",
    "comments_heldout9.csv",
    "comments_heldout10.csv",
    "comments_heldout11.csv",
    "comments_heldout12.csv",
    "comments_heldout13.csv",
    "comments_heldout14.csv",
    "comments_heldout15.csv",
    "comments_heldout16.csv",
    "comments_heldout17.csv",
    "comments_heldout18.csv",
    "comments_heldout19.csv",
    "comments_heldout20.csv",
    "comments_heldout21.csv",
    "comments_heldout22.csv",
    "comments_heldout23.csv",
    "comments_heldout24.csv",
    "comments_heldout25.csv",
    "comments_heldout26.csv",
    "comments_heldout27.csv",
    "comments_heldout28.csv",
    "comments_heldout29.csv",
    "comments_heldout30.csv",
    "comments_heldout31.csv",
    "comments_heldout32.csv",
    "comments_heldout33.csv",
    "comments_train1.csv",
    "comments_train2.csv",
    "comments_train3.csv",
    "comments_train4.csv",
    "comments_train5.csv",
    "comments_train6.csv",
    "comments_train7.csv",
    "comments_train8.csv",
    "comments_train9.csv",
    "comments_train10.csv",
    "comments_train11.csv",
    "comments_train12.csv",
    "comments_train13.csv",
    "comments_train14.csv",
    "comments_train15.csv",
    "comments_train16.csv",
    "comments_train17.csv",
    "comments_train18.csv",
    "comments_train19.csv",
    "comments_train20.csv",
    "comments_train21.csv",
    "comments_train22.csv",
    "comments_train23.csv",
    "comments_train24.csv",
    "comments_train25.csv",
    "comments_train26.csv",
    "comments_train27.csv",
    "comments_train28.csv",
    "comments_train29.csv",
    "comments_train30.csv",
    "comments_train31.csv",
    "comments_train32.csv",
    "comments_train33.csv",
    "comments_train34.csv",
    "comments_heldout34.csv",
    "comments_heldout35.csv",
    "comments_heldout36.csv",
    "comments_heldout37.csv",
    "comments_heldout38.csv",
    "comments_heldout39.csv",
    "comments_train35.csv",
    "comments_train36.csv",
    "comments_train37.csv",
    "comments_train38.csv",
)
# Round 33 fitted the layer on the 69 files before it and on heldout34 to heldout39 (the
# blind tests of rounds 30 to 32, scored and then read) and train35 to train38 (written to be
# learned from: 35 in insults aimed at the officers in a photo, 36 in threats in languages
# other than English, 37 in harm wished as a prayer, a joke or an emoji beside sincere
# prayers and the slogan condemned, 38 in exposure said as gossip beside the same with
# menace); rounds 31 and 32 had fitted models on most of them and not shipped them
# (docs/sentiment.md, "Round 31" to "Round 33").
# Labelled files read but not fitted: since round 34, heldout40 to heldout43 (the blind tests
# of rounds 32 and 33, scored on round 33's layer and then read; round 34's rules were written
# from their misses) and train39 to train41 (written to be learned from: 39 in threats with no
# threat word, a laugh after a threat, insults and harassment of a pictured officer beside
# friends' teasing and sincere prayers; 40 in threats, exposure and leads in eighteen
# languages other than English and Spanish; 41 in Spanish and Spanglish threats, death wishes
# and harassment beside idioms of death and proud families). A model fitted on them with the
# 79 in round 34 missed the bar set before its fit and was not shipped (docs/sentiment.md,
# "Round 34"). Since round 35 also heldout44 to heldout47 (round 34's blind tests, scored
# and then read; round 35's rules were written from their lost leads); a model fitted on
# all 90 in round 35 (--no-semantic) found more threats out of file but missed the same
# kind of bar on safety precision and was not shipped either (docs/sentiment.md, "Round
# 35"). Since round 36 also heldout48 to heldout51 (round 35's blind tests, scored and then
# read; round 36's rules were written from their lost leads and missed threats); a model
# fitted on all 94 in round 36 (--no-semantic) found fewer threats out of file than round
# 33's (its hostile threshold rose to 0.8) and was not shipped (docs/sentiment.md, "Round
# 36"). Since round 37 also heldout52 to heldout55 (round 36's blind tests, scored and then
# read; round 37's rules were written from their lost leads and missed threats) and
# train42 and train43 (written in round 37 to be read: 500 comments, 340 of them leads in
# every form and 160 look-alikes, Toledo and El Paso, one of them half Spanish). Since round
# 38 also heldout56 to heldout63 (round 37's and round 38's first blind tests, scored and
# then read), and since round 39 heldout64 to heldout67 (round 38's last blind tests, scored
# on its final layer and then read; round 39's rules were written from their misses) and
# heldout68 to heldout71 (round 39's first blind tests, scored on its first rules and then
# read), and heldout72 to heldout75 (its second, scored on 5344522 and then read for their
# threats).
# bench/triage.py scores a file listed here beside the fitted files.
READ_NOT_FITTED = (
    "comments_heldout40.csv",
    "comments_heldout41.csv",
    "comments_heldout42.csv",
    "comments_heldout43.csv",
    "comments_train39.csv",
    "comments_train40.csv",
    "comments_train41.csv",
    "comments_heldout44.csv",
    "comments_heldout45.csv",
    "comments_heldout46.csv",
    "comments_heldout47.csv",
    "comments_heldout48.csv",
    "comments_heldout49.csv",
    "comments_heldout50.csv",
    "comments_heldout51.csv",
    "comments_heldout52.csv",
    "comments_heldout53.csv",
    "comments_heldout54.csv",
    "comments_heldout55.csv",
    "comments_train42.csv",
    "comments_train43.csv",
    "comments_heldout56.csv",
    "comments_heldout57.csv",
    "comments_heldout58.csv",
    "comments_heldout59.csv",
    "comments_heldout60.csv",
    "comments_heldout61.csv",
    "comments_heldout62.csv",
    "comments_heldout63.csv",
    "comments_heldout64.csv",
    "comments_heldout65.csv",
    "comments_heldout66.csv",
    "comments_heldout67.csv",
    "comments_heldout68.csv",
    "comments_heldout69.csv",
    "comments_heldout70.csv",
    "comments_heldout71.csv",
    "comments_heldout72.csv",
    "comments_heldout73.csv",
    "comments_heldout74.csv",
    "comments_heldout75.csv",
)
OUTPUT = REPO / "analysis" / "sentiment_models" / MODEL_NAME
# Rounds 12 and 13 chose 3 or 10 for every target; with the semantic variants the
# search would double, so 0.3 and 1 are no longer tried.
C_GRID = (3.0, 10.0)
THRESHOLDS = tuple(np.round(np.arange(0.05, 0.951, 0.05), 2))
# The learned stance replaces the rules' only where its top probability reaches one of these.
CONFIDENCES = (0.0, 0.5, 0.6, 0.7, 0.8)
PRECISION_FLOOR = {NEEDS_REPLY: 0.85, HOSTILE: 0.85, SAFETY: 0.80}
SUPPORTIVE_HOSTILE_CEILING = 0.01
# The layer's hostile flag may also need its stance's P(supportive) below one of these
# (1: no such gate); well-wishes share a threat's words, not its stance (round 19).
SUPPORT_CEILINGS = (1.0, 0.3, 0.2, 0.1)
# A comment the learned stance reads critical with at least one of these is not a lead
# (1: no such rule): few labelled leads are critical (82 of 4,472 in round 26's files), and
# most of heldout26's and heldout27's false leads were arguments ("where do I sign 🙄").
LEAD_CRITICAL_CEILINGS = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5)
# Leads: of the choices at the precision floor, the most precise whose mean recall out of
# file reaches this (the goal, 0.95, and a point to spare for a new author), rather than
# the highest recall bought with any precision (where none reaches it, the highest recall).
# The blind files of rounds 22 to 26 scored lead recall 0.91 to 1.00 but precision 0.82 to
# 0.92, below 0.85 in four of eight, where out of file it was 0.86 to 0.88.
LEAD_RECALL_TARGET = 0.96
# Files written to be learned from, rich in threats and their look-alikes: their share of
# supportive comments flagged hostile is no comment section's, so they count in neither the
# pooled nor the per-file ceiling (per file since round 19, pooled since round 32); they
# count in the hostile flag's pooled precision.
WRITTEN_TO_TRAIN = "comments_train"
MIN_DF = 2
# What the semantic features must add to a target's mean figure out of file to be
# shipped for it: round 14's stance gain (+0.006) came with a misread praise ("The
# officer who came to our school answered every single question my kids had" read
# neutral) and a lower Spanish tweet F1 (0.603 -> 0.548), and a flag's tie in recall is
# no reason to pay for them.
SEMANTIC_MARGIN = 0.01
# The learned stance replaces the rules' where its top probability reaches a confidence; a
# lower one (the model over more of the rules' cues) is chosen only where it adds this much
# to the files' mean stance macro recall. Round 22's plain best, 0.0 over 0.5, came with
# "Kudos to the academy staff" and "They treated my brother with such compassion that
# night" read otherwise, for a gain within the files' noise.
STANCE_MARGIN = 0.005
# Feature sets tried per target: the text and the rules' answer, or the text alone
# (with the language and question mark): the rules were tuned on most of the files,
# so a model fitted on their answer may trust it more than a new author deserves.
# Each also with the semantic features (the mean subword vector) or without.
_TEXT_ONLY = ("lang_es", "lang_other", "question_mark", "log_words")
_RULES = np.ones(len(DENSE_FEATURES))
_TEXT = np.array([float(name in _TEXT_ONLY) for name in DENSE_FEATURES])
_NO_SEM, _SEM = np.zeros(len(SEMANTIC_FEATURES)), np.ones(len(SEMANTIC_FEATURES))
VARIANTS = {
    "rules": np.concatenate([_RULES, _NO_SEM]),
    "text": np.concatenate([_TEXT, _NO_SEM]),
    "rules+semantic": np.concatenate([_RULES, _SEM]),
    "text+semantic": np.concatenate([_TEXT, _SEM]),
}

assert STANCES == STANCE_ORDER


def _word(text: str) -> list[str]:
    return features.word_features(normalize(text))


def _char(text: str) -> list[str]:
    return features.char_features(normalize(text))


class _Data:
    """One file's comments, labels and the rules' answer."""

    def __init__(self, name: str) -> None:
        comments = load(DATA / name)
        self.name = name
        self.texts = [c.text for c in comments]
        self.menace = [menaces(t) for t in self.texts]
        self.logistics = [logistics_only(t) for t in self.texts]
        self.applicant = [stays_a_lead(t) for t in self.texts]
        self.not_for_recruiters = [not_for_recruiters(t) for t in self.texts]
        self.well_wished = [wishes_well(t) for t in self.texts]
        self.stance = np.array([STANCE_ORDER.index(c.stance) for c in comments])
        self.flags = np.array([[f in c.flags for f in FLAG_ORDER] for c in comments])
        self.spanish = np.array([c.lang == "es" for c in comments])
        rules = rule_triage(self.texts)
        self.rule_stances = [r.stance for r in rules]
        self.rule_scores = [r.score for r in rules]
        self.rule_flags = [r.flags for r in rules]
        self.langs = [r.lang for r in rules]
        # The rules' answer, then the semantic features (VARIANTS picks among them).
        self.dense = np.hstack(
            [
                dense_features(
                    self.texts, self.rule_stances, self.rule_scores, self.rule_flags, self.langs
                ),
                semantic_features(self.texts, self.langs),
            ]
        )


def _vectorizers():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return [
        TfidfVectorizer(analyzer=a, sublinear_tf=True, min_df=MIN_DF, dtype=np.float64)
        for a in (_word, _char)
    ]


def _matrix(vectorizers, texts, dense, fit: bool):
    from scipy import sparse

    blocks = [v.fit_transform(texts) if fit else v.transform(texts) for v in vectorizers]
    return sparse.hstack([*blocks, sparse.csr_matrix(dense)]).tocsr()


def _fit(x, y, c: float, multiclass: bool):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(
        C=c,
        class_weight="balanced",
        max_iter=3000,
        solver="lbfgs" if multiclass else "liblinear",
        random_state=0,
    )
    return model.fit(x, y)


def _probabilities(models: dict, x) -> np.ndarray:
    """Stance probabilities then flag probabilities, as the run-time layer gives them."""
    stance = models["stance"].predict_proba(x)
    flags = [models[f].predict_proba(x)[:, 1] for f in FLAG_ORDER]
    return np.column_stack([stance, *flags])


def _recall(truth: np.ndarray, predicted: np.ndarray) -> float:
    return float((truth & predicted).sum() / truth.sum()) if truth.sum() else 1.0


def _precision(truth: np.ndarray, predicted: np.ndarray) -> float:
    return float((truth & predicted).sum() / predicted.sum()) if predicted.sum() else 1.0


def _macro_recall(truth: np.ndarray, predicted: np.ndarray) -> float:
    present = [k for k in range(3) if (truth == k).any()]
    return float(
        np.mean([((predicted == k) & (truth == k)).sum() / (truth == k).sum() for k in present])
    )


def _figures(data: _Data, decided) -> dict[str, float]:
    """Per-target figures of one file for one set of decisions."""
    stance = np.array([STANCE_ORDER.index(s) for s, _, _ in decided])
    flags = np.array([[f in found for f in FLAG_ORDER] for _, _, found in decided])
    supportive = data.stance == 2
    out = {
        "stance_macro_recall": _macro_recall(data.stance, stance),
        "spanish_stance_macro_recall": _macro_recall(
            data.stance[data.spanish], stance[data.spanish]
        ),
        "supportive_flagged_hostile": float(flags[supportive, 1].mean()),
    }
    for k, name in enumerate(FLAG_ORDER):
        out[f"{name}_precision"] = _precision(data.flags[:, k], flags[:, k])
        out[f"{name}_recall"] = _recall(data.flags[:, k], flags[:, k])
        out[f"{name}_tp"] = int((data.flags[:, k] & flags[:, k]).sum())
        out[f"{name}_predicted"] = int(flags[:, k].sum())
        out[f"{name}_support"] = int(data.flags[:, k].sum())
    # The supportive rail (_precision_kept) counts false alarms: a supportive comment the
    # labels call hostile too (harassment written as praise, "she can put me in handcuffs
    # anytime 😏 get me her number") is a threat found, not praise misread. Counted in, two
    # such comments of heldout48 kept that file over its allowance at every hostile
    # threshold from 0.6 to 0.9 (round 37's examination, docs/sentiment.md).
    out["supportive_hostile_count"] = int(flags[supportive & ~data.flags[:, 1], 1].sum())
    out["supportive_count"] = int(supportive.sum())
    return out


def _decide(data: _Data, probs: np.ndarray, settings: Settings):
    return decide(
        probs,
        data.rule_stances,
        data.rule_scores,
        data.rule_flags,
        data.langs,
        settings,
        data.menace,
        data.logistics,
        data.applicant,
        data.not_for_recruiters,
        data.well_wished,
    )


def _rules_alone(data: _Data):
    return _decide(data, np.zeros((len(data.texts), 6)), Settings())


def _fold(
    files: list[_Data], held: _Data, variants: Sequence[str]
) -> dict[tuple[str, float], np.ndarray]:
    """The probabilities of one held-out file, per feature set (of ``variants``) and C,
    fitted on the others."""
    train = [f for f in files if f is not held]
    vectorizers = _vectorizers()
    texts = [t for f in train for t in f.texts]
    dense = np.vstack([f.dense for f in train])
    x = _matrix(vectorizers, texts, dense, fit=True)
    y = {"stance": np.concatenate([f.stance for f in train])}
    for k, name in enumerate(FLAG_ORDER):
        y[name] = np.concatenate([f.flags[:, k] for f in train]).astype(int)
    out = {}
    for variant in variants:
        mask = VARIANTS[variant]
        x_v = _masked(x, mask)
        x_held = _masked(_matrix(vectorizers, held.texts, held.dense, fit=False), mask)
        for c in C_GRID:
            models = {t: _fit(x_v, y[t], c, t == "stance") for t in y}
            out[variant, c] = _probabilities(models, x_held)
    print(f"  fold {held.name}: done", file=sys.stderr)
    return out


def cross_validate(
    files: list[_Data], jobs: int = 1, variants: Sequence[str] = tuple(VARIANTS)
) -> dict[tuple[str, float], list[np.ndarray]]:
    """Out-of-file probabilities of every file, per feature set and C (folds on ``jobs`` cores)."""
    from joblib import Parallel, delayed

    folds = Parallel(n_jobs=jobs)(delayed(_fold)(files, held, variants) for held in files)
    return {key: [fold[key] for fold in folds] for key in folds[0]}


def fingerprint(names: Sequence[str], variants: Sequence[str] = tuple(VARIANTS)) -> str:
    """What out-of-file probabilities depend on: the labelled files, the code and models of
    ``analysis/`` that read a comment (all but this trainer and its output), the grid."""
    import hashlib

    digest = hashlib.sha256(repr((C_GRID, sorted(variants), MIN_DF)).encode())
    for name in names:
        digest.update(name.encode() + b"\0" + (DATA / name).read_bytes())
    package = REPO / "analysis"
    skip = {Path(__file__).resolve(), OUTPUT.resolve(), OUTPUT.with_suffix(".json").resolve()}
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.resolve() not in skip and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cached_cross_validate(
    files: list[_Data], jobs: int, cache: Path | None, variants: Sequence[str] = tuple(VARIANTS)
) -> dict:
    """:func:`cross_validate`, kept in ``cache`` (an .npz) and read back from it while the
    files and code are those it was made from (:func:`fingerprint`): a choice made again
    after a change to the trainer's rules of choice need not refit every fold."""
    stamp = fingerprint([f.name for f in files], variants)
    if cache is not None and cache.is_file():
        try:
            with np.load(cache, allow_pickle=False) as data:
                if str(data["fingerprint"]) == stamp:
                    keys = json.loads(str(data["keys"]))
                    oof = {
                        (variant, c): [data[f"k{j}_f{i}"] for i in range(len(files))]
                        for j, (variant, c) in enumerate(keys)
                    }
                    print(f"out-of-file probabilities read from {cache}", file=sys.stderr)
                    return oof
            print(f"{cache} was made from other files or code: cross-validating", file=sys.stderr)
        except Exception as exc:  # OSError, BadZipFile, KeyError, ValueError: a broken file
            print(f"{cache} could not be read ({exc}): cross-validating", file=sys.stderr)
    oof = cross_validate(files, jobs, variants)
    if cache is not None:
        keys = list(oof)
        arrays = {
            f"k{j}_f{i}": probs for j, key in enumerate(keys) for i, probs in enumerate(oof[key])
        }
        partial = cache.with_name(cache.name + ".partial")  # a crash leaves no half cache
        with open(partial, "wb") as fh:
            np.savez_compressed(
                fh, fingerprint=np.array(stamp), keys=np.array(json.dumps(keys)), **arrays
            )
        partial.replace(cache)
    return oof


def _masked(x, mask: np.ndarray):
    """The matrix with the dense columns outside ``mask`` zeroed (their weights stay 0)."""
    from scipy import sparse

    keep = np.concatenate([np.ones(x.shape[1] - len(mask)), mask])
    return (x @ sparse.diags(keep)).tocsr()


def _precision_kept(
    flag: str, per_file: list[dict], rules: list[dict], names: Sequence[str]
) -> bool:
    """Whether a flag's decisions keep the precision asked of it (module docstring)."""
    if flag == NEEDS_REPLY:
        # Every comment section: a PIO must be able to trust each week's list of leads.
        # Where the rules alone are already below the floor, the layer may not make them
        # worse. A file written to be learned from is dense in look-alikes, no week's
        # comments: it counts in the pooled precision only (as for hostile, round 24).
        def kept(tp: float, predicted: float, rules_precision: float) -> bool:
            floor = min(PRECISION_FLOOR[flag], rules_precision)
            return tp >= floor * predicted - 1e-9

        rules_predicted = sum(r[f"{flag}_predicted"] for r in rules)
        pooled_rules = (
            sum(r[f"{flag}_tp"] for r in rules) / rules_predicted if rules_predicted else 1.0
        )
        return kept(
            sum(f[f"{flag}_tp"] for f in per_file),
            sum(f[f"{flag}_predicted"] for f in per_file),
            pooled_rules,
        ) and all(
            kept(f[f"{flag}_tp"], f[f"{flag}_predicted"], r[f"{flag}_precision"])
            for name, f, r in zip(names, per_file, rules, strict=True)
            if not name.startswith(WRITTEN_TO_TRAIN)
        )
    tp = sum(f[f"{flag}_tp"] for f in per_file)
    predicted = sum(f[f"{flag}_predicted"] for f in per_file)
    if predicted and tp / predicted < PRECISION_FLOOR[flag]:
        return False
    if flag == HOSTILE:
        # Pooled over the comment sections, and in each: the layer flags no more supportive
        # comments hostile than 1 % (or than the rules alone already do there). In each
        # section, 1 % is rounded up to whole comments. The files written to train do not
        # count (round 32): their supportive comments were written to look like threats, so
        # their share flagged is no comment section's. Pooled in, one such file (round 31's
        # sincere prayers) held the flag's threshold up for every section.
        sections = [
            f
            for name, f in zip(names, per_file, strict=True)
            if not name.startswith(WRITTEN_TO_TRAIN)
        ]
        flagged = sum(f["supportive_hostile_count"] for f in sections)
        supportive = sum(f["supportive_count"] for f in sections)
        allowed = [
            np.inf
            if name.startswith(WRITTEN_TO_TRAIN)
            else max(
                np.ceil(SUPPORTIVE_HOSTILE_CEILING * f["supportive_count"]),
                r["supportive_hostile_count"],
            )
            for name, f, r in zip(names, per_file, rules, strict=True)
        ]
        return flagged <= SUPPORTIVE_HOSTILE_CEILING * supportive and all(
            f["supportive_hostile_count"] <= most for f, most in zip(per_file, allowed, strict=True)
        )
    return True


def conservative_stance(
    candidates: Sequence[tuple[float, tuple, float]], margin: float = STANCE_MARGIN
) -> tuple[float, tuple, float]:
    """Of ``(mean stance macro recall, key, confidence)`` candidates, the one with the highest
    confidence among those within ``margin`` of the best mean (then the best mean)."""
    top = max(score for score, _, _ in candidates)
    near = [c for c in candidates if c[0] >= top - margin - 1e-12]
    return max(near, key=lambda c: (c[2], c[0]))


def choose(files: list[_Data], oof: dict[float, list[np.ndarray]]) -> dict:
    """Feature set and C per target (``"C"``) and the :class:`Settings` (``"settings"``):
    thresholds per flag, whether the learned stance is used, the supportive ceiling of the
    hostile flag, its threshold in other languages and whether it spares the rules' praise,
    the safety flag's threshold in other languages, whether the model's safety ends a lead
    and the lead's critical ceiling."""
    rules = [_figures(f, _rules_alone(f)) for f in files]

    def mean(per_file: list[dict], key: str) -> float:
        return float(np.mean([f[key] for f in per_file]))

    choice: dict = {"C": {}, "settings": Settings()}
    candidates = [
        (
            mean(
                [
                    _figures(f, _decide(f, p, Settings(stance_confidence=confidence)))
                    for f, p in zip(files, probs, strict=True)
                ],
                "stance_macro_recall",
            ),
            key,
            confidence,
        )
        for key, probs in oof.items()
        for confidence in CONFIDENCES
    ]
    best_stance = (mean(rules, "stance_macro_recall"), None, np.nan)
    for score, key, confidence in sorted(candidates, reverse=True)[:6]:
        print(f"stance {score:.4f}: {key} confidence {confidence}", file=sys.stderr)
    if candidates and max(c[0] for c in candidates) > best_stance[0] + 1e-9:
        best_stance = conservative_stance(candidates)
    if best_stance[1] is not None:
        choice["C"]["stance"] = best_stance[1]
        _update(choice, stance_confidence=best_stance[2])
    for k, flag in enumerate(FLAG_ORDER):
        # The hostile gate reads the stance the model ships (none shipped: no gate).
        ceilings = SUPPORT_CEILINGS if flag == HOSTILE and best_stance[1] else (1.0,)
        stance_probs = oof[best_stance[1]] if len(ceilings) > 1 else None
        best = _best_flag(files, rules, oof, k, Settings(), stance_probs, ceilings)
        if flag == HOSTILE:
            spared = _best_flag(
                files,
                rules,
                oof,
                k,
                Settings(hostile_spares_rules_praise=True),
                stance_probs,
                ceilings,
            )
            if _spares_praise(best, spared):
                best = spared
                _update(choice, hostile_spares_rules_praise=True)
        if best[1] is not None:
            choice["C"][flag] = best[1]
            choice["settings"] = choice["settings"].with_threshold(flag, best[2])
            if flag == HOSTILE:
                _update(choice, hostile_support_ceiling=best[3])
                hostile_ceilings, hostile_stance = ceilings, stance_probs
    # Safety first: the model's safety flag can make a comment hostile (said with menace),
    # hostile never makes one safety.
    if choice["C"].get(SAFETY) is not None:
        _safety_beside_other_languages(files, rules, oof, choice)
    if choice["C"].get(HOSTILE) is not None:
        _hostile_beside_other_languages(files, rules, oof, choice, hostile_stance, hostile_ceilings)
    _leads_beside_safety(files, rules, oof, choice)
    return choice


def _update(choice: dict, **changes) -> None:
    """The choice's settings with ``changes``."""
    choice["settings"] = dataclasses.replace(choice["settings"], **changes)


def _hostile_beside_other_languages(
    files: list[_Data],
    rules: list[dict],
    oof: dict,
    choice: dict,
    stance_probs: list[np.ndarray] | None,
    ceilings: Sequence[float],
) -> None:
    """The other-language threshold (:func:`_other_language_threshold`), then the hostile
    flag chosen again beside it, with and without sparing what the rules read supportive
    (the second where its mean recall is no lower: the stricter on a tie): its own
    threshold may fall where the other languages no longer hold it up, and where it no
    longer beats the rules alone it is not shipped. Where its threshold moves, the
    other-language one is chosen once more."""
    k = FLAG_ORDER.index(HOSTILE)
    for _ in range(2):
        _other_language_threshold(files, oof, choice, HOSTILE)
        before = _hostile_setting(choice)
        plain, spared = (
            _best_flag(
                files,
                rules,
                oof,
                k,
                Settings(
                    other_language_hostile=choice["settings"].other_language_hostile,
                    hostile_spares_rules_praise=spares,
                ),
                stance_probs,
                ceilings,
            )
            for spares in (False, True)
        )
        print(
            f"hostile: recall {plain[0]:.4f}, sparing the rules' praise {spared[0]:.4f}",
            file=sys.stderr,
        )
        spares = _spares_praise(plain, spared)
        best = spared if spares else plain
        if best[1] is None:
            choice["C"].pop(HOSTILE, None)
            choice["settings"] = choice["settings"].with_threshold(HOSTILE, np.nan)
            _update(
                choice,
                hostile_support_ceiling=1.0,
                other_language_hostile=np.nan,
                hostile_spares_rules_praise=False,
            )
            return
        choice["C"][HOSTILE] = best[1]
        choice["settings"] = choice["settings"].with_threshold(HOSTILE, best[2])
        _update(choice, hostile_support_ceiling=best[3], hostile_spares_rules_praise=spares)
        if _hostile_setting(choice) == before:
            return
    _other_language_threshold(files, oof, choice, HOSTILE)


def _safety_beside_other_languages(
    files: list[_Data], rules: list[dict], oof: dict, choice: dict
) -> None:
    """The safety flag's other-language threshold (:func:`_other_language_threshold`), then
    its own threshold chosen again beside it (it may fall where the other languages no
    longer hold it up; where it no longer beats the rules alone it is not shipped), and,
    where that moved, the other-language one once more."""
    k = FLAG_ORDER.index(SAFETY)
    _other_language_threshold(files, oof, choice, SAFETY)
    before = (choice["C"][SAFETY], choice["settings"].threshold(SAFETY))
    best = _best_flag(
        files,
        rules,
        oof,
        k,
        Settings(other_language_safety=choice["settings"].other_language_safety),
    )
    if best[1] is None:
        choice["C"].pop(SAFETY, None)
        choice["settings"] = choice["settings"].with_threshold(SAFETY, np.nan)
        _update(choice, other_language_safety=np.nan)
        return
    choice["C"][SAFETY] = best[1]
    choice["settings"] = choice["settings"].with_threshold(SAFETY, best[2])
    if (best[1], best[2]) != before:
        _other_language_threshold(files, oof, choice, SAFETY)


def _spares_praise(plain: tuple, spared: tuple) -> bool:
    """Whether the hostile flag sparing the rules' praise (``spared``, from
    :func:`_best_flag`) is chosen over ``plain``: where it finds no fewer threats (the
    stricter on a tie)."""
    if spared[1] is None:
        return False
    return plain[1] is None or spared[0] >= plain[0] - 1e-9


def _hostile_setting(choice: dict) -> tuple:
    """What the other-language hostile threshold was chosen beside."""
    settings = choice["settings"]
    return (
        choice["C"].get(HOSTILE),
        settings.threshold(HOSTILE),
        settings.hostile_support_ceiling,
        settings.hostile_spares_rules_praise,
    )


def _other_language_threshold(files: list[_Data], oof: dict, choice: dict, flag: str) -> None:
    """``flag``'s threshold for comments in languages other than English and Spanish.

    Pooled over the files' comments in those languages, the flag (rules and layer, as
    chosen) must keep its precision floor, or no lower than where the layer raises it in
    those languages never. Where the chosen threshold keeps it, it stands (NaN); else the
    lowest higher threshold that keeps it (1.0: never).
    """
    k = FLAG_ORDER.index(flag)
    name = OTHER_LANGUAGE[flag]
    _update(choice, **{name: np.nan})
    main = choice["settings"].threshold(flag)
    if np.isnan(main):
        return  # no such flag of the model's
    # Clipped as the run-time layer clips its scores, so 1.0 is never reached here either.
    most = 1.0 / (1.0 + np.exp(-30.0))
    context = [
        np.minimum(_choice_probs(choice, oof, i, len(f.texts)), most) for i, f in enumerate(files)
    ]

    def pooled(other: float) -> tuple[float, float]:
        tp = predicted = support = 0
        settings = dataclasses.replace(choice["settings"], **{name: other})
        for data, probs in zip(files, context, strict=True):
            decided = _decide(data, probs, settings)
            elsewhere = np.array([lang not in MAIN_LANGUAGES for lang in data.langs], dtype=bool)
            flagged = np.array([flag in found for _, _, found in decided], dtype=bool)
            truth = data.flags[:, k].astype(bool)
            tp += int((truth & flagged & elsewhere).sum())
            predicted += int((flagged & elsewhere).sum())
            support += int((truth & elsewhere).sum())
        precision = tp / predicted if predicted else 1.0
        return precision, tp / support if support else 1.0

    never = pooled(1.0)[0]
    floor = min(PRECISION_FLOOR[flag], never)
    for other in [np.nan, *(t for t in THRESHOLDS if t > main), 1.0]:
        precision, recall = pooled(other)
        print(
            f"{flag} in other languages at {other}: precision {precision:.3f} recall {recall:.3f}",
            file=sys.stderr,
        )
        if precision >= floor - 1e-9:
            _update(choice, **{name: float(other)})
            return


def _best_flag(
    files: list[_Data],
    rules: list[dict],
    oof: dict,
    k: int,
    base: Settings,
    stance_probs: list[np.ndarray] | None = None,
    ceilings: Sequence[float] = (1.0,),
    context: list[np.ndarray] | None = None,
    recall_target: float | None = None,
) -> tuple[float, tuple | None, float | None, float, float]:
    """(mean recall, C, threshold, ceiling, pooled precision) of flag ``k`` at its best that
    keeps its precision; C None where nothing beats the rules alone (beside ``context``: the
    rules with the other flags of the choice so far). ``base`` holds the other flags'
    thresholds and the rest of the settings; flag ``k``'s threshold and (where ``ceilings``
    has more than one) the hostile flag's supportive ceiling are tried. ``context`` holds
    the other flags' probabilities per file (columns of the choice so far). At its best:
    :func:`_at_best`."""
    flag = FLAG_ORDER[k]
    names = [f.name for f in files]
    # The stance read at any confidence: it changes no flag's figures.
    base = dataclasses.replace(base, stance_confidence=0.0)
    if context is None:
        start = float(np.mean([r[f"{flag}_recall"] for r in rules]))
    else:
        alone = dataclasses.replace(
            base.with_threshold(flag, np.nan), hostile_support_ceiling=ceilings[0]
        )
        start = float(
            np.mean(
                [
                    _figures(f, _decide(f, x, alone))[f"{flag}_recall"]
                    for f, x in zip(files, context, strict=True)
                ]
            )
        )
    candidates: list[tuple[float, tuple, float, float, float]] = []
    for c, probs in oof.items():
        if context is not None:
            probs = [
                np.column_stack([x[:, : 3 + k], p[:, 3 + k], x[:, 4 + k :]])
                for x, p in zip(context, probs, strict=True)
            ]
        if stance_probs is not None:
            probs = [
                np.column_stack([s[:, :3], p[:, 3:]])
                for s, p in zip(stance_probs, probs, strict=True)
            ]
        for ceiling in ceilings:
            for t in THRESHOLDS:
                settings = dataclasses.replace(
                    base.with_threshold(flag, t), hostile_support_ceiling=ceiling
                )
                figs = [
                    _figures(f, _decide(f, p, settings)) for f, p in zip(files, probs, strict=True)
                ]
                if not _precision_kept(flag, figs, rules, names):
                    continue
                recall = float(np.mean([f[f"{flag}_recall"] for f in figs]))
                if recall > start + 1e-9:
                    candidates.append((recall, c, t, ceiling, _pooled_precision(flag, figs)))
    if not candidates:
        return (start, None, None, 1.0, np.nan)
    return _at_best(candidates, recall_target)


def _pooled_precision(flag: str, figs: list[dict]) -> float:
    predicted = sum(f[f"{flag}_predicted"] for f in figs)
    return sum(f[f"{flag}_tp"] for f in figs) / predicted if predicted else 1.0


def _at_best(candidates: Sequence[tuple], recall_target: float | None = None) -> tuple:
    """Of candidates ``(mean recall, ..., pooled precision)``, the one at the highest recall,
    ties to the last (callers order them by preference: :func:`_best_flag` by increasing
    strictness, :func:`_leads_beside_safety` from the strictest to the gentlest); with
    ``recall_target``, the most precise of those that reach it (where any does; a tie in
    precision to the higher recall, then to the last)."""
    indexed = list(enumerate(candidates))
    if recall_target is not None:
        reaching = [(i, c) for i, c in indexed if c[0] >= recall_target - 1e-9]
        if reaching:
            return max(reaching, key=lambda ic: (ic[1][-1], ic[1][0], ic[0]))[1]
    top = max(c[0] for c in candidates)
    return max((ic for ic in indexed if ic[1][0] >= top - 1e-9), key=lambda ic: ic[0])[1]


def _leads_beside_safety(
    files: list[_Data], rules: list[dict], oof: dict, choice: dict, keys: Sequence | None = None
) -> None:
    """Leads chosen again beside the chosen hostile and safety flags: with and without the
    model's safety flag taking a comment off the leads, and, where the learned stance is
    shipped, with each of :data:`LEAD_CRITICAL_CEILINGS` (a comment read critical with at
    least that probability is not a lead). Of those at the precision floor, the most precise
    whose mean lead recall reaches :data:`LEAD_RECALL_TARGET` (module docstring).
    ``keys``: the feature sets and Cs a lead may use (default all of ``oof``)."""
    k = FLAG_ORDER.index(NEEDS_REPLY)
    _update(choice, safety_ends_lead=False, lead_critical_ceiling=1.0)
    context = [_choice_probs(choice, oof, i, len(f.texts)) for i, f in enumerate(files)]
    chosen = choice["settings"]
    ceiling = (chosen.hostile_support_ceiling,)  # the hostile flag's, as chosen
    leads = oof if keys is None else {key: oof[key] for key in keys}
    lead_ceilings = LEAD_CRITICAL_CEILINGS if choice["C"].get("stance") else (1.0,)
    options = []  # (recall, C, threshold, ceiling, ends, lead ceiling, precision)
    # Ties go to the last: the model's safety not ending a lead, the highest ceiling.
    for ends in (True, False):
        for lead_ceiling in sorted(lead_ceilings):
            found = _best_flag(
                files,
                rules,
                leads,
                k,
                dataclasses.replace(
                    chosen, safety_ends_lead=ends, lead_critical_ceiling=lead_ceiling
                ),
                None,
                ceiling,
                context,
                LEAD_RECALL_TARGET,
            )
            print(
                f"leads, safety ends a lead {ends}, critical ceiling {lead_ceiling}: recall "
                f"{found[0]:.4f} precision {found[4]:.4f} at {found[1]} {found[2]}",
                file=sys.stderr,
            )
            if found[1] is not None:
                options.append((*found[:4], ends, lead_ceiling, found[4]))
    if not options:
        choice["C"].pop(NEEDS_REPLY, None)
        choice["settings"] = chosen.with_threshold(NEEDS_REPLY, np.nan)
        return
    best = _at_best(options, LEAD_RECALL_TARGET)
    choice["C"][NEEDS_REPLY] = best[1]
    choice["settings"] = dataclasses.replace(
        chosen.with_threshold(NEEDS_REPLY, best[2]),
        safety_ends_lead=best[4],
        lead_critical_ceiling=best[5],
    )


def _choice_probs(choice: dict, oof: dict, i: int, n: int) -> np.ndarray:
    """File ``i``'s out-of-file probabilities, each target's at its chosen C (zeros for a
    target not chosen)."""
    probs = np.zeros((n, 6))
    key = choice["C"].get("stance")
    if key is not None:
        probs[:, :3] = oof[key][i][:, :3]
    for k, flag in enumerate(FLAG_ORDER):
        c = choice["C"].get(flag)
        if c is not None:
            probs[:, 3 + k] = oof[c][i][:, 3 + k]
    return probs


def _combined_oof(files, oof, choice) -> list[dict]:
    """Per-file figures of rules plus the chosen layer, each target at its chosen C."""
    return [
        _figures(
            data, _decide(data, _choice_probs(choice, oof, i, len(data.texts)), choice["settings"])
        )
        for i, data in enumerate(files)
    ]


# The settings that go with each target's feature set and C.
_SETTINGS_OF = {
    "stance": ("stance_confidence",),
    HOSTILE: ("hostile_support_ceiling", "other_language_hostile", "hostile_spares_rules_praise"),
    SAFETY: ("other_language_safety",),
    NEEDS_REPLY: ("safety_ends_lead", "lead_critical_ceiling"),
}


def _semantic_where_it_pays(choice: dict, plain_choice: dict, figs, plain_figs) -> dict:
    """Per target, the choice with semantic features only where they add SEMANTIC_MARGIN.

    The figure is the target's own (stance macro recall, a flag's recall) on the mean of
    the files; otherwise the choice without them stands (it costs nothing at run time).
    """
    out = {"C": dict(plain_choice["C"]), "settings": plain_choice["settings"]}
    for target, key in choice["C"].items():
        if "semantic" not in key[0]:
            continue
        figure = "stance_macro_recall" if target == "stance" else f"{target}_recall"
        gain = np.mean([f[figure] for f in figs]) - np.mean([f[figure] for f in plain_figs])
        print(f"semantic features for {target}: {gain:+.4f} on the mean", file=sys.stderr)
        if gain < SEMANTIC_MARGIN:
            continue
        out["C"][target] = key
        if target != "stance":
            out["settings"] = out["settings"].with_threshold(
                target, choice["settings"].threshold(target)
            )
        _update(out, **{name: getattr(choice["settings"], name) for name in _SETTINGS_OF[target]})
    return out


def fit_final(files: list[_Data], choice: dict) -> LearnedTriage:
    vectorizers = _vectorizers()
    texts = [t for f in files for t in f.texts]
    dense = np.vstack([f.dense for f in files])
    x = _matrix(vectorizers, texts, dense, fit=True)
    coef = np.zeros((x.shape[1], 6))
    intercept = np.zeros(6)
    intercept[3:] = -30.0  # a flag not shipped: the rules' alone
    columns = {"stance": slice(0, 3), **{f: slice(3 + k, 4 + k) for k, f in enumerate(FLAG_ORDER)}}
    labels = {"stance": np.concatenate([f.stance for f in files])}
    for k, flag in enumerate(FLAG_ORDER):
        labels[flag] = np.concatenate([f.flags[:, k] for f in files]).astype(int)
    for target, (variant, c) in choice["C"].items():
        model = _fit(_masked(x, VARIANTS[variant]), labels[target], c, target == "stance")
        coef[:, columns[target]] = model.coef_.T
        intercept[columns[target]] = model.intercept_
    semantic = any(
        VARIANTS[variant][len(DENSE_FEATURES) :].any() for variant, _ in choice["C"].values()
    )
    if not semantic:
        # No target reads them: drop their (zero) rows, and the run time skips them.
        keep = x.shape[1] - len(SEMANTIC_FEATURES)
        x, coef, dense = x[:, :keep], coef[:keep], dense[:, : len(DENSE_FEATURES)]
    word_v, char_v = vectorizers
    blocks = []
    for v, analyzer, per_word in (
        (word_v, features.word_features, False),
        (char_v, features.char_features, True),
    ):
        vocabulary = {term: int(col) for term, col in v.vocabulary_.items()}
        blocks.append(TfidfBlock(analyzer, vocabulary, v.idf_.astype(np.float64), per_word))
    learned = LearnedTriage(
        blocks[0],
        blocks[1],
        coef,
        intercept,
        choice["settings"],
        _warm_words(texts),
        semantic,
    )
    # The numpy reader must compute what scikit-learn fitted.
    expected = x @ coef + intercept
    got = learned.decision(texts, dense)
    if not np.allclose(got, expected, atol=1e-6):
        raise AssertionError("the numpy reader disagrees with the fitted model")
    return learned


def _card_settings(settings: Settings) -> dict:
    """The settings as the model's card shows them: thresholds by flag, None for NaN (not
    set)."""

    def shown(value):
        return None if isinstance(value, float) and np.isnan(value) else value

    out = {
        "thresholds": {f: shown(t) for f, t in zip(FLAG_ORDER, settings.thresholds, strict=True)}
    }
    for field in dataclasses.fields(settings):
        if field.name != "thresholds":
            out[field.name] = shown(getattr(settings, field.name))
    return out


def _warm_words(texts: list[str]) -> tuple[str, ...]:
    """The sentiment model's frequent words (general tweets), then the comments' own."""
    from analysis.sentiment import default_model

    words = dict.fromkeys(default_model().english.warm_words)
    for text in texts:
        words.update(dict.fromkeys(normalize(text).split()))
    return tuple(w for w in words if w and w.split() == [w])


def _rounded(figures: list[dict]) -> list[dict]:
    keys = (
        "stance_macro_recall",
        "spanish_stance_macro_recall",
        "supportive_flagged_hostile",
        *(f"{f}_{m}" for f in FLAG_ORDER for m in ("precision", "recall")),
    )
    return [{k: round(f[k], 3) for k in keys} for f in figures]


def _cores(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 64:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of cores from 1 to 64")
    return int(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--output",
        type=Path,
        default=OUTPUT,
        metavar="FILE",
        help="where to write the model, its card beside it as .json (default: the package's "
        "analysis/sentiment_models/triage_learned.npz)",
    )
    parser.add_argument("--report-only", action="store_true", help="cross-validate, write nothing")
    parser.add_argument(
        "--jobs",
        type=_cores,
        metavar="N",
        default=2,
        help="files cross-validated at once, 1 to 64 (cores; default 2)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        metavar="FILE",
        help="keep the out-of-file probabilities in FILE (.npz) and reuse them while the "
        "labelled files and analysis/ are unchanged (default: none)",
    )
    parser.add_argument(
        "--no-semantic",
        action="store_true",
        help="try only the feature sets without the mean subword vector (about half the "
        "folds' time; no round since 22 shipped them)",
    )
    args = parser.parse_args(argv)
    for path, what in ((args.cache, "--cache"), (args.output, "--output")):
        # Checked before the folds' hour of work, not after it.
        if path is not None and (path.is_dir() or not path.parent.is_dir()):
            parser.error(f"{what} {path}: not a file in an existing folder")
    files = [_Data(name) for name in FILES]
    print("leave-one-file-out cross-validation ...", file=sys.stderr)
    variants = [v for v in VARIANTS if not (args.no_semantic and "semantic" in v)]
    oof = cached_cross_validate(files, args.jobs, args.cache, variants)
    choice = choose(files, oof)
    rules = [_figures(f, _rules_alone(f)) for f in files]
    # Without the semantic features, and which targets they earn their place in.
    plain_oof = {key: p for key, p in oof.items() if "semantic" not in key[0]}
    plain_choice = choice if args.no_semantic else choose(files, plain_oof)
    plain = _combined_oof(files, plain_oof, plain_choice)
    choice = _semantic_where_it_pays(choice, plain_choice, _combined_oof(files, oof, choice), plain)
    if not args.no_semantic:
        # The other-language thresholds beside the stance and flags now shipped together
        # (with --no-semantic they are those they were chosen beside).
        for flag in OTHER_LANGUAGE:
            _other_language_threshold(files, oof, choice, flag)
    # Leads once more beside the hostile and safety columns now shipped (either may have
    # changed feature set), within the feature set leads kept.
    lead_key = choice["C"].get(NEEDS_REPLY)
    semantic_leads = lead_key is not None and "semantic" in lead_key[0]
    _leads_beside_safety(
        files, rules, oof, choice, [key for key in oof if ("semantic" in key[0]) == semantic_leads]
    )
    learned = _combined_oof(files, oof, choice)
    card = {
        "what": "learned layer of comment triage (analysis.triage_learned)",
        "files": list(FILES),
        "features": {
            "word_ngrams": list(features.WORD_NGRAMS),
            "char_ngrams": list(features.CHAR_NGRAMS),
            "min_df": MIN_DF,
            "dense": list(DENSE_FEATURES),
            "semantic": f"mean subword vector, {len(SEMANTIC_FEATURES)} columns (if chosen)",
        },
        "feature_set_and_C": {t: list(key) for t, key in choice["C"].items()},
        **_card_settings(choice["settings"]),
        "cross_validation": {
            "rules_alone": dict(zip(FILES, _rounded(rules), strict=True)),
            "rules_plus_learned_without_semantic": dict(zip(FILES, _rounded(plain), strict=True)),
            "rules_plus_learned": dict(zip(FILES, _rounded(learned), strict=True)),
        },
    }
    print(
        "without semantic features:",
        json.dumps(plain_choice["C"]),
        plain_choice["settings"].thresholds,
    )
    for label, figs in (
        ("rules alone", rules),
        ("rules + learned without semantic features", plain),
        ("rules + learned", learned),
    ):
        print(label)
        for name, f in zip(FILES, _rounded(figs), strict=True):
            print(f"  {name:22s} {f}")
        means = {
            k: round(float(np.mean([f[k] for f in _rounded(figs)])), 3) for k in _rounded(figs)[0]
        }
        print(f"  {'mean':22s} {means}")
    print("choice:", json.dumps(card["feature_set_and_C"]))
    for name in _card_settings(choice["settings"]):
        print(f"  {name}: {card[name]}")
    if args.report_only:
        return 0
    model = fit_final(files, choice)
    model.save(args.output)
    args.output.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")
    size = args.output.stat().st_size
    print(f"wrote {args.output} ({size / 1e6:.2f} MB) and its card")
    return 0


if __name__ == "__main__":
    sys.exit(main())
