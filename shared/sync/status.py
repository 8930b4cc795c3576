"""What a user's sync looks like: counts, the last sequence, each device's last push and pull."""

from shared import collections, wiring
from shared.devices.registry import is_online
from shared.store import query
from shared.sync.models import DeviceSyncStatus, StatusRequest, SyncStatus
from shared.sync.state import check_access, read_state


def get_status(uid: str, request: StatusRequest) -> SyncStatus:
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
        devices=[
            DeviceSyncStatus(
                device_id=doc.id,
                name=doc.data["name"],
                online=is_online(doc.data, now),
                last_push_at=(pushed := state.devices.get(doc.id)) and pushed.last_push_at,
                last_pull_at=(doc.data.get("sync") or {}).get("lastPullAt"),
                last_pull_cursor=(doc.data.get("sync") or {}).get("lastPullCursor"),
            )
            for doc in devices
        ],
    )
