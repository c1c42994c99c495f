"""The trainer's constraints on the learned layer's thresholds, and its cache."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from analysis.train_triage import (
    LEAD_RECALL_TARGET,
    STANCE_MARGIN,
    _at_best,
    _figures,
    _leads_beside_safety,
    _precision_kept,
    conservative_stance,
)
from analysis.triage_learned import Settings

NAMES = ("comments_dev.csv", "comments_heldout.csv")


def _file(flagged_supportive: int, supportive: int, tp: int = 40, predicted: int = 40) -> dict:
    return {
        "hostile_tp": tp,
        "hostile_predicted": predicted,
        "supportive_hostile_count": flagged_supportive,
        "supportive_count": supportive,
    }


def test_the_supportive_rail_counts_false_alarms_not_harassment_written_as_praise() -> None:
    # Round 37: three supportive comments flagged hostile, one of them labelled hostile too
    # ("she can put me in handcuffs anytime 😏"): two false alarms count against the rail.
    stance = np.array([2, 2, 2, 2, 0])
    labels = np.zeros((5, 3), dtype=bool)
    labels[1, 1] = labels[4, 1] = True  # hostile: a supportive one and a critical one
    data = SimpleNamespace(stance=stance, flags=labels, spanish=np.ones(5, dtype=bool))
    decided = [
        ("supportive", 0.5, frozenset({"hostile"})),
        ("supportive", 0.5, frozenset({"hostile"})),
        ("supportive", 0.5, frozenset({"hostile"})),
        ("supportive", 0.5, frozenset()),
        ("critical", -0.5, frozenset({"hostile", "critical"})),
    ]
    figures = _figures(data, decided)
    assert figures["supportive_hostile_count"] == 2
    assert figures["supportive_count"] == 4
    assert figures["supportive_flagged_hostile"] == 0.75  # the card's figure stays literal


def test_hostile_threshold_may_not_flag_supportive_comments_of_one_small_file() -> None:
    # Pooled 2 / 545 supportive comments (0.4 %), but 2 of the small file's 45 (4.4 %);
    # one is allowed there (1 % rounded up to a whole comment).
    rules = [_file(0, 500), _file(0, 45)]
    assert not _precision_kept("hostile", [_file(0, 500), _file(2, 45)], rules, NAMES)
    assert _precision_kept("hostile", [_file(0, 500), _file(1, 45)], rules, NAMES)


def test_files_written_to_train_count_in_neither_supportive_ceiling() -> None:
    # 4 of a look-alike-rich file's 220 supportive comments (1.8 %), or 30 (14 %), is no
    # comment section's rate: neither its own nor the pooled 1 % counts it (round 32).
    names = ("comments_dev.csv", "comments_train9.csv")
    rules = [_file(0, 500), _file(0, 220)]
    assert _precision_kept("hostile", [_file(0, 500), _file(4, 220)], rules, names)
    assert _precision_kept("hostile", [_file(0, 500), _file(30, 220)], rules, names)
    assert not _precision_kept("hostile", [_file(0, 500), _file(4, 220)], rules, NAMES)
    # The sections' pooled 1 % still holds, whatever the written file does: 2 of 150 in
    # each of two sections is within each one's 1 % rounded up, but 4 of 300 pooled is not.
    three = ("comments_dev.csv", "comments_heldout.csv", "comments_train9.csv")
    rules3 = [_file(0, 150), _file(0, 150), _file(0, 220)]
    assert not _precision_kept(
        "hostile", [_file(2, 150), _file(2, 150), _file(0, 220)], rules3, three
    )
    assert _precision_kept("hostile", [_file(2, 150), _file(1, 150), _file(30, 220)], rules3, three)
    # And a written file's threats still count in the pooled precision (60 of 80).
    assert not _precision_kept("hostile", [_file(0, 500), _file(0, 220, 20, 40)], rules, names)


def test_hostile_threshold_is_not_blamed_for_what_the_rules_already_flag() -> None:
    # The rules alone flag 5 of 140 supportive comments hostile; the layer adds none.
    rules = [_file(5, 140), _file(0, 500)]
    assert _precision_kept("hostile", [_file(5, 140), _file(0, 500)], rules, NAMES)
    assert not _precision_kept("hostile", [_file(6, 140), _file(0, 500)], rules, NAMES)


def test_hostile_threshold_keeps_the_pooled_ceiling_and_precision() -> None:
    rules = [_file(0, 100), _file(0, 100)]
    # 1 % in each file is allowed.
    assert _precision_kept("hostile", [_file(1, 100), _file(1, 100)], rules, NAMES)
    # What the rules flag in one file still counts toward the pooled 1 %.
    rules_flag = [_file(3, 100), _file(0, 100)]
    assert not _precision_kept("hostile", [_file(3, 100), _file(0, 100)], rules_flag, NAMES)
    # Pooled precision below 0.85 (60 of 80).
    assert not _precision_kept("hostile", [_file(0, 100, 20, 40), _file(0, 100)], rules, NAMES)


def _leads(tp: int, predicted: int, precision: float) -> dict:
    return {
        "needs_reply_tp": tp,
        "needs_reply_predicted": predicted,
        "needs_reply_precision": precision,
    }


def test_lead_threshold_keeps_precision_in_every_file() -> None:
    rules = [_leads(90, 100, 0.90), _leads(45, 50, 0.90)]
    assert _precision_kept(
        "needs_reply", [_leads(95, 110, 0.86), _leads(48, 55, 0.87)], rules, NAMES
    )
    assert not _precision_kept(
        "needs_reply", [_leads(95, 110, 0.86), _leads(48, 60, 0.80)], rules, NAMES
    )


def test_lead_threshold_is_not_blamed_for_the_rules_own_false_leads() -> None:
    # The rules alone are at 0.80 in the second file: the layer may add leads there if
    # it does not lower that, and may not lower it.
    rules = [_leads(90, 100, 0.90), _leads(40, 50, 0.80)]
    assert _precision_kept(
        "needs_reply", [_leads(90, 100, 0.90), _leads(44, 54, 0.815)], rules, NAMES
    )
    assert not _precision_kept(
        "needs_reply", [_leads(90, 100, 0.90), _leads(42, 54, 0.78)], rules, NAMES
    )


def test_files_written_to_train_count_in_the_pooled_lead_precision_only() -> None:
    # A look-alike-rich file at 0.75 does not hold the threshold back while the pooled
    # precision stays at 0.85; a comment section at 0.75 does.
    names = ("comments_dev.csv", "comments_train23.csv")
    rules = [_leads(90, 100, 0.90), _leads(40, 50, 0.80)]
    layer = [_leads(190, 200, 0.95), _leads(45, 60, 0.75)]
    assert _precision_kept("needs_reply", layer, rules, names)
    assert not _precision_kept("needs_reply", layer, rules, NAMES)
    # The comment section alone is fine (0.90); pooled 0.50 (100 of 200) is not kept.
    pooled_low = [_leads(90, 100, 0.90), _leads(10, 100, 0.10)]
    assert not _precision_kept("needs_reply", pooled_low, rules, names)


def test_jobs_must_be_a_number_of_cores(capsys) -> None:
    import pytest

    from analysis.train_triage import main

    for bad in ("0", "x", "-1", "100"):
        with pytest.raises(SystemExit) as stopped:
            main(["--jobs", bad, "--report-only"])
        assert stopped.value.code == 2
        assert "number of cores from 1 to 64" in capsys.readouterr().err


def test_learned_stance_takes_over_more_cues_only_for_a_clear_gain() -> None:
    text = ("text", 10.0)
    # 0.0 (the model everywhere) beats 0.5 by less than the margin: 0.5 keeps the rules' cues.
    near = [(0.880, text, 0.0), (0.880 - STANCE_MARGIN / 2, text, 0.5), (0.86, text, 0.8)]
    assert conservative_stance(near) == near[1]
    # By more than the margin, the model's stance over more of the rules' is worth it.
    clear = [(0.880, text, 0.0), (0.880 - 2 * STANCE_MARGIN, text, 0.5)]
    assert conservative_stance(clear) == clear[0]
    # Among equally confident choices, the better mean.
    tie = [(0.870, ("text", 3.0), 0.5), (0.872, text, 0.5)]
    assert conservative_stance(tie) == tie[1]


class _FakeFile:
    """English comments with their labels (the last one supportive) and no flag from the
    rules."""

    def __init__(self, leads: list[bool], safety: list[bool]) -> None:
        n = len(leads)
        self.name = "comments_dev.csv"
        self.texts = [f"comment {i}" for i in range(n)]
        self.stance = np.array([1] * (n - 1) + [2])
        self.flags = np.array(
            [[lead, False, safe] for lead, safe in zip(leads, safety, strict=True)]
        )
        self.spanish = np.ones(n, dtype=bool)
        self.rule_stances, self.rule_scores = ["neutral"] * n, [0.0] * n
        self.rule_flags, self.langs = [frozenset()] * n, ["en"] * n
        self.menace, self.logistics, self.applicant = [False] * n, [False] * n, [False] * n
        self.not_for_recruiters = [False] * n
        self.well_wished = [False] * n


def _lead_choice(leads: list[bool], safety: list[bool]) -> dict:
    """What the second pass chooses when the model reads comment 1 as a lead and as
    locating an officer (comments 0 and 2 as leads only)."""
    from analysis.train_triage import _figures, _rules_alone

    data = _FakeFile(leads, safety)
    probs = np.zeros((4, 6))
    probs[:, 1] = 1.0
    probs[[0, 1, 2], 3] = 0.9  # needs_reply
    probs[1, 5] = 0.9  # safety
    key = ("text", 3.0)
    choice = {"C": {"safety": key}, "settings": Settings(thresholds=(np.nan, np.nan, 0.5))}
    _leads_beside_safety([data], [_figures(data, _rules_alone(data))], {key: [probs]}, choice)
    return choice


def test_the_models_safety_ends_a_lead_only_where_it_finds_more_leads() -> None:
    # Comment 1 locates an officer, not a lead: without ending it, 2 of 3 leads are right
    # (below the 0.85 floor) and no threshold is kept; ending it keeps both real leads.
    located = _lead_choice([True, False, True, False], [False, True, False, False])
    assert located["settings"].safety_ends_lead is True
    assert located["C"]["needs_reply"] == ("text", 3.0)
    assert located["settings"].threshold("needs_reply") == 0.9
    # Comment 1 is a real lead the safety column misreads: ending it would lose it.
    misread = _lead_choice([True, True, True, False], [False, False, False, False])
    assert misread["settings"].safety_ends_lead is False
    assert misread["settings"].threshold("needs_reply") == 0.9


def test_at_best_is_the_most_precise_that_reaches_the_recall_target() -> None:
    # (recall, C, threshold, precision), in increasing strictness
    options = [(0.976, "a", 0.3, 0.85), (0.976, "a", 0.4, 0.85), (0.962, "a", 0.5, 0.89)]
    assert _at_best(options) == options[1]  # no target: the highest recall, ties to the stricter
    assert _at_best(options, 0.96) == options[2]
    assert _at_best(options, 0.97) == options[1]  # only the first two reach it
    # None reaches the target: the highest recall.
    assert _at_best([(0.94, "a", 0.3, 0.86), (0.93, "a", 0.5, 0.95)], 0.96)[2] == 0.3


def _lead_ceiling_choice(argued: list[bool], read_critical: list[float]) -> dict:
    """The second pass's choice on 17 real leads read neutral, then comments the model reads
    as leads, each a lead or not (``argued``: not) and read critical at ``read_critical``."""
    from analysis.train_triage import _figures, _rules_alone

    n = 17 + len(argued) + 1
    data = _FakeFile([True] * 17 + [not a for a in argued] + [False], [False] * n)
    probs = np.zeros((n, 6))
    probs[:, 1] = 1.0
    probs[:-1, 3] = 0.9  # needs_reply, all but the last (a supportive comment)
    probs[17:-1, 0] = read_critical
    probs[17:-1, 1] = 1.0 - np.asarray(read_critical)
    key = ("text", 3.0)
    choice = {"C": {"stance": key}, "settings": Settings(stance_confidence=0.9)}
    _leads_beside_safety([data], [_figures(data, _rules_alone(data))], {key: [probs]}, choice)
    return choice


def test_a_comment_read_critical_ends_a_lead_where_it_costs_no_recall() -> None:
    # Three arguments read critical at 0.8 and as leads: 17 of 20 (0.85) keeps the floor,
    # but no lead is lost where they are dropped: the most precise choice, at the highest
    # ceiling that drops them.
    argued = _lead_ceiling_choice([True] * 3, [0.8] * 3)
    assert argued["settings"].lead_critical_ceiling == 0.8
    assert argued["C"]["needs_reply"] == ("text", 3.0)
    assert argued["settings"].threshold("needs_reply") == 0.9
    # A real lead read critical at 0.95 beside them: any ceiling that drops the arguments
    # drops it too, and 17 of 18 leads is below the recall target.
    assert LEAD_RECALL_TARGET > 17 / 18
    mixed = _lead_ceiling_choice([True, True, True, False], [0.8, 0.8, 0.8, 0.95])
    assert mixed["settings"].lead_critical_ceiling == 1.0
    assert mixed["settings"].safety_ends_lead is False


def _english_then_polish(
    english: int, polish: list[float], threshold: float, flag: str = "hostile", lang: str = "pl"
):
    """A file of ``english`` English comments then Polish ones (or in ``lang``) read as
    ``flag`` at ``polish`` (every comment read critical: no supportive gate), its
    probabilities, and a choice that ships that flag at ``threshold``; labels are the
    caller's."""
    from analysis.triage_learned import FLAG_ORDER

    n = english + len(polish)
    data = _FakeFile([False] * n, [False] * n)
    data.langs = ["en"] * english + [lang] * len(polish)
    probs = np.zeros((n, 6))
    probs[:, 0] = 1.0
    probs[english:, 3 + FLAG_ORDER.index(flag)] = polish
    choice = {"C": {flag: ("text", 3.0)}, "settings": Settings().with_threshold(flag, threshold)}
    return data, probs, choice


