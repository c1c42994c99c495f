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
