"""The conflict log, readable: `users/{uid}/sync_conflicts/{seq}-{entryId}`.

A push that settles a conflict records the losing version's metadata (never its ciphertext)
and what won, at the sequence number of the write. `list_conflicts` pages them newest first
(per user, optionally per entry; the cursor is the last seq seen), and
`acknowledge_conflicts` removes the ones the user has seen, keeping the state's count exact.
"""

from typing import Any

from shared import collections, wiring
from shared.store import Transaction, query
from shared.sync.models import (
    AcknowledgeConflicts,
    Acknowledged,
    ConflictPage,
    ConflictView,
    ListConflicts,
    VersionInfo,
)
from shared.sync.state import check_access, read_state, require_access, state_path

DEFAULT_LIMIT = 50


def list_conflicts(uid: str, request: ListConflicts) -> ConflictPage:
    """One page of the user's conflicts, newest first; `before` continues from a page."""
    check_access(uid, request.device_id)
    where: list[tuple[str, str, Any]] = []
    if request.entry_id is not None:
        where.append(("entryId", "==", request.entry_id))
    if request.before is not None:
        where.append(("seq", "<", request.before))
    limit = request.limit or DEFAULT_LIMIT
    docs = wiring.store().query(
        query(
            collections.sync_conflicts(uid),
            where=where,
            order_by=[("seq", "desc")],
            limit=limit + 1,
        )
    )
    page = [_view(doc.id, doc.data) for doc in docs[:limit]]
    more = len(docs) > limit
    return ConflictPage(conflicts=page, next_before=page[-1].seq if more else None)


def acknowledge_conflicts(uid: str, request: AcknowledgeConflicts) -> Acknowledged:
    """Remove the named conflicts (those already gone are skipped: acknowledging is idempotent)."""
    store, now = wiring.store(), wiring.now()
    ids = list(dict.fromkeys(request.conflict_ids))
    paths = [f"{collections.sync_conflicts(uid)}/{conflict_id}" for conflict_id in ids]

    def body(txn: Transaction) -> int:
        require_access(txn, uid, request.device_id, now)
        state = read_state(txn, uid)
        found = [path for path, doc in zip(paths, txn.get_many(paths), strict=True) if doc]
        if found:
            for path in found:
                txn.delete(path)
            state.conflict_count = max(state.conflict_count - len(found), 0)
            txn.set(state_path(uid), state.model_dump(by_alias=True))
        return len(found)

    return Acknowledged(acknowledged=store.transaction(body))


def _version(data: dict[str, Any]) -> VersionInfo:
    return VersionInfo(
        device_id=data["deviceId"],
        updated_at=data["updatedAt"],
        clock=data["clock"],
        deleted=data["deleted"],
    )


def _view(conflict_id: str, data: dict[str, Any]) -> ConflictView:
    return ConflictView(
        conflict_id=conflict_id,
        entry_id=data["entryId"],
        seq=data["seq"],
        resolved_at=data["resolvedAt"],
        winner=_version(data["winner"]),
        loser=_version(data["loser"]),
    )
