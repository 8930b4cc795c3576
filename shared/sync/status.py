"""What a user's sync looks like: counts, the last sequence, each device's last push and pull."""

from datetime import datetime

from shared import collections, wiring
from shared.devices.registry import is_online
from shared.store import Doc, query
from shared.sync.models import DeviceSyncStatus, StatusRequest, SyncStatus
from shared.sync.state import SyncState, check_access, read_state


def get_status(uid: str, request: StatusRequest) -> SyncStatus:
    """One state read and one query of the user's devices."""
    store, now = wiring.store(), wiring.now()
    check_access(uid, request.device_id)
    state = read_state(store, uid)
    devices = store.query(query(collections.devices(uid)))
    return SyncStatus(
        entry_count=state.entry_count,
        tombstone_count=state.tombstone_count,
        last_seq=state.last_seq,
        purge_horizon=state.purge_horizon,
        conflict_count=state.conflict_count,
        devices=[_device_status(doc, state, now) for doc in devices],
    )


def _device_status(doc: Doc, state: SyncState, now: datetime) -> DeviceSyncStatus:
    # Pushes are recorded on the state (written by every push anyway), pulls on the device.
    pushed = state.devices.get(doc.id)
    pulled = doc.data.get("sync") or {}
    return DeviceSyncStatus(
        device_id=doc.id,
        name=doc.data["name"],
        online=is_online(doc.data, now),
        last_push_at=pushed.last_push_at if pushed else None,
        last_pull_at=pulled.get("lastPullAt"),
        last_pull_cursor=pulled.get("lastPullCursor"),
    )
