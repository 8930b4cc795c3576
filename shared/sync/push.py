"""Pushing changes: resolve each against the stored version and number accepted writes.

A push is one transaction when it fits in one commit (`WRITE_BUDGET` writes and
`CIPHERTEXT_BUDGET` bytes); a bigger one is cut into consecutive chunks, each its own
transaction, whose sequence numbers are contiguous within the chunk and increase from chunk
to chunk. A chunk reads the access documents, the state and every stored version it needs
(one get_many) before writing anything, so it is re-runnable. A push that changes nothing (a
retry) writes nothing.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shared import collections, log, wiring
from shared.errors import AppError
from shared.store import MAX_WRITES_PER_COMMIT, Transaction
from shared.sync import pokes
from shared.sync.changes import check_push
from shared.sync.clocks import Decision, Version, decide
from shared.sync.entries import entry_document, version_of
from shared.sync.models import EntryOutcome, PushChanges, PushResult
from shared.sync.settings import settings
from shared.sync.state import (
    DevicePush,
    SyncState,
    entry_paths,
    read_state,
    require_access,
    state_path,
)

WRITE_BUDGET = MAX_WRITES_PER_COMMIT - 1  # each chunk also writes the state document
# Ciphertext per transaction: a commit request carries at most 4 MiB on the emulator (10 MiB
# on Firestore), so a push within the body limit is one transaction, and a bigger one splits.
CIPHERTEXT_BUDGET = 3 * 1024 * 1024


@dataclass
class _Chunk:
    """One transaction's share of a push: its writes and outcomes, and the state's counters."""

    uid: str
    now: datetime
    state: SyncState
    outcomes: list[EntryOutcome] = field(default_factory=list)
    writes: dict[str, dict[str, Any]] = field(default_factory=dict)
    poke: bool = False
    # The state's counters as plain ints while the chunk runs, set on the state once at the
    # end (`settle`): assigning model fields three times an entry cost a tenth of a push.
    last_seq: int = 0
    entry_count: int = 0
    tombstone_count: int = 0
    conflict_count: int = 0

    @classmethod
    def of(cls, uid: str, now: datetime, state: SyncState) -> "_Chunk":
        return cls(
            uid,
            now,
            state,
            last_seq=state.last_seq,
            entry_count=state.entry_count,
            tombstone_count=state.tombstone_count,
            conflict_count=state.conflict_count,
        )

    def record(
        self, incoming: Version, path: str, doc: dict[str, Any] | None, decision: Decision
    ) -> None:
        """The writes and the outcome of the decision on `incoming`, stored at `path` as
        `doc`."""
        written = decision.write
        if written is None:  # stale or duplicate: nothing changes, answer with what is stored
            assert doc is not None
            seq, number, clock = doc["seq"], doc["version"], doc["clock"]
            self.outcomes.append(_outcome(incoming.id, decision, seq, number, clock))
            return
        self.last_seq += 1
        seq, number = self.last_seq, (doc["version"] if doc else 0) + 1
        stored = self.writes[path] = entry_document(written, number, seq, self.now)
        self._count(doc, written)
        if decision.loser is not None:
            self.conflict_count += 1
            conflict_id = f"{seq}-{incoming.id}"
            record_path = f"{collections.sync_conflicts(self.uid)}/{conflict_id}"
            self.writes[record_path] = _conflict_record(seq, decision, doc, self.now)
            # Marks the stored version so the losing device learns it when it pulls this one.
            stored["conflict"] = {"id": conflict_id, "loserDeviceId": decision.loser.device_id}
        self.outcomes.append(_outcome(incoming.id, decision, seq, number, written.clock))

    def _count(self, doc: dict[str, Any] | None, written: Version) -> None:
        """Keep the live and tombstone counts, and when the next tombstone purge is due."""
        was_tombstone = doc is not None and doc["deleted"]
        was_live = doc is not None and not doc["deleted"]
        # Booleans count as 0 and 1.
        self.entry_count += (not written.deleted) - was_live
        self.tombstone_count += written.deleted - was_tombstone
        if written.deleted and self.state.next_purge_at is None:
            days = settings().sync_tombstone_retention_days
            self.state.next_purge_at = self.now + timedelta(days=days)

    def settle(self) -> None:
        self.state.last_seq = self.last_seq
        self.state.entry_count = self.entry_count
        self.state.tombstone_count = self.tombstone_count
        self.state.conflict_count = self.conflict_count


def push_changes(uid: str, request: PushChanges) -> PushResult:
    """Apply a device's changes; one outcome per change, in request order."""
    versions = check_push(request, settings())
    store, now = wiring.store(), wiring.now()
    outcomes: list[EntryOutcome] = []
    poke = False
    while True:
        pending = versions[len(outcomes) :]
        chunk = store.transaction(
            lambda txn, pending=pending: _push_chunk(txn, uid, request.device_id, pending, now)
        )
        outcomes += chunk.outcomes
        poke = poke or chunk.poke
        if len(outcomes) == len(versions):
            _log_conflicts(uid, request.device_id, outcomes)
            if poke:  # committed: now the other devices may hear of it
                pokes.send_pokes(uid, chunk.state.last_seq, skip={request.device_id})
            # Built from checked values: validating would copy every outcome.
            return PushResult.model_construct(results=outcomes, last_seq=chunk.state.last_seq)


