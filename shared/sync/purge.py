"""Purging old tombstones (the scheduled job `purge_sync_tombstones`).

Tombstones are kept `sync_tombstone_retention_days` after the server wrote them, long enough
for every active device to pull them. Purging one raises the user's purge horizon to its
sequence number in the same transaction; a device whose cursor is older must resync. Users
are found by `sync_state.nextPurgeAt`, so a run touches only users with tombstones due, and a
run cut short is simply continued by the next one (every step is its own transaction).
"""

from datetime import datetime, timedelta
from itertools import takewhile

from shared import collections, wiring
from shared.store import MAX_WRITES_PER_COMMIT, Transaction, query
from shared.sync.models import PurgeReport
from shared.sync.settings import settings
from shared.sync.state import read_state, state_path, states_due

CHUNK = MAX_WRITES_PER_COMMIT - 1  # deletes per transaction, plus the state document


def purge_tombstones() -> PurgeReport:
    """Purge due tombstones of up to `sync_purge_users_per_run` users."""
    now = wiring.now()
    due = states_due("nextPurgeAt", now, settings().sync_purge_users_per_run)
    purged = sum(purge_user(doc.id, now) for doc in due)
    return PurgeReport(users=len(due), tombstones=purged)


def purge_user(uid: str, now: datetime) -> int:
    """Delete `uid`'s tombstones older than the retention; the number deleted."""
    retention = timedelta(days=settings().sync_tombstone_retention_days)
    total = 0
    while True:
        count, done = wiring.store().transaction(
            lambda txn: _purge_chunk(txn, uid, now - retention, retention)
        )
        total += count
        if done:
            return total


def _purge_chunk(
    txn: Transaction, uid: str, cutoff: datetime, retention: timedelta
) -> tuple[int, bool]:
    state = read_state(txn, uid)
    # Only tombstones have deletedAt, so only they are in its index: a live entry's write
    # costs no index entry for purging.
    oldest = txn.query(
        query(collections.sync_entries(uid), order_by=["deletedAt"], limit=CHUNK + 1)
    )
    expired = list(takewhile(lambda d: d.data["deletedAt"] <= cutoff, oldest[:CHUNK]))
    for doc in expired:
        txn.delete(doc.path)
    if expired:
        # Pushes that overlap may commit out of deletedAt order: the highest seq counts.
        purged_seq = max(doc.data["seq"] for doc in expired)
        state.purge_horizon = max(state.purge_horizon, purged_seq)
        state.tombstone_count -= len(expired)
    done = len(expired) < CHUNK
    if done:
        rest = oldest[len(expired) :]
        state.next_purge_at = rest[0].data["deletedAt"] + retention if rest else None
    txn.set(state_path(uid), state.model_dump(by_alias=True))
    return len(expired), done