def _other_language_choice(hostile_probs: list[float], truth: list[bool]) -> float:
    """The threshold chosen for hostile in other languages: six English comments (three
    threats read right, one false alarm at 0.9 that the other languages' pool must not
    count), then Polish ones with these hostile probabilities and labels; the hostile
    flag's own threshold is 0.5."""
    from analysis.train_triage import _other_language_threshold

    data, probs, choice = _english_then_polish(6, hostile_probs, 0.5)
    data.flags[:, 1] = [True] * 3 + [False] * 3 + truth
    probs[:4, 4] = 0.9
    _other_language_threshold([data], {("text", 3.0): [probs]}, choice, "hostile")
    assert np.isnan(choice["settings"].other_language_safety)  # the safety flag's own
    return choice["settings"].other_language_hostile


def test_hostile_in_other_languages_keeps_its_precision_floor() -> None:
    # Polish: two threats read at 0.9 and 0.95, two complaints at 0.6 and 0.8. At the
    # flag's own 0.5, precision there is 2 of 4: the lowest threshold that keeps 0.85 is
    # chosen (above 0.8), and no threat is lost.
    chosen = _other_language_choice([0.9, 0.95, 0.6, 0.8], [True, True, False, False])
    assert 0.8 < chosen <= 0.9
    # Read right at the flag's own threshold: nothing changes.
    assert np.isnan(_other_language_choice([0.9, 0.95, 0.2, 0.3], [True, True, False, False]))
    # No threshold separates them: the layer raises hostile in those languages never.
    assert _other_language_choice([0.7, 0.95, 0.99, 0.8], [True, False, False, False]) == 1.0


