"""The learned layer of triage: what it changes, what it leaves alone, its model file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from analysis import triage_learned
from analysis.flags import own_schedule_only
from analysis.sentiment_models.linear import ModelFileError
from analysis.triage import rule_triage, triage
from analysis.triage_learned import LearnedTriage, Settings, decide, learned_model


@pytest.mark.parametrize(
    ("text", "stance", "flag"),
    [
        # Locating an officer in words no safety rule holds.
        (
            "Saw that officer from the video pumping gas on 5th and Main, same car every morning",
            None,
            "safety",
        ),
        (
            "The tall one in the middle coaches my nephew at Jefferson Middle, small world",
            None,
            "safety",
        ),
        # Praise and criticism with no cue word: the rules read both neutral.
        (
            "The officer who came to our school answered every single question my kids had",
            "supportive",
            None,
        ),
        ("So the budget goes to billboards while 911 calls wait forty minutes", "critical", None),
    ],
)
def test_learned_layer_changes_what_rules_miss(text: str, stance: str | None, flag: str | None):
    [by_rules] = rule_triage([text])
    [result] = triage([text])
    if flag:
        assert flag not in by_rules.flags
        assert flag in result.flags
    if stance:
        assert by_rules.stance != stance
        assert result.stance == stance


@pytest.mark.parametrize(
    "text",
    [
        "You guys killed it at the shooting range 🔥",
        "Watch your back out there brother, proud of you",
        "Proud of you son!! Watch your back out there and come home safe every night",
        "🔥🔥🔥",
        "Dead serious, best ride along ever",
        "Great day at the shooting range with the new class",
        "Officer Diaz killed it at the career fair",
    ],
)
def test_innocent_look_alikes_stay_unflagged(text: str) -> None:
    [result] = triage([text])
    assert result.flags == frozenset()
    assert result.stance == "supportive"


def _decide(probabilities, rule_flags, thresholds, confidence=np.nan, stance="neutral"):
    return decide(
        np.array([probabilities], dtype=float),
        [stance],
        [0.0],
        [frozenset(rule_flags)],
        ["en"],
        Settings(thresholds=tuple(thresholds), stance_confidence=confidence),
    )[0]


def test_decide_adds_flags_above_threshold_only() -> None:
    p = [0.2, 0.6, 0.2, 0.7, 0.1, 0.5]
    _, _, flags = _decide(p, set(), [0.6, 0.9, 0.6])
    assert flags == {"needs_reply"}
    # A flag without a threshold is the rules' alone, whatever the model says.
    _, _, flags = _decide(p, {"safety"}, [np.nan, np.nan, np.nan])
    assert flags == {"safety"}


def test_decide_hostile_is_critical_and_never_a_lead() -> None:
    stance, score, flags = _decide([0.1, 0.1, 0.8, 0.9, 0.95, 0.0], set(), [0.5, 0.9, 0.5], 0.5)
    assert stance == "critical" and score <= -0.5
    assert flags == {"hostile", "critical"}


def test_decide_hostile_needs_the_model_unsure_of_support() -> None:
    # The model reads a prayer as hostile (0.9) but as supportive (0.8): no flag with a
    # ceiling of 0.2; the same hostile reading with support at 0.1 is a flag.
    prayer = np.array([[0.1, 0.1, 0.8, 0.0, 0.9, 0.0]])
    threat = np.array([[0.6, 0.3, 0.1, 0.0, 0.9, 0.0]])
    settings = Settings(thresholds=(np.nan, 0.5, np.nan), stance_confidence=0.5)

    def flags(p, ceiling):
        gated = replace(settings, hostile_support_ceiling=ceiling)
        return decide(p, ["neutral"], [0.0], [frozenset()], ["en"], gated)[0][2]

    assert "hostile" not in flags(prayer, 0.2)
    assert "hostile" in flags(threat, 0.2)
    assert "hostile" in flags(prayer, 1.0)  # no gate
    # The rules' own hostile flag is never gated.
    gated = replace(settings, hostile_support_ceiling=0.2)
    rules_hostile = decide(prayer, ["critical"], [-0.5], [frozenset({"hostile"})], ["en"], gated)[
        0
    ][2]
    assert "hostile" in rules_hostile


def test_decide_other_languages_need_their_own_hostile_threshold() -> None:
    # The same hostile reading (0.7) over a threshold of 0.5: a flag in English and Spanish;
    # in Polish or Urdu only where it also reaches the other-language threshold.
    p = np.array([[0.6, 0.3, 0.1, 0.0, 0.7, 0.0]] * 4)
    settings = Settings(thresholds=(np.nan, 0.5, np.nan), stance_confidence=0.5)
    langs = ["en", "es", "pl", "ur"]

    def hostile(other: float) -> list[bool]:
        decided = decide(
            p,
            ["neutral"] * 4,
            [0.0] * 4,
            [frozenset()] * 4,
            langs,
            replace(settings, other_language_hostile=other),
        )
        return ["hostile" in found for _, _, found in decided]

    assert hostile(np.nan) == [True, True, True, True]  # not set: one threshold for all
    assert hostile(0.8) == [True, True, False, False]
    assert hostile(0.7) == [True, True, True, True]
    # The rules' own hostile flag stands in every language.
    rules = decide(
        p[:1],
        ["critical"],
        [-0.5],
        [frozenset({"hostile"})],
        ["pl"],
        replace(settings, other_language_hostile=0.95),
    )
    assert "hostile" in rules[0][2]


def test_decide_other_languages_need_their_own_safety_threshold() -> None:
    # A parent's question the model reads as a lead (0.9) and as locating an officer (0.7)
    # over a safety threshold of 0.5, where the model's safety ends a lead: safety in
    # English and Spanish; in Korean or Polish only where it also reaches the
    # other-language threshold, and a lead where it does not.
    p = np.array([[0.1, 0.8, 0.1, 0.9, 0.0, 0.7]] * 4)
    settings = Settings(thresholds=(0.5, np.nan, 0.5), safety_ends_lead=True)
    langs = ["en", "es", "ko", "pl"]

    def flags(other: float) -> list[frozenset]:
        decided = decide(
            p,
            ["neutral"] * 4,
            [0.0] * 4,
            [frozenset()] * 4,
            langs,
            replace(settings, other_language_safety=other),
        )
        return [found for _, _, found in decided]

    located, lead = {"safety"}, {"needs_reply"}
    assert flags(np.nan) == [located] * 4  # not set: one threshold for all
    assert flags(0.8) == [located, located, lead, lead]
    assert flags(0.7) == [located] * 4
    # The rules' own safety flag stands in every language.
    rules = decide(
        p[:1],
        ["neutral"],
        [0.0],
        [frozenset({"safety"})],
        ["ko"],
        replace(settings, other_language_safety=0.95),
    )
    assert rules[0][2] == {"safety"}


def test_settings_hold_one_threshold_per_flag() -> None:
    with pytest.raises(ValueError, match="one threshold per flag"):
        Settings(thresholds=(0.5, 0.5))
    with pytest.raises(ValueError, match="one threshold per flag"):
        Settings(thresholds=(0.5, 0.5, 0.5, 0.5))
    # The defaults ship nothing of the layer's.
    assert len(Settings().thresholds) == len(triage_learned.FLAG_ORDER)
    assert np.isnan(Settings().thresholds).all()


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        (
            Settings(thresholds=(np.nan, np.nan, np.nan), other_language_safety=0.9),
            "other_language_safety",
        ),
        (
            Settings(thresholds=(np.nan, 0.5, 0.5), other_language_hostile=0.4),
            "other_language_hostile",
        ),
        (
            Settings(thresholds=(np.nan, 0.5, 0.5), other_language_safety=1.5),
            "other_language_safety",
        ),
        (Settings(hostile_support_ceiling=0.0), "hostile_support_ceiling"),
        (Settings(lead_critical_ceiling=1.2), "lead_critical_ceiling"),
    ],
)
def test_settings_no_trainer_chooses_are_refused_before_writing(
    settings: Settings, named: str, tmp_path: Path
) -> None:
    # An other-language threshold needs its flag shipped and must not be below its
    # threshold; the ceilings are in (0, 1]. check() says which; save() writes nothing.
    with pytest.raises(ValueError, match=named):
        settings.check()
    model = replace(learned_model(), settings=settings)
    with pytest.raises(ValueError, match=named):
        model.save(tmp_path / "bad.npz")
    assert not (tmp_path / "bad.npz").exists()
    Settings(thresholds=(np.nan, 0.5, 0.5), other_language_safety=0.5).check()  # equal: fine


def test_with_threshold_gives_new_settings_and_leaves_the_old_ones() -> None:
    before = Settings(thresholds=[0.5, np.nan, 0.6], safety_ends_lead=True)
    assert before.thresholds == (0.5, before.thresholds[1], 0.6)  # stored as a tuple
    after = before.with_threshold("safety", 0.8)
    assert after is not before
    assert after.threshold("safety") == 0.8 and after.thresholds[2] == 0.8
    assert after.threshold("needs_reply") == 0.5 and np.isnan(after.threshold("hostile"))
    assert after.safety_ends_lead is True  # the rest of the settings kept
    assert before.threshold("safety") == 0.6 and before.thresholds[2] == 0.6
    off = after.with_threshold("needs_reply", np.nan)
    assert np.isnan(off.threshold("needs_reply")) and after.threshold("needs_reply") == 0.5


def test_decide_rules_safety_is_never_a_lead() -> None:
    # The model's lead on a comment the rules flag safety is dropped...
    lead = [0.1, 0.8, 0.1, 0.9, 0.0, 0.0]
    assert _decide(lead, {"safety"}, [0.5, 0.9, 0.5])[2] == {"safety"}
    # ...but the model's safety alone does not take away a lead the rules found: both show.
    located = [0.1, 0.8, 0.1, 0.0, 0.0, 0.9]
    assert _decide(located, {"needs_reply"}, [0.5, 0.9, 0.5])[2] == {"safety", "needs_reply"}
    assert _decide(lead, set(), [0.5, 0.9, 0.5])[2] == {"needs_reply"}


def _lead_flags(p: list[float], rule_flags: set, ends: bool = False, ceiling: float = 1.0):
    """The flags ``decide`` gives one English comment the rules read neutral, with the
    model's safety ending a lead or not and the lead's critical ceiling."""
    settings = Settings(
        thresholds=(0.5, 0.9, 0.5), safety_ends_lead=ends, lead_critical_ceiling=ceiling
    )
    args = (["neutral"], [0.0], [frozenset(rule_flags)], ["en"], settings)
    return decide(np.array([p]), *args)[0][2]


def test_decide_models_safety_ends_a_lead_where_the_model_says_so() -> None:
    located_lead = [0.1, 0.8, 0.1, 0.9, 0.0, 0.9]
    lead_only = [0.1, 0.8, 0.1, 0.9, 0.0, 0.1]
    assert _lead_flags(located_lead, set()) == {"needs_reply", "safety"}
    assert _lead_flags(located_lead, set(), ends=True) == {"safety"}
    assert _lead_flags(located_lead, {"needs_reply"}, ends=True) == {"safety"}  # rules' too
    assert _lead_flags(lead_only, set(), ends=True) == {"needs_reply"}  # no safety: it stays


def test_decide_a_comment_read_critical_at_the_ceiling_or_above_is_no_lead() -> None:
    # "Cool video. Are you hiring or not?": the model and the rules read a lead; the
    # model's stance reads it critical at 0.8.
    arguing = [0.8, 0.15, 0.05, 0.9, 0.0, 0.0]
    asking = [0.3, 0.6, 0.1, 0.9, 0.0, 0.0]
    assert _lead_flags(arguing, set()) == {"needs_reply"}  # 1: no such rule
    assert _lead_flags(arguing, set(), ceiling=0.7) == set()
    assert _lead_flags(arguing, {"needs_reply"}, ceiling=0.7) == set()  # the rules' lead too
    assert _lead_flags(arguing, set(), ceiling=0.85) == {"needs_reply"}  # below the ceiling
    assert _lead_flags(arguing, set(), ceiling=0.8) == set()  # at it
    assert _lead_flags(asking, {"needs_reply"}, ceiling=0.5) == {"needs_reply"}


def test_decide_hostile_spares_what_the_rules_read_supportive_where_the_model_says_so() -> None:
    # "Hope y'all get some good ones. This county needs it": the model reads a threat.
    threat = np.array([[0.9, 0.05, 0.05, 0.0, 0.9, 0.0]] * 2)

    def flags(rule_stance, rule_flags, spares):
        args = ([rule_stance] * 2, [0.5] * 2, [frozenset(rule_flags)] * 2, ["en"] * 2)
        settings = Settings(thresholds=(0.5, 0.5, 0.5), hostile_spares_rules_praise=spares)
        decided = decide(threat, *args, settings)
        return decided[0][2] - {"critical"}

    assert flags("supportive", set(), False) == {"hostile"}
    assert flags("supportive", set(), True) == set()
    assert flags("neutral", set(), True) == {"hostile"}  # only what the rules call praise
    assert flags("supportive", {"hostile"}, True) == {"hostile"}  # the rules' flag stands


def test_decide_takes_the_learned_stance_only_when_sure() -> None:
    sure = [0.05, 0.1, 0.85, 0.0, 0.0, 0.0]
    unsure = [0.1, 0.35, 0.55, 0.0, 0.0, 0.0]
    nan3 = [np.nan] * 3
    assert _decide(sure, set(), nan3, 0.7)[0] == "supportive"
    assert _decide(unsure, set(), nan3, 0.7)[0] == "neutral"
    assert _decide(sure, set(), nan3, np.nan)[0] == "neutral"


def test_missing_model_file_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(triage_learned, "MODEL_NAME", "no_such_triage_model.npz")
    learned_model.cache_clear()
    try:
        with pytest.raises(ModelFileError, match=r"no_such_triage_model\.npz.*missing"):
            triage(["Where do I apply?"])
    finally:
        monkeypatch.undo()
        learned_model.cache_clear()


def test_corrupt_model_file_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "triage_learned.npz"
    broken.write_bytes(b"not a model")
    with pytest.raises(ModelFileError, match=r"triage_learned\.npz"):
        LearnedTriage.load(broken)


def test_model_file_with_arrays_missing_is_named(tmp_path: Path) -> None:
    partial = tmp_path / "triage_learned.npz"
    with open(partial, "wb") as fh:
        np.savez(fh, format_version=np.array(triage_learned.FORMAT_VERSION))
    with pytest.raises(ModelFileError, match=r"triage_learned\.npz.*missing arrays: char_idf"):
        LearnedTriage.load(partial)


def _with(model: LearnedTriage, **settings) -> LearnedTriage:
    """The model with these of its settings changed."""
    return replace(model, settings=replace(model.settings, **settings))


def test_saved_model_reads_back_the_same(tmp_path: Path) -> None:
    model = learned_model()
    copy = tmp_path / "copy.npz"
    model.save(copy)
    again = LearnedTriage.load(copy)
    texts = ["Where do I apply?", "I know where you park, officer", "Gracias por todo 🙏"]
    width = len(triage_learned.DENSE_FEATURES)
    width += len(triage_learned.SEMANTIC_FEATURES) * model.semantic
    dense = np.zeros((len(texts), width))
    np.testing.assert_allclose(
        again.decision(texts, dense), model.decision(texts, dense), atol=1e-5
    )
    assert np.array_equal(np.isnan(again.settings.thresholds), np.isnan(model.settings.thresholds))
    assert again.semantic == model.semantic
    assert again.settings.hostile_support_ceiling == model.settings.hostile_support_ceiling
    assert again.settings.safety_ends_lead == model.settings.safety_ends_lead
    assert np.isnan(again.settings.other_language_hostile) == np.isnan(
        model.settings.other_language_hostile
    )
    set_other = tmp_path / "other.npz"
    _with(model, other_language_hostile=0.85).save(set_other)
    assert LearnedTriage.load(set_other).settings.other_language_hostile == 0.85
    assert np.isnan(again.settings.other_language_safety) == np.isnan(
        model.settings.other_language_safety
    )
    set_safety = tmp_path / "safety.npz"
    located = replace(model, settings=model.settings.with_threshold("safety", 0.5))
    _with(located, other_language_safety=0.85).save(set_safety)
    assert LearnedTriage.load(set_safety).settings.other_language_safety == 0.85
    assert LearnedTriage.load(set_safety).settings.threshold("safety") == 0.5
    assert again.settings.lead_critical_ceiling == model.settings.lead_critical_ceiling
    set_ceiling = tmp_path / "ceiling.npz"
    _with(model, lead_critical_ceiling=0.65).save(set_ceiling)
    assert LearnedTriage.load(set_ceiling).settings.lead_critical_ceiling == 0.65
    assert again.settings.hostile_spares_rules_praise == model.settings.hostile_spares_rules_praise
    spared = tmp_path / "spared.npz"
    _with(model, hostile_spares_rules_praise=not model.settings.hostile_spares_rules_praise).save(
        spared
    )
    assert LearnedTriage.load(spared).settings.hostile_spares_rules_praise is not (
        model.settings.hostile_spares_rules_praise
    )
    flipped = tmp_path / "flipped.npz"
    _with(model, safety_ends_lead=not model.settings.safety_ends_lead).save(flipped)
    assert LearnedTriage.load(flipped).settings.safety_ends_lead is not (
        model.settings.safety_ends_lead
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("hostile_support_ceiling", np.array(7.0)),
        ("safety_ends_lead", np.array(1)),  # a number, not true or false
        ("other_language_hostile", np.array(1.5)),
        ("other_language_hostile", np.array([0.5, 0.6])),
        ("other_language_hostile", np.array(0.01)),  # below the hostile threshold
        ("other_language_safety", np.array(1.5)),
        ("other_language_safety", np.array([0.5, 0.6])),
        ("other_language_safety", np.array(0.01)),  # below the safety threshold
        ("lead_critical_ceiling", np.array(0.0)),
        ("lead_critical_ceiling", np.array(True)),
        ("lead_critical_ceiling", np.array(1.5)),
        ("lead_critical_ceiling", np.array(np.nan)),
        ("hostile_spares_rules_praise", np.array(0.5)),
    ],
)
def test_model_file_with_a_bad_setting_is_named(tmp_path: Path, name, value) -> None:
    good = tmp_path / "good.npz"
    learned_model().save(good)
    with np.load(good) as data:
        arrays = dict(data)
    arrays[name] = value
    bad = tmp_path / "triage_learned.npz"
    with open(bad, "wb") as fh:
        np.savez(fh, **arrays)
    with pytest.raises(ModelFileError, match=rf"triage_learned\.npz.*{name}"):
        LearnedTriage.load(bad)


def test_model_file_from_before_safety_ends_lead_keeps_the_leads(tmp_path: Path) -> None:
    good = tmp_path / "good.npz"
    settings = {"safety_ends_lead": True, "other_language_hostile": 0.9}
    settings.update(lead_critical_ceiling=0.6, hostile_spares_rules_praise=True)
    settings.update(other_language_safety=0.9)
    _with(learned_model(), **settings).save(good)
    with np.load(good) as data:
        assert set(settings) <= set(data.files)
        arrays = {name: data[name] for name in data.files if name not in settings}
    older = tmp_path / "older.npz"
    with open(older, "wb") as fh:
        np.savez(fh, **arrays)
    loaded = LearnedTriage.load(older).settings
    assert loaded.safety_ends_lead is False
    assert np.isnan(loaded.other_language_hostile)
    assert np.isnan(loaded.other_language_safety)
    assert loaded.lead_critical_ceiling == 1.0
    assert loaded.hostile_spares_rules_praise is False


def test_semantic_features_are_unit_vectors_in_their_language_columns() -> None:
    texts = ["we know where you live", "gracias por su servicio", "ok"]
    x = triage_learned.semantic_features(texts, ["en", "es", "en"])
    width = triage_learned.SEMANTIC_WIDTH
    assert x.shape == (3, len(triage_learned.SEMANTIC_FEATURES))
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0)
    assert not x[0, width:].any() and not x[2, width:].any()
    assert not x[1, :width].any()
    # Paraphrases lie closer together than unrelated comments.
    a, b, c = triage_learned.semantic_features(
        ["we know where you live", "we know your address", "great graduation photos"],
        ["en"] * 3,
    )
    assert a @ b > a @ c


@pytest.mark.parametrize(
    ("text", "own"),
    [
        ("What time does it end? I get off work at 5", True),
        ("I work nights, can I still apply?", True),
        ("Is there parking? I'm coming straight from my shift", True),
        ("What time does Officer Diaz get off work?", False),
        ("I get off work when he does, same lot every night", False),
        ("Her shift ends at 6, I see her leave", False),
    ],
)
def test_own_schedule_is_not_an_officers(text: str, own: bool) -> None:
    assert own_schedule_only(text) is own
    if own:
        # The layer may not read an applicant's own hours as locating an officer.
        [result] = triage([text])
        assert "safety" not in result.flags


def test_decide_drops_the_models_safety_on_an_own_schedule() -> None:
    located = np.array([[0.1, 0.8, 0.1, 0.0, 0.0, 0.9]])
    settings = Settings(thresholds=(np.nan, np.nan, 0.5), stance_confidence=0.5)
    args = (["neutral"], [0.0], [frozenset()], ["en"], settings, None)
    assert "safety" in decide(located, *args, [False])[0][2]
    assert "safety" not in decide(located, *args, [True])[0][2]
    # The rules' own safety flag stays.
    kept = decide(
        located,
        ["neutral"],
        [0.0],
        [frozenset({"safety"})],
        ["en"],
        settings,
        None,
        [True],
    )
    assert "safety" in kept[0][2]


def test_triage_reads_the_models_other_language_threshold(monkeypatch) -> None:
    # A Polish complaint the layer flags hostile once its hostile threshold is set very low;
    # with the other-language threshold at 1.0 (never), only the rules could flag it, and
    # they do not. English at the same low threshold keeps the layer's flag.
    polish = "Ładny filmik, ale jak dzwoniłem w sprawie kradzieży, nikt nie przyjechał."
    english = "You people make me sick, every one of you"
    model = learned_model()
    low = model.settings.with_threshold("hostile", 0.01)
    eager = replace(model, settings=replace(low, hostile_support_ceiling=1.0))
    assert "hostile" not in rule_triage([polish])[0].flags

    def flagged(other: float) -> list[bool]:
        chosen = _with(eager, other_language_hostile=other)
        monkeypatch.setattr(triage_learned, "learned_model", lambda: chosen)
        return ["hostile" in t.flags for t in triage([polish, english])]

    assert flagged(np.nan) == [True, True]
    assert flagged(1.0) == [False, True]


def test_triage_reads_the_models_lead_ceiling_and_praise_sparing(monkeypatch) -> None:
    # An argument that asks, and praise the rules read supportive: the layer's settings,
    # set to the extremes, decide what triage shows.
    argument = "Cool video, zero mention of the hiring freeze. Which is it, are you hiring or not?"
    praise = "Hope yall get some good ones. This county needs it"
    model = learned_model()
    # The layer reads both as leads and as hostile.
    low = model.settings.with_threshold("needs_reply", 0.01).with_threshold("hostile", 0.01)
    eager = _with(replace(model, settings=low), hostile_support_ceiling=1.0, safety_ends_lead=False)
    assert rule_triage([praise])[0].stance == "supportive"

    def flags(**settings) -> list[frozenset]:
        chosen = _with(eager, **settings)
        monkeypatch.setattr(triage_learned, "learned_model", lambda: chosen)
        return [t.flags for t in triage([argument, praise])]

    loose = flags(lead_critical_ceiling=1.0, hostile_spares_rules_praise=False)
    assert "needs_reply" in loose[0] and "hostile" in loose[1]
    strict = flags(lead_critical_ceiling=0.01, hostile_spares_rules_praise=True)
    assert "needs_reply" not in strict[0] and "hostile" not in strict[1]


def test_triage_reads_the_models_other_language_safety_threshold(monkeypatch) -> None:
    # A parent's question in Korean ("my son is an officer, what time does his shift
    # end?") the layer flags safety once its safety threshold is set very low; with the
    # other-language threshold at 1.0 (never), only the rules could flag it, and they do
    # not. An English comment locating an officer at the same low threshold keeps the
    # layer's flag.
    korean = "우리 아들이 경찰관인데 몇 시에 근무가 끝나나요?"
    english = "Saw that officer from the video pumping gas on 5th and Main, same car every morning"
    model = learned_model()
    eager = replace(model, settings=model.settings.with_threshold("safety", 0.01))
    by_rules = rule_triage([korean, english])
    assert by_rules[0].lang not in triage_learned.MAIN_LANGUAGES
    assert "safety" not in by_rules[0].flags and "safety" not in by_rules[1].flags

    def flagged(other: float) -> list[bool]:
        chosen = _with(eager, other_language_safety=other)
        monkeypatch.setattr(triage_learned, "learned_model", lambda: chosen)
        return ["safety" in t.flags for t in triage([korean, english])]

    assert flagged(np.nan) == [True, True]
    assert flagged(1.0) == [False, True]


def test_decide_keeps_an_applicants_lead_that_reads_critical() -> None:
    # Read critical past the lead ceiling: an argument, not a lead, unless it is an
    # applicant's own case (analysis.flags.applicant_asks).
    angry = np.array([[0.9, 0.05, 0.05, 0.0, 0.0, 0.0]])
    settings = Settings(stance_confidence=0.5, lead_critical_ceiling=0.7)
    args = (["neutral"], [0.0], [frozenset({"needs_reply"})], ["en"], settings, None, None)
    assert "needs_reply" not in decide(angry, *args, [False])[0][2]
    assert "needs_reply" in decide(angry, *args, [True])[0][2]
    # A threat is never a lead, applicant or not.
    threat = (["neutral"], [0.0], [frozenset({"needs_reply", "hostile"})], ["en"], settings)
    assert "needs_reply" not in decide(angry, *threat, None, None, [True])[0][2]


def test_decide_raises_no_lead_on_a_residents_business() -> None:
    # Round 39: the model's lead is not raised on a resident's own business with the police
    # (analysis.flags.resident_business_only); the rules' own lead is not touched by it.
    asked = np.array([[0.05, 0.9, 0.05, 0.9, 0.0, 0.0]])
    settings = Settings(thresholds=(0.5, np.nan, np.nan))
    args = (["neutral"], [0.0], [frozenset()], ["en"], settings, None, None, None)
    assert "needs_reply" in decide(asked, *args, [False])[0][2]
    assert "needs_reply" not in decide(asked, *args, [True])[0][2]
    ruled = (["neutral"], [0.0], [frozenset({"needs_reply"})], ["en"], settings, None, None, None)
    assert "needs_reply" in decide(asked, *ruled, [True])[0][2]


def test_a_residents_business_is_no_lead_and_locates_no_one() -> None:
    report, impound, towed_by_him = triage(
        [
            "How do I get a copy of my accident report from last Friday?",
            "where do i pick up my car from the impound lot",
            "He towed my car. What's his name and where does he park?",
        ]
    )
    assert not {"needs_reply", "safety"} & report.flags
    assert not {"needs_reply", "safety"} & impound.flags
    assert "safety" in towed_by_him.flags


def test_an_applicants_angry_question_reaches_the_recruiter() -> None:
    [result] = triage(
        [
            "I submitted everything in November and nobody has called me back. "
            "Who am I supposed to contact about my application?"
        ]
    )
    assert "needs_reply" in result.flags


def test_a_pay_question_in_anger_reaches_the_recruiter_and_exposure_with_menace_is_a_threat() -> (
    None
):
    # Round 36: the pay asked with no question mark after a complaint about it; an officer's
    # car and plate exposed and then "Handle it".
    pay, exposed = triage(
        [
            "Pay is insulting next to the county. What's the real starting salary after the raise",
            "Deputy Vance drives the grey F-150, plate 7HK 221, parks behind the Kroger on 4th "
            "after night shift. Handle it",
        ]
    )
    assert "needs_reply" in pay.flags
    assert {"safety", "hostile"} <= exposed.flags


def test_a_question_that_asks_plainly_for_an_answer_stays_a_lead() -> None:
    # Round 37: a critical question that asks for a real answer reaches someone who answers;
    # one that asks nothing, or asks with a laugh, does not.
    asked, straight, rhetorical, mocking = triage(
        [
            "Is it true you lowered the fitness standards to get more recruits? Would like a "
            "real answer, not a PR one.",
            "Did you drop the residency requirement? Straight answer please, not a press release.",
            "Would like a real answer. But we all know nobody here ever gives one.",
            "Genuinely asking, who would even apply to this circus lol",
        ]
    )
    assert "needs_reply" in asked.flags
    assert "needs_reply" in straight.flags
    assert "needs_reply" not in rhetorical.flags
    assert "needs_reply" not in mocking.flags


def test_refine_reads_menace_logistics_and_applicants_only_where_they_count() -> None:
    # refine() runs these checks only where the model's flags make them count; every
    # comment of a labelled file gets the answer it would with them run everywhere.
    from analysis import flags
    from analysis.triage_eval import load

    comments = load(Path(__file__).parents[1] / "data" / "comments_heldout46.csv")
    texts = [c.text for c in comments]
    rules = rule_triage(texts)
    model = learned_model()
    stances, scores = [r.stance for r in rules], [r.score for r in rules]
    found, langs = [r.flags for r in rules], [r.lang for r in rules]
    dense = triage_learned.dense_features(texts, stances, scores, found, langs)
    if model.semantic:
        dense = np.hstack([dense, triage_learned.semantic_features(texts, langs)])
    everywhere = decide(
        model.probabilities(texts, dense),
        stances,
        scores,
        found,
        langs,
        model.settings,
        [flags.menaces(t) for t in texts],
        [flags.logistics_only(t) for t in texts],
        [flags.stays_a_lead(t) for t in texts],
        [flags.not_for_recruiters(t) for t in texts],
        [flags.wishes_well(t) for t in texts],
    )
    refined = triage_learned.refine(texts, rules)
    assert [(r.stance, r.score, r.flags) for r in refined] == everywhere
