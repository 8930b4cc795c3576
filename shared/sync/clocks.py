"""Vector clocks ({deviceId: counter}) and the rule that decides between two versions."""

from datetime import datetime
from enum import StrEnum
from typing import Literal, NamedTuple

Clock = dict[str, int]


class Order(StrEnum):
    EQUAL = "equal"
    BEFORE = "before"  # every counter <=, one <
    AFTER = "after"
    CONCURRENT = "concurrent"


def compare(a: Clock, b: Clock) -> Order:
    """How clock `a` relates to clock `b` (absent counters are 0)."""
    keys = a.keys() | b.keys()
    ahead = any(a.get(k, 0) > b.get(k, 0) for k in keys)
    behind = any(a.get(k, 0) < b.get(k, 0) for k in keys)
    if ahead and behind:
        return Order.CONCURRENT
    if ahead:
        return Order.AFTER
    return Order.BEFORE if behind else Order.EQUAL


def merge(a: Clock, b: Clock) -> Clock:
    """The element-wise maximum."""
    return {k: max(a.get(k, 0), b.get(k, 0)) for k in sorted(a.keys() | b.keys())}


# Versions and decisions are NamedTuples: immutable like frozen dataclasses, and built in a
# quarter of the time (a push makes three per entry).
class Version(NamedTuple):
    """One version of an entry, as far as conflict resolution cares."""

    id: str  # the entry's
    ciphertext: str | None  # None for a tombstone
    deleted: bool
    clock: Clock
    updated_at: datetime
    device_id: str  # the device that pushed this version

    def same_content(self, other: "Version") -> bool:
        return (self.ciphertext, self.deleted) == (other.ciphertext, other.deleted)

    def lww_key(self) -> tuple[datetime, str, str]:
        # Later updatedAt wins, then the greater deviceId, then the greater ciphertext: a
        # total order, so both servers orders of arrival pick the same winner.
        return (self.updated_at, self.device_id, self.ciphertext or "")


class Decision(NamedTuple):
    status: Literal["accepted", "stale", "conflict"]
    write: Version | None = None  # what to store (None: nothing changes)
    winner: Literal["incoming", "stored"] | None = None
    loser: Version | None = None
    duplicate: bool = False


def decide(stored: Version | None, incoming: Version) -> Decision:
    """Accept a dominating version, refuse a dominated one, and settle concurrent ones by
    last-writer-wins under the merged clock. Re-sending what is stored is a no-op."""
    if stored is None:
        return Decision("accepted", incoming)  # positional: the common case, a new entry
    order = compare(incoming.clock, stored.clock)
    if order in (Order.EQUAL, Order.BEFORE):
        if incoming.same_content(stored):
            return Decision("accepted", duplicate=True)
        return Decision("stale")
    if order == Order.AFTER:
        return Decision("accepted", write=incoming)
    clock = merge(incoming.clock, stored.clock)
    if incoming.lww_key() > stored.lww_key():
        return Decision("conflict", incoming._replace(clock=clock), "incoming", stored)
    return Decision("conflict", stored._replace(clock=clock), "stored", incoming)
