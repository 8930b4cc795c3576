"""Pulling changes: entries and tombstones with `seq > cursor`, in order, one query a page.

Why no transaction: sequence numbers commit in order (each write reads and bumps the counter),
so a query that sees `seq = n` sees every committed `seq < n`. The purge horizon is read
after the query: a purge that removed a tombstone before the query has already raised the
horizon by then, so a cursor it invalidates is refused instead of silently missing a delete.
"""

from datetime import datetime

from shared import collections, wiring
from shared.devices.registry import device_path
from shared.errors import AppError
from shared.store import DocumentMissing, query
from shared.sync.entries import entry_view
from shared.sync.models import PullChanges, PullPage, SyncEntry
from shared.sync.settings import settings
from shared.sync.state import check_access, read_state


def pull_changes(uid: str, request: PullChanges) -> PullPage:
    """The next page after `cursor` (0: everything, for an initial sync)."""
    limits, store, now = settings(), wiring.store(), wiring.now()
    check_access(uid, request.device_id)
    limit = min(request.limit or limits.sync_default_pull_limit, limits.sync_max_pull_limit)
    docs = store.query(
        query(
            collections.sync_entries(uid),
            where=[("seq", ">", request.cursor)],
            order_by=["seq"],
            limit=limit + 1,  # one more than asked tells whether more remain
        )
    )
    state = read_state(store, uid)
    if request.cursor > state.last_seq or 0 < request.cursor < state.purge_horizon:
        raise AppError("ERR_4407")
    entries: list[SyncEntry] = []
    size = 0
    for doc in docs[:limit]:
        size += len(doc.data.get("ciphertext") or "")
        if entries and size > limits.sync_max_pull_bytes:
            break  # keep the answer a sensible size; the rest comes next page
        entries.append(entry_view(doc.id, doc.data))
    next_cursor = entries[-1].seq if entries else request.cursor
    _record_pull(uid, request.device_id, next_cursor, now)
    return PullPage(entries=entries, next_cursor=next_cursor, has_more=len(docs) > len(entries))


def _record_pull(uid: str, device_id: str, cursor: int, now: datetime) -> None:
    try:
        wiring.store().update(
            device_path(uid, device_id), {"sync.lastPullAt": now, "sync.lastPullCursor": cursor}
        )
    except DocumentMissing:  # removed while pulling
        raise AppError("ERR_4410") from None
