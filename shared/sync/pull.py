"""Pulling changes: entries and tombstones with `seq > cursor`, in order, one query a page.

Why no transaction: sequence numbers commit in order (each write reads and bumps the counter),
so a query that sees `seq = n` sees every committed `seq < n`. The state is read around the
query: before it, its `lastSeq` is a sequence every committed write up to which the query
sees, so a complete last page may move the cursor there (past purged tombstones); after it,
the purge horizon catches a purge that removed a tombstone before the query ran, so a cursor
it invalidates is refused instead of silently missing a deletion.
"""

from datetime import datetime, timedelta
from typing import Any

from shared import collections, wiring
from shared.devices.registry import device_path
from shared.errors import AppError
from shared.store import Doc, DocumentMissing, query
from shared.sync.entries import entry_view
from shared.sync.models import PullChanges, PullPage, SyncEntry
from shared.sync.settings import settings
from shared.sync.state import SyncState, check_access, read_state

RECORD_EVERY = timedelta(seconds=60)


def pull_changes(uid: str, request: PullChanges) -> PullPage:
    """The next page after `cursor` (0: everything, for an initial sync)."""
    limits, store, now, cursor = settings(), wiring.store(), wiring.now(), request.cursor
    device = check_access(uid, request.device_id)
    before = read_state(store, uid)
    _refuse_stale_cursor(before, cursor)
    limit = min(request.limit or limits.sync_default_pull_limit, limits.sync_max_pull_limit)
    docs = store.query(
        query(
            collections.sync_entries(uid),
            where=[("seq", ">", cursor)],
            order_by=["seq"],
            limit=limit + 1,  # one more than asked tells whether more remain
        )
    )
    if cursor:
        _refuse_stale_cursor(read_state(store, uid), cursor)
    entries = _page(docs[:limit], limits.sync_max_pull_bytes)
    has_more = len(docs) > len(entries)
    last = entries[-1].seq if entries else cursor
    next_cursor = last if has_more else max(last, before.last_seq)
    if _worth_recording(device, next_cursor, now):
        _record_pull(uid, request.device_id, next_cursor, now)
    return PullPage(entries=entries, next_cursor=next_cursor, has_more=has_more)


def _refuse_stale_cursor(state: SyncState, cursor: int) -> None:
    # A cursor from the future (another account, a restored server) or from before purged
    # tombstones cannot be continued: the device must pull again from 0.
    if cursor > state.last_seq or 0 < cursor < state.purge_horizon:
        raise AppError("ERR_4407")


def _page(docs: list[Doc], max_bytes: int) -> list[SyncEntry]:
    """The entries of `docs`, stopping early to keep the answer a sensible size."""
    entries: list[SyncEntry] = []
    size = 0
    for doc in docs:
        size += len(doc.data.get("ciphertext") or "")
        if entries and size > max_bytes:
            break
        entries.append(entry_view(doc.id, doc.data))
    return entries


def _worth_recording(device: dict[str, Any], cursor: int, now: datetime) -> bool:
    # A device polling with nothing new would write its document on every pull; recording
    # an unchanged cursor once a minute keeps lastPullAt accurate enough for sync_status.
    last = device.get("sync") or {}
    at = last.get("lastPullAt")
    return last.get("lastPullCursor") != cursor or at is None or now - at >= RECORD_EVERY


def _record_pull(uid: str, device_id: str, cursor: int, now: datetime) -> None:
    try:
        wiring.store().update(
            device_path(uid, device_id), {"sync.lastPullAt": now, "sync.lastPullCursor": cursor}
        )
    except DocumentMissing:  # removed while pulling
        raise AppError("ERR_4410") from None