def test_hostile_is_not_shipped_where_the_other_languages_held_up_its_only_gain() -> None:
    # The rules flag the 20 English threats; the layer adds one Polish threat (0.9) beside
    # three Polish complaints it reads higher. Once the other languages need 1.0 (never),
    # the layer adds nothing over the rules: the hostile flag is not shipped.
    from analysis.train_triage import _figures, _hostile_beside_other_languages, _rules_alone

    data, probs, choice = _english_then_polish(20, [0.9, 0.95, 0.97, 0.99], 0.7)
    data.flags[:, 1] = [True] * 20 + [True, False, False, False]
    data.rule_flags = [frozenset({"hostile"})] * 20 + [frozenset()] * 4
    probs[:20, 4] = 0.9
    rules = [_figures(data, _rules_alone(data))]
    oof = {("text", 3.0): [probs]}
    _hostile_beside_other_languages([data], rules, oof, choice, None, (1.0,))
    assert "hostile" not in choice["C"]
    assert np.isnan(choice["settings"].threshold("hostile"))
    assert np.isnan(choice["settings"].other_language_hostile)


def _other_language_safety_choice(safety_probs: list[float], truth: list[bool]) -> float:
    """The threshold chosen for safety in other languages: six English comments (three
    locating an officer read right, one false alarm at 0.9 that the other languages' pool
    must not count), then Korean ones with these safety probabilities and labels; the
    safety flag's own threshold is 0.5."""
    from analysis.train_triage import _other_language_threshold

    data, probs, choice = _english_then_polish(6, safety_probs, 0.5, "safety", "ko")
    data.flags[:, 2] = [True] * 3 + [False] * 3 + truth
    probs[:4, 5] = 0.9
    _other_language_threshold([data], {("text", 3.0): [probs]}, choice, "safety")
    assert choice["settings"].threshold("safety") == 0.5  # its own threshold stands
    assert np.isnan(choice["settings"].other_language_hostile)  # the hostile flag's own
    return choice["settings"].other_language_safety


