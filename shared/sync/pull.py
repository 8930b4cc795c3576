"""Pulling changes: entries and tombstones with `seq > cursor`, in order, one query a page.

Why no transaction: sequence numbers commit in order (each write reads and bumps the counter),
so a query that sees `seq = n` sees every committed `seq < n`. The state is read around the
query: before it, its `lastSeq` is a sequence every committed write up to which the query
sees, so a complete last page may move the cursor there (past purged tombstones); after it,
the purge horizon catches a purge that removed a tombstone before the query ran. When the first
read shows the cursor at `lastSeq`, nothing is new: the idle poll (the most frequent call)
stops there, at three reads (entitlement, device, state).

A pull from cursor 0 is a full listing: it records on the device the purge horizon it started
under and the `lastSeq` it started at. Tombstones purged before the listing began cannot
matter to it, so its cursors below the horizon stay valid until another purge raises the
horizon: a device told to resync can always page through to the end. Tombstones already
written when it began are left out (the device never had those entries, unless it wrote a
version of one itself: then its clock names the device and the tombstone is sent).

A cursor that cannot be continued (from before a purge, or from the future) is not an error:
the answer is the first page of a new full listing with `reset: true` and `drop: "unlisted"`
(after its last page, drop every synced entry the listing did not name).
"""

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from shared import collections, wiring
from shared.devices.registry import device_path
from shared.errors import AppError
from shared.store import Doc, DocumentMissing, Store, query
from shared.sync.entries import entry_view
from shared.sync.models import PullChanges, PullPage, ResetReason, SyncEntry
from shared.sync.settings import settings
from shared.sync.state import SyncState, check_access, read_state

RECORD_EVERY = timedelta(seconds=60)


class Listing(BaseModel):
    """The device's last full listing: the purge horizon and lastSeq it started under."""

    horizon: int = 0
    up_to: int = 0


def pull_changes(uid: str, request: PullChanges) -> PullPage:
    """The next page after `cursor` (0: everything, for an initial sync)."""
    limits, store, now, cursor = settings(), wiring.store(), wiring.now(), request.cursor
    device = check_access(uid, request.device_id)
    limit = min(request.limit or limits.sync_default_pull_limit, limits.sync_max_pull_limit)
    listing = _listing_of(device)
    before = read_state(store, uid)
    reset = _stale(before, cursor, listing)
    docs: list[Doc] = []
    if cursor and reset is None and cursor != before.last_seq:
        docs = _read(store, uid, cursor, limit)
        after = read_state(store, uid)
        reset = _stale(after, cursor, listing)
        before = after if reset else before  # a purge ran meanwhile: list again from here
    if cursor == 0 or reset is not None:
        cursor, listing = 0, Listing(horizon=before.purge_horizon, up_to=before.last_seq)
        docs = _read(store, uid, 0, limit)
    entries, consumed, last = _page(
        docs[:limit], limits.sync_max_pull_bytes, request.device_id, listing
    )
    has_more = len(docs) > consumed
    last = last or cursor
    next_cursor = last if has_more else max(last, before.last_seq)
    if cursor == 0 or _worth_recording(device, next_cursor, now):
        _record_pull(uid, request.device_id, next_cursor, now, listing if cursor == 0 else None)
    # Built from stored entries, checked when pushed: validating would copy every one.
    return PullPage.model_construct(
        entries=entries,
        next_cursor=next_cursor,
        has_more=has_more,
        reset=reset is not None,
        reset_reason=reset,
        drop="unlisted" if reset else None,
    )


def _read(store: Store, uid: str, cursor: int, limit: int) -> list[Doc]:
    return store.query(
        query(
            collections.sync_entries(uid),
            where=[("seq", ">", cursor)],
            order_by=["seq"],
            limit=limit + 1,  # one more than asked tells whether more remain
        )
    )


def _listing_of(device: dict[str, Any]) -> Listing | None:
    found = (device.get("sync") or {}).get("listing")
    return Listing.model_validate(found) if isinstance(found, dict) else None


def _stale(state: SyncState, cursor: int, listing: Listing | None) -> ResetReason | None:
    """Why `cursor` cannot be continued, if it cannot: a cursor from the future (another
    account, a restored server), or one from before purged tombstones unless the device's
    full listing began after that purge (the horizon is still the one it started under)."""
    if cursor > state.last_seq:
        return "unknown_cursor"
    horizon = state.purge_horizon
    if 0 < cursor < horizon and (listing is None or listing.horizon != horizon):
        return "purged"
    return None


def _page(
    docs: list[Doc], max_bytes: int, device_id: str, listing: Listing | None
) -> tuple[list[SyncEntry], int, int]:
    """The entries of `docs` for `device_id`, stopping early to keep the answer a sensible
    size: (entries, documents consumed, seq of the last one consumed or 0)."""
    entries: list[SyncEntry] = []
    size, consumed, last = 0, 0, 0
    for doc in docs:
        size += len(doc.data.get("ciphertext") or "")
        if entries and size > max_bytes:
            break
        consumed, last = consumed + 1, doc.data["seq"]
        if not _never_had(doc.data, device_id, listing):
            entries.append(entry_view(doc.id, doc.data, device_id))
    return entries, consumed, last


def _never_had(doc: dict[str, Any], device_id: str, listing: Listing | None) -> bool:
    # A tombstone written before the device's full listing began, of an entry the device
    # never wrote: the listing never showed it that entry, so the deletion is news to nobody.
    return (
        doc["deleted"]
        and listing is not None
        and doc["seq"] <= listing.up_to
        and device_id not in doc["clock"]
    )


def _worth_recording(device: dict[str, Any], cursor: int, now: datetime) -> bool:
    # A device polling with nothing new would write its document on every pull; recording
    # an unchanged cursor once a minute keeps lastPullAt accurate enough for sync_status.
    last = device.get("sync") or {}
    at = last.get("lastPullAt")
    return last.get("lastPullCursor") != cursor or at is None or now - at >= RECORD_EVERY


def _record_pull(
    uid: str, device_id: str, cursor: int, now: datetime, listing: Listing | None
) -> None:
    fields: dict[str, Any] = {"sync.lastPullAt": now, "sync.lastPullCursor": cursor}
    if listing is not None:
        fields["sync.listing"] = listing.model_dump()
    try:
        wiring.store().update(device_path(uid, device_id), fields)
    except DocumentMissing:  # removed while pulling
        raise AppError("ERR_4410") from None
