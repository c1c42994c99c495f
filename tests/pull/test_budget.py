from datetime import UTC, datetime, timedelta

from beatpost.pull.budget import ReadBudget, WorkItem, allocate

T0 = datetime(2027, 3, 1, tzinfo=UTC)


def item(name, slot, minutes=0, cost=1):
    return WorkItem(name, slot, T0 + timedelta(minutes=minutes), cost)


def names(items):
    return [i.payload for i in items]


def test_everything_granted_when_budget_is_ample():
    budget = ReadBudget(cap=100)
    alloc = allocate([item("a", 3), item("b", 0), item("c", 1)], budget)
    assert names(alloc.granted) == ["b", "c", "a"]  # youngest slot first
    assert alloc.deferred == []
    assert budget.used == 3


def test_youngest_slots_win_when_short():
    budget = ReadBudget(cap=8, used=5)  # 3 left, reserve 2 applies from slot 2
    alloc = allocate(
        [item("old", 4), item("new1", 0), item("new2", 0, minutes=5), item("mid", 1)], budget
    )
    assert names(alloc.granted) == ["new1", "new2", "mid"]
    assert names(alloc.deferred) == ["old"]
    assert budget.remaining == 0


def test_reserve_holds_back_older_slots_only():
    budget = ReadBudget(cap=100, used=70)  # 30 left, reserve 25
    alloc = allocate([item(f"o{i}", 2) for i in range(10)], budget)
    assert len(alloc.granted) == 5  # stops at the reserve
    alloc = allocate([item(f"n{i}", 0) for i in range(30)], budget)
    assert len(alloc.granted) == 25  # first slots may use the reserve
    assert budget.remaining == 0


def test_overdue_first_within_a_slot():
    budget = ReadBudget(cap=1)
    alloc = allocate([item("late", 0, minutes=30), item("early", 0, minutes=0)], budget)
    assert names(alloc.granted) == ["early"]


def test_zero_cap_defers_everything():
    alloc = allocate([item("a", 0)], ReadBudget(cap=0))
    assert alloc.granted == [] and names(alloc.deferred) == ["a"]


def test_cost_larger_than_remaining_is_deferred_but_smaller_later_items_fit():
    budget = ReadBudget(cap=10)
    alloc = allocate([item("big", 0, cost=11), item("small", 0, minutes=1, cost=2)], budget)
    assert names(alloc.granted) == ["small"] and names(alloc.deferred) == ["big"]