def test_safety_in_other_languages_keeps_its_precision_floor() -> None:
    # Korean: two comments locating an officer read at 0.9 and 0.95, two parents'
    # questions at 0.6 and 0.8. At the flag's own 0.5, precision there is 2 of 4: the
    # lowest threshold that keeps 0.80 is chosen (above 0.8), and no real one is lost.
    chosen = _other_language_safety_choice([0.9, 0.95, 0.6, 0.8], [True, True, False, False])
    assert 0.8 < chosen <= 0.9
    # Read right at the flag's own threshold: nothing changes.
    assert np.isnan(
        _other_language_safety_choice([0.9, 0.95, 0.2, 0.3], [True, True, False, False])
    )
    # No threshold separates them: the layer raises safety in those languages never.
    assert _other_language_safety_choice([0.7, 0.95, 0.99, 0.8], [True, False, False, False]) == (
        1.0
    )
    # The safety flag's own floor (0.80), not the hostile flag's (0.85): four of five right
    # keep the flag's own threshold for safety, not for hostile.
    four_of_five = ([0.9, 0.9, 0.9, 0.9, 0.6], [True] * 4 + [False])
    assert np.isnan(_other_language_safety_choice(*four_of_five))
    assert 0.6 < _other_language_choice(*four_of_five) <= 0.9