def _log_conflicts(uid: str, device_id: str, outcomes: list[EntryOutcome]) -> None:
    # Logged after commit (bodies may re-run); the sync_conflicts metric counts these lines.
    conflicts = sum(o["status"] == "conflict" for o in outcomes)
    if conflicts:
        log.event("sync conflicts recorded", uid=uid, deviceId=device_id, conflicts=conflicts)


def _push_chunk(
    txn: Transaction, uid: str, device_id: str, pending: list[Version], now: datetime
) -> _Chunk:
    device = require_access(txn, uid, device_id, now)
    chunk = _Chunk.of(uid, now, read_state(txn, uid))
    _refuse_if_behind(device, chunk.state)
    window = pending[:WRITE_BUDGET]
    paths = entry_paths(uid, [incoming.id for incoming in window])
    size = 0
    for incoming, path, doc in zip(window, paths, txn.get_many(paths), strict=True):
        decision = decide(version_of(incoming.id, doc) if doc else None, incoming)
        cost = (decision.write is not None) + (decision.loser is not None)
        size += len(incoming.ciphertext or "")
        if chunk.outcomes and (len(chunk.writes) + cost > WRITE_BUDGET or size > CIPHERTEXT_BUDGET):
            break  # the rest goes in the next transaction
        chunk.record(incoming, path, doc, decision)
    if chunk.writes:
        chunk.settle()
        chunk.state.devices[device_id] = DevicePush(
            last_push_at=now, last_push_seq=chunk.state.last_seq
        )
        chunk.poke = pokes.claim(chunk.state, now)
        for path, data in chunk.writes.items():
            txn.set(path, data)
        txn.set(state_path(uid), chunk.state.model_dump(by_alias=True))
    return chunk


def _refuse_if_behind(device: dict[str, Any], state: SyncState) -> None:
    # A device that has not pulled past purged tombstones could resurrect deleted entries
    # by pushing its old copies: it must resync (pull from cursor 0) first.
    cursor = (device.get("sync") or {}).get("lastPullCursor", 0)
    if state.purge_horizon and cursor < state.purge_horizon:
        raise AppError("ERR_4407")


def _outcome(
    entry_id: str, decision: Decision, seq: int, version: int, clock: dict[str, int]
) -> EntryOutcome:
    return {
        "id": entry_id,
        "status": decision.status,
        "winner": decision.winner,
        "duplicate": decision.duplicate,
        "seq": seq,
        "version": version,
        "clock": clock,
    }


def _metadata(version: Version) -> dict[str, Any]:
    return {
        "deviceId": version.device_id,
        "updatedAt": version.updated_at,
        "clock": version.clock,
        "deleted": version.deleted,
    }


def _conflict_record(
    seq: int, decision: Decision, doc: dict[str, Any] | None, now: datetime
) -> dict[str, Any]:
    """The losing version's metadata (never its ciphertext) and what won, for the record."""
    assert decision.loser is not None and decision.write is not None and doc is not None
    return {
        "entryId": decision.write.id,
        "seq": seq,
        "winnerSide": decision.winner,
        "winner": _metadata(decision.write),
        "loser": _metadata(decision.loser),
        "storedVersion": doc["version"],
        "resolvedAt": now,
    }
