"""The per-user sync state, `sync_state/{uid}`: the sequence counter and the counts.

Every accepted write reads `lastSeq` and writes it back incremented in the same transaction,
so sequence numbers are unique, gap-free per transaction and commit in order. The document
is top-level so the purge job can find users with tombstones due (`nextPurgeAt`).
"""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from shared import collections, wiring
from shared.devices.registry import require_device
from shared.errors import AppError
from shared.purchases.entitlements import is_entitled
from shared.store import Doc, Reader, query
from shared.sync.settings import settings

ADD_ON = "sync"


class DevicePush(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    last_push_at: datetime | None = None
    last_push_seq: int | None = None


class SyncState(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    last_seq: int = 0
    entry_count: int = 0
    tombstone_count: int = 0
    conflict_count: int = 0
    # Tombstones with seq <= purgeHorizon may be gone: older cursors must resync.
    purge_horizon: int = 0
    next_purge_at: datetime | None = None
    devices: dict[str, DevicePush] = Field(default_factory=dict)
    # Pokes (shared.sync.pokes): when the last were sent, and when held-back ones are due.
    poke_sent_at: datetime | None = None
    poke_flush_at: datetime | None = None


def state_path(uid: str) -> str:
    return f"{collections.SYNC_STATE}/{uid}"


def read_state(reader: Reader, uid: str) -> SyncState:
    return SyncState.model_validate(reader.get(state_path(uid)) or {})


def require_access(reader: Reader, uid: str, device_id: str, now: datetime) -> dict[str, Any]:
    """Check the sync entitlement, then the device; return the device document."""
    if not is_entitled(reader, uid, ADD_ON, now):
        raise AppError("ERR_4400", productId=settings().sync_product_id)
    return require_device(reader, uid, device_id)


def states_due(field: str, now: datetime, limit: int) -> list[Doc]:
    """Sync states whose `field` (a time) has come, earliest first (scheduled jobs)."""
    return wiring.store().query(
        query(collections.SYNC_STATE, where=[(field, "<=", now)], order_by=[field], limit=limit)
    )


def entry_path(uid: str, entry_id: str) -> str:
    return f"{collections.sync_entries(uid)}/{entry_id}"


def entry_paths(uid: str, entry_ids: list[str]) -> list[str]:
    prefix = f"{collections.sync_entries(uid)}/"
    return [prefix + entry_id for entry_id in entry_ids]


def check_access(uid: str, device_id: str) -> dict[str, Any]:
    """`require_access` outside a transaction."""
    return require_access(wiring.store(), uid, device_id, wiring.now())