def _korean_safety(
    english: list[tuple[float, bool]],
    korean: list[tuple[float, bool]],
    threshold: float,
    rules_flag_english: bool = False,
):
    """A file of English then Korean comments, each read as locating an officer at the
    given probability and labelled so or not (the English ones flagged safety by the rules
    where ``rules_flag_english``), the rules' figures on it, its out-of-file probabilities
    and a choice that ships the safety flag at ``threshold``."""
    from analysis.train_triage import _figures, _rules_alone

    data, probs, choice = _english_then_polish(
        len(english), [p for p, _ in korean], threshold, "safety", "ko"
    )
    probs[: len(english), 5] = [p for p, _ in english]
    data.flags[:, 2] = [truth for _, truth in english + korean]
    if rules_flag_english:
        data.rule_flags = [frozenset({"safety"})] * len(english) + [frozenset()] * len(korean)
    rules = [_figures(data, _rules_alone(data))]
    return data, rules, {("text", 3.0): [probs]}, choice


def test_safety_is_not_shipped_where_the_other_languages_held_up_its_only_gain() -> None:
    # The rules flag the 20 English comments locating an officer; the layer adds one
    # Korean one (0.9) beside three Korean parents' questions it reads higher. Once the
    # other languages need 1.0 (never), the layer adds nothing over the rules: the safety
    # flag is not shipped.
    from analysis.train_triage import _safety_beside_other_languages

    data, rules, oof, choice = _korean_safety(
        [(0.9, True)] * 20,
        [(0.9, True), (0.95, False), (0.97, False), (0.99, False)],
        0.7,
        rules_flag_english=True,
    )
    assert rules[0]["safety_recall"] == 20 / 21
    _safety_beside_other_languages([data], rules, oof, choice)
    assert "safety" not in choice["C"]
    assert np.isnan(choice["settings"].threshold("safety"))
    assert np.isnan(choice["settings"].other_language_safety)


