"""Pulling changes: entries and tombstones with `seq > cursor`, in order, one query a page.

Why no transaction: sequence numbers commit in order (each write reads and bumps the counter),
so a query that sees `seq = n` sees every committed `seq < n`. The state is read around the
query: before it, its `lastSeq` is a sequence every committed write up to which the query
sees, so a complete last page may move the cursor there (past purged tombstones); after it,
the purge horizon catches a purge that removed a tombstone before the query ran, so a cursor
it invalidates is refused instead of silently missing a deletion. When the first read shows the
cursor at `lastSeq`, nothing is new: the idle poll (the most frequent call) stops there, at
three reads (entitlement, device, state).

A pull from cursor 0 starts a full listing and records on the device the purge horizon it
started under. Tombstones purged before that listing began cannot matter to it (the device lists
everything from scratch), so its own cursors below the horizon stay valid until another purge
raises the horizon: a device told to resync can always page through to the end.
"""

from datetime import datetime, timedelta
from typing import Any

from shared import collections, wiring
from shared.devices.registry import device_path
from shared.errors import AppError
from shared.store import Doc, DocumentMissing, Reader, query
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
    listing_horizon = before.purge_horizon if cursor == 0 else _listing_horizon(device)
    _refuse_stale_cursor(before, cursor, listing_horizon)
    limit = min(request.limit or limits.sync_default_pull_limit, limits.sync_max_pull_limit)
    docs: list[Doc] = []
    if cursor != before.last_seq:
        docs = _after(store, uid, cursor, limit)
        if cursor:
            _refuse_stale_cursor(read_state(store, uid), cursor, listing_horizon)
    entries = _page(docs[:limit], limits.sync_max_pull_bytes)
    has_more = len(docs) > len(entries)
    last = entries[-1].seq if entries else cursor
    next_cursor = last if has_more else max(last, before.last_seq)
    if cursor == 0 or _worth_recording(device, next_cursor, now):
        listing = {"horizon": before.purge_horizon} if cursor == 0 else None
        _record_pull(uid, request.device_id, next_cursor, now, listing)
    return PullPage(entries=entries, next_cursor=next_cursor, has_more=has_more)


def _after(store: Reader, uid: str, cursor: int, limit: int) -> list[Doc]:
    return store.query(
        query(
            collections.sync_entries(uid),
            where=[("seq", ">", cursor)],
            order_by=["seq"],
            limit=limit + 1,  # one more than asked tells whether more remain
        )
    )


def _listing_horizon(device: dict[str, Any]) -> int | None:
    """The purge horizon under which the device's last full listing (cursor 0) started."""
    listing = (device.get("sync") or {}).get("listing") or {}
    return listing.get("horizon")


def _refuse_stale_cursor(state: SyncState, cursor: int, listing_horizon: int | None) -> None:
    # A cursor from the future (another account, a restored server) cannot be continued, nor
    # one from before purged tombstones, unless the device's full listing began after that
    # purge (no purge since: the horizon is the one it started under).
    behind = 0 < cursor < state.purge_horizon and listing_horizon != state.purge_horizon
    if cursor > state.last_seq or behind:
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


def _record_pull(
    uid: str, device_id: str, cursor: int, now: datetime, listing: dict[str, Any] | None
) -> None:
    fields: dict[str, Any] = {"sync.lastPullAt": now, "sync.lastPullCursor": cursor}
    if listing is not None:
        fields["sync.listing"] = listing
    try:
        wiring.store().update(device_path(uid, device_id), fields)
    except DocumentMissing:  # removed while pulling
        raise AppError("ERR_4410") from None
