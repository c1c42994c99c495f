"""The trainer's constraints on the learned layer's hostile threshold."""

from __future__ import annotations

from analysis.train_triage import _precision_kept


def _file(flagged_supportive: int, supportive: int, tp: int = 40, predicted: int = 40) -> dict:
    return {
        "hostile_tp": tp,
        "hostile_predicted": predicted,
        "supportive_hostile_count": flagged_supportive,
        "supportive_count": supportive,
    }


def test_hostile_threshold_may_not_flag_supportive_comments_of_one_small_file() -> None:
    # Pooled 1 / 545 supportive comments (0.2 %), but 1 of the small file's 45 (2.2 %).
    rules = [_file(0, 500), _file(0, 45)]
    assert not _precision_kept("hostile", [_file(0, 500), _file(1, 45)], rules)
    assert _precision_kept("hostile", [_file(0, 500), _file(0, 45)], rules)


def test_hostile_threshold_is_not_blamed_for_what_the_rules_already_flag() -> None:
    # The rules alone flag 5 of 140 supportive comments hostile; the layer adds none.
    rules = [_file(5, 140), _file(0, 500)]
    assert _precision_kept("hostile", [_file(5, 140), _file(0, 500)], rules)
    assert not _precision_kept("hostile", [_file(6, 140), _file(0, 500)], rules)


def test_hostile_threshold_keeps_the_pooled_ceiling_and_precision() -> None:
    rules = [_file(0, 100), _file(0, 100)]
    # 1 % in each file is allowed.
    assert _precision_kept("hostile", [_file(1, 100), _file(1, 100)], rules)
    # What the rules flag in one file still counts toward the pooled 1 %.
    rules_flag = [_file(3, 100), _file(0, 100)]
    assert not _precision_kept("hostile", [_file(3, 100), _file(0, 100)], rules_flag)
    # Pooled precision below 0.85 (60 of 80).
    assert not _precision_kept("hostile", [_file(0, 100, 20, 40), _file(0, 100)], rules)


def _leads(tp: int, predicted: int, precision: float) -> dict:
    return {
        "needs_reply_tp": tp,
        "needs_reply_predicted": predicted,
        "needs_reply_precision": precision,
    }


def test_lead_threshold_keeps_precision_in_every_file() -> None:
    rules = [_leads(90, 100, 0.90), _leads(45, 50, 0.90)]
    assert _precision_kept("needs_reply", [_leads(95, 110, 0.86), _leads(48, 55, 0.87)], rules)
    assert not _precision_kept("needs_reply", [_leads(95, 110, 0.86), _leads(48, 60, 0.80)], rules)


def test_lead_threshold_is_not_blamed_for_the_rules_own_false_leads() -> None:
    # The rules alone are at 0.80 in the second file: the layer may add leads there if
    # it does not lower that, and may not lower it.
    rules = [_leads(90, 100, 0.90), _leads(40, 50, 0.80)]
    assert _precision_kept("needs_reply", [_leads(90, 100, 0.90), _leads(44, 54, 0.815)], rules)
    assert not _precision_kept("needs_reply", [_leads(90, 100, 0.90), _leads(42, 54, 0.78)], rules)