# English: 16 comments locating an officer read at 0.9, two at 0.7, four at 0.6 beside
# three false alarms at 0.6; Korean: one read at 0.95 beside three parents' questions at
# 0.7. Pooled, the Korean questions hold the safety flag at 0.7 (at 0.6, 23 of 29 is below
# the 0.80 floor); once they need their own threshold (0.75), 0.6 finds every one.
_HELD_UP = (
    [(0.9, True)] * 16 + [(0.7, True)] * 2 + [(0.6, True)] * 4 + [(0.6, False)] * 3,
    [(0.95, True)] + [(0.7, False)] * 3,
)


def test_safety_is_chosen_again_beside_its_other_language_threshold() -> None:
    from analysis.train_triage import _best_flag, _safety_beside_other_languages

    data, rules, oof, choice = _korean_safety(*_HELD_UP, 0.7)
    # Where the first pass puts it, beside no other-language threshold.
    first = _best_flag([data], rules, oof, 2, Settings())
    assert first[1] == ("text", 3.0) and first[2] == 0.7
    _safety_beside_other_languages([data], rules, oof, choice)
    assert choice["C"]["safety"] == ("text", 3.0)
    assert choice["settings"].threshold("safety") == 0.6
    # Chosen once more beside the threshold that moved: the Korean questions stay out.
    assert choice["settings"].other_language_safety == 0.75
    # Nothing else of the choice moves.
    assert np.isnan(choice["settings"].threshold("needs_reply"))
    assert np.isnan(choice["settings"].threshold("hostile"))
    assert np.isnan(choice["settings"].other_language_hostile)


def test_the_choice_gives_safety_its_own_threshold_in_other_languages() -> None:
    from analysis.train_triage import choose

    data, _, oof, _ = _korean_safety(*_HELD_UP, 0.7)
    choice = choose([data], oof)
    assert choice["C"]["safety"] == ("text", 3.0)
    assert choice["settings"].threshold("safety") == 0.6
    assert choice["settings"].other_language_safety == 0.75


