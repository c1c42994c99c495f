"""Per-platform daily read budgets, and how a pull degrades when one runs short.

A *read* is one item the platform returns: the metrics of one post, or one comment. That is
what X bills (each post read counts, whether it arrives as a looked-up post or as a reply),
and on the Graph API it over-counts calls, so a cap in reads is always on the safe side.
``settings.<platform>.reads_per_day`` caps reads per UTC day; 0 means no reads at all.

When the budget is short nothing fails. Work is served youngest slot first, so a post's
first measurements (+1h, +6h) are taken before an older post's +7d; and slots from
``RESERVED_FROM_SLOT`` on may not draw the day's budget below ``RESERVE_FRACTION`` of the
cap, which keeps room for posts published later the same day. Work that does not fit is
deferred, not dropped: it stays due, and when a later slot of the same delivery comes due
first the deferred one is passed over, so older posts end up measured less often.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

#: Share of the daily cap that only the first slots of a delivery may spend.
RESERVE_FRACTION = 0.25
#: Slot index (0 = +1h) from which work is held back by the reserve.
RESERVED_FROM_SLOT = 2

T = TypeVar("T")


@dataclass
class ReadBudget:
    """What is left of one platform's reads today. Mutable; one per platform per pull."""

    cap: int | None  # None: the platform has no read budget
    used: int = 0

    @property
    def remaining(self) -> int | None:
        return None if self.cap is None else max(self.cap - self.used, 0)

    @property
    def reserve(self) -> int:
        return 0 if self.cap is None else math.ceil(self.cap * RESERVE_FRACTION)

    @property
    def overdrawn(self) -> bool:
        return self.cap is not None and self.used > self.cap

    def allows(self, cost: int, slot_index: int) -> bool:
        if self.remaining is None:
            return True
        floor = self.reserve if slot_index >= RESERVED_FROM_SLOT else 0
        return self.remaining - cost >= floor

    def spend(self, reads: int) -> None:
        self.used += reads


@dataclass(frozen=True)
class WorkItem(Generic[T]):
    """One unit of work competing for reads: ``payload`` is whatever the caller needs back."""

    payload: T
    slot_index: int
    due_at: datetime
    cost: int = 1


@dataclass(frozen=True)
class Allocation(Generic[T]):
    granted: list[WorkItem[T]]
    deferred: list[WorkItem[T]]


def priority(item: WorkItem[T]) -> tuple[int, datetime]:
    """Youngest slot first, then the longest overdue."""
    return (item.slot_index, item.due_at)


def allocate(items: Iterable[WorkItem[T]], budget: ReadBudget) -> Allocation[T]:
    """Grant items in priority order while the budget allows; spends what it grants."""
    granted: list[WorkItem[T]] = []
    deferred: list[WorkItem[T]] = []
    for item in sorted(items, key=priority):
        if budget.allows(item.cost, item.slot_index):
            budget.spend(item.cost)
            granted.append(item)
        else:
            deferred.append(item)
    return Allocation(granted, deferred)
