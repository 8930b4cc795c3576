"""Pending locks with a timeout, like TigerBeetle's pending transfers.

A session's lock is recorded on the user document (`pendingLocks.{ref}`) with the moment it
times out and what happens then: `void` (the credits go back, a credits_refund) or `post`
(they are burned, a credits_burn, with an ash grant). Every read of the wallet after the
timeout shows it settled, and every write (`post_entries`) settles it first, in its own
transaction, and marks the record `settled`; whoever closes the lock's owner (a session
resolved or expired) removes the record and finds there what was already posted.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from shared.ledger.model import EntryType, NewEntry

FIELD = "pendingLocks"
OnTimeout = Literal["void", "post"]


class PendingLock(BaseModel):
    amount: int
    timeout_at: datetime
    on_timeout: OnTimeout
    ash: int = 0  # granted with a post
    reason: str  # of the entries a timeout posts
    settled: bool = False  # the timeout's entries are posted

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    def document(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True)

    def lapsed(self, now: datetime) -> bool:
        return self.timeout_at < now


def entry_id(ref: str, kind: str) -> str:
    """Ids of a session's lock entries: `session_<id>_lock`, `_refund`, `_burn`, `_ash`."""
    return f"session_{ref}_{kind}"


def locks_of(user: Mapping[str, Any]) -> dict[str, PendingLock]:
    return {ref: PendingLock.model_validate(r) for ref, r in (user.get(FIELD) or {}).items()}


def settlement(ref: str, amount: int, post: bool, ash: int, reason: str | None) -> list[NewEntry]:
    """The entries that release a lock: void refunds it; post burns it and grants ash."""
    refs = {"session": ref}
    if not post:
        return [
            NewEntry(
                id=entry_id(ref, "refund"),
                type=EntryType.CREDITS_REFUND,
                amount=amount,
                refs=refs,
                reason=reason,
            )
        ]
    burn = NewEntry(
        id=entry_id(ref, "burn"),
        type=EntryType.CREDITS_BURN,
        amount=amount,
        refs=refs,
        reason=reason,
    )
    grant = NewEntry(id=entry_id(ref, "ash"), type=EntryType.ASH_GRANT, amount=ash, refs=refs)
    return [burn, grant] if ash > 0 else [burn]


def lapsed(
    user: Mapping[str, Any], now: datetime, skip: Mapping[str, Any] | None = None
) -> tuple[list[NewEntry], dict[str, Any]]:
    """The entries that settle every lock timed out by `now` and not settled yet (except
    those in `skip`, which the caller settles itself), and the record fields that say so."""
    entries: list[NewEntry] = []
    marks: dict[str, Any] = {}
    for ref, lock in locks_of(user).items():
        if lock.settled or not lock.lapsed(now) or ref in (skip or {}):
            continue
        entries += settlement(ref, lock.amount, lock.on_timeout == "post", lock.ash, lock.reason)
        marks[ref] = {"settled": True}
    return entries, marks