def test_hostile_spares_the_rules_praise_where_that_finds_more_threats() -> None:
    # Ten threats the rules miss, read hostile at 0.9; three comments the rules read
    # supportive that the model reads hostile at 0.95 ("Hope y'all get some good ones").
    # Without sparing them, 10 of 13 is below the floor and no threshold finds a threat.
    from analysis.train_triage import _figures, _hostile_beside_other_languages, _rules_alone

    def chosen(praise_stance: str) -> dict:
        data = _FakeFile([False] * 20, [False] * 20)
        data.flags[:10, 1] = True
        data.rule_stances = ["neutral"] * 10 + [praise_stance] * 3 + ["neutral"] * 7
        probs = np.zeros((20, 6))
        probs[:, 0] = 1.0
        probs[:10, 4], probs[10:13, 4] = 0.9, 0.95
        choice = {
            "C": {"hostile": ("text", 3.0)},
            "settings": Settings(thresholds=(np.nan, 0.5, np.nan)),
        }
        rules = [_figures(data, _rules_alone(data))]
        _hostile_beside_other_languages(
            [data], rules, {("text", 3.0): [probs]}, choice, None, (1.0,)
        )
        return choice

    praised = chosen("supportive")
    assert praised["settings"].hostile_spares_rules_praise is True
    assert praised["settings"].threshold("hostile") <= 0.9
    # Read neutral by the rules, the three are not spared: nothing is shipped.
    plain = chosen("neutral")
    assert plain["settings"].hostile_spares_rules_praise is False and "hostile" not in plain["C"]


def _threats_beside_praise(threat_praised: bool):
    """Ten threats the rules miss, read hostile at 0.9 (the first read supportive by the
    rules where ``threat_praised``), and three comments the rules read supportive that the
    model reads hostile at 0.95 (0.85 where a praised threat must stay findable)."""
    data = _FakeFile([False] * 40, [False] * 40)
    data.flags[:10, 1] = True
    data.rule_stances = ["neutral"] * 40
    data.rule_stances[10:13] = ["supportive"] * 3
    if threat_praised:
        data.rule_stances[0] = "supportive"
    probs = np.zeros((40, 6))
    probs[:, 1] = 1.0
    probs[:10, 4] = 0.9
    probs[10:13, 4] = 0.85 if threat_praised else 0.95
    return data, probs


def test_the_first_choice_of_hostile_may_spare_the_rules_praise() -> None:
    from analysis.train_triage import choose

    # Only sparing the rules' praise lets the flag keep its floor: it is shipped so.
    data, probs = _threats_beside_praise(False)
    choice = choose([data], {("text", 3.0): [probs]})
    assert choice["settings"].hostile_spares_rules_praise is True
    assert choice["C"]["hostile"] == ("text", 3.0)
    assert choice["settings"].threshold("hostile") <= 0.9
    # A threat the rules read supportive: sparing would lose it, and a threshold above the
    # false alarms (0.85) finds all ten without sparing.
    data, probs = _threats_beside_praise(True)
    choice = choose([data], {("text", 3.0): [probs]})
    assert choice["settings"].hostile_spares_rules_praise is False
    assert 0.85 < choice["settings"].threshold("hostile") <= 0.9


def test_out_of_file_probabilities_are_reused_only_while_files_and_code_are_unchanged(
    tmp_path, monkeypatch
) -> None:
    from types import SimpleNamespace

    from analysis import train_triage

    files = [SimpleNamespace(name="comments_dev.csv"), SimpleNamespace(name="comments_train1.csv")]
    runs = []

    def cross_validate(files, jobs, variants):
        runs.append(jobs)
        return {("text", 3.0): [np.full((2, 6), 0.25), np.full((3, 6), 0.75)]}

    monkeypatch.setattr(train_triage, "cross_validate", cross_validate)
    monkeypatch.setattr(
        train_triage, "fingerprint", lambda names, variants: "files and code, round 1"
    )
    cache = tmp_path / "oof.npz"
    first = train_triage.cached_cross_validate(files, 2, cache)
    again = train_triage.cached_cross_validate(files, 2, cache)
    assert len(runs) == 1
    assert list(again) == [("text", 3.0)]
    for a, b in zip(first[("text", 3.0)], again[("text", 3.0)], strict=True):
        np.testing.assert_array_equal(a, b)
    monkeypatch.setattr(train_triage, "fingerprint", lambda names, variants: "a rule changed")
    train_triage.cached_cross_validate(files, 2, cache)
    assert len(runs) == 2
    train_triage.cached_cross_validate(files, 2, None)  # no cache: always fitted
    assert len(runs) == 3
    cache.write_bytes(b"PK\x03\x04 cut off half-way")  # a broken file: fitted again, rewritten
    train_triage.cached_cross_validate(files, 2, cache)
    assert len(runs) == 4
    train_triage.cached_cross_validate(files, 2, cache)
    assert len(runs) == 4
    assert not list(tmp_path.glob("*.partial"))


def test_the_fingerprint_changes_with_a_labelled_file(tmp_path, monkeypatch) -> None:
    from analysis import train_triage

    (tmp_path / "a.csv").write_text("text,stance\nhi,neutral\n")
    monkeypatch.setattr(train_triage, "DATA", tmp_path)
    before = train_triage.fingerprint(["a.csv"])
    assert train_triage.fingerprint(["a.csv"]) == before
    (tmp_path / "a.csv").write_text("text,stance\nhi,supportive\n")
    assert train_triage.fingerprint(["a.csv"]) != before
    # Probabilities of the feature sets without the subword vector (--no-semantic) are not
    # those of every feature set.
    after = train_triage.fingerprint(["a.csv"])
    plain = [v for v in train_triage.VARIANTS if "semantic" not in v]
    assert train_triage.fingerprint(["a.csv"], plain) != after


def test_cache_and_output_paths_are_checked_before_any_work(tmp_path, capsys) -> None:
    import pytest

    from analysis.train_triage import main

    for option, path in (
        ("--cache", tmp_path / "no such folder" / "oof.npz"),
        ("--output", tmp_path),
    ):
        with pytest.raises(SystemExit) as stopped:
            main([option, str(path)])
        assert stopped.value.code == 2
        assert f"{option} {path}: not a file in an existing folder" in capsys.readouterr().err


def test_semantic_features_carry_the_settings_of_their_target_only() -> None:
    # Safety gains 0.02 from the semantic features (above the margin), hostile 0.001
    # (below): safety's feature set, threshold and other-language threshold come from the
    # semantic choice, hostile's all stay the plain choice's.
    from analysis.train_triage import SEMANTIC_MARGIN, _semantic_where_it_pays

    plain = {
        "C": {"hostile": ("text", 3.0), "safety": ("text", 10.0)},
        "settings": Settings(
            thresholds=(np.nan, 0.6, 0.3), other_language_hostile=0.8, other_language_safety=0.5
        ),
    }
    semantic = {
        "C": {"hostile": ("text+semantic", 3.0), "safety": ("text+semantic", 10.0)},
        "settings": Settings(
            thresholds=(np.nan, 0.4, 0.2), other_language_hostile=0.9, other_language_safety=0.7
        ),
    }
    plain_figs = [{"hostile_recall": 0.80, "safety_recall": 0.90}]
    figs = [{"hostile_recall": 0.801, "safety_recall": 0.90 + SEMANTIC_MARGIN + 0.01}]
    out = _semantic_where_it_pays(semantic, plain, figs, plain_figs)
    assert out["C"] == {"hostile": ("text", 3.0), "safety": ("text+semantic", 10.0)}
    assert out["settings"].thresholds[1:] == (0.6, 0.2)
    assert out["settings"].other_language_hostile == 0.8
    assert out["settings"].other_language_safety == 0.7
    out["settings"].check()


def test_the_card_shows_unset_settings_as_none() -> None:
    import json

    from analysis.train_triage import _card_settings

    card = _card_settings(Settings(thresholds=(0.4, np.nan, 0.25), safety_ends_lead=True))
    assert card["thresholds"] == {"needs_reply": 0.4, "hostile": None, "safety": 0.25}
    assert card["other_language_safety"] is None and card["stance_confidence"] is None
    assert card["safety_ends_lead"] is True and card["lead_critical_ceiling"] == 1.0
    json.dumps(card, allow_nan=False)  # a NaN would raise: it is not JSON
