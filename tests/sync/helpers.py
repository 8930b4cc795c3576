"""Helpers for sync and device tests: grant the add-on, register devices, build changes."""

import base64
import os
from datetime import UTC, datetime, timedelta
from typing import Any

from shared import collections, wiring
from shared.devices.models import Capabilities, RegisterDevice
from shared.devices.registry import register_device
from shared.purchases.entitlements import Entitlement, EntitlementStatus, entitlement_path
from shared.store import Store, query
from shared.sync.models import Deletion, EntryChange, PullChanges, PushChanges
from shared.sync.pull import pull_changes
from shared.sync.push import push_changes

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def grant_sync(uid: str, expires_at: datetime | None = None) -> None:
    """Give `uid` the sync add-on, written straight to the store as a purchase would."""
    entitlement = Entitlement(
        add_on="sync",
        status=EntitlementStatus.ACTIVE,
        platform="grant",
        product_id="sync_monthly",
        expires_at=expires_at,
        source_time=T0 - timedelta(days=1),
    )
    wiring.store().set(entitlement_path(uid, "sync"), entitlement.model_dump(by_alias=True))


def register(uid: str, device_id: str, inference: bool = False, models=()) -> None:
    capabilities = Capabilities(can_run_inference=inference, models=list(models))
    register_device(
        uid,
        RegisterDevice(
            device_id=device_id, name=device_id, platform="ios", capabilities=capabilities
        ),
    )


def sync_user(uid: str, *devices: str) -> None:
    """An entitled user with registered devices."""
    grant_sync(uid)
    for device in devices:
        register(uid, device)


def b64(text: str | bytes) -> str:
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def change(entry_id: str, text: str, clock: dict[str, int], at: datetime = T0) -> EntryChange:
    return EntryChange(id=entry_id, ciphertext=b64(text), clock=clock, updated_at=at)


def deletion(entry_id: str, clock: dict[str, int], at: datetime = T0) -> Deletion:
    return Deletion(id=entry_id, clock=clock, updated_at=at)


def push(uid: str, device: str, entries=(), deleted=()) -> Any:
    request = PushChanges(device_id=device, entries=list(entries), deleted_ids=list(deleted))
    return push_changes(uid, request)


def pull(uid: str, device: str, cursor: int = 0, limit: int | None = None):
    return pull_changes(uid, PullChanges(device_id=device, cursor=cursor, limit=limit))


def pull_all(uid: str, device: str, cursor: int = 0, limit: int = 50) -> tuple[dict, int]:
    """Every change after `cursor`, page by page: ({id: entry}, final cursor)."""
    seen: dict[str, Any] = {}
    while True:
        page = pull(uid, device, cursor, limit)
        for entry in page.entries:
            seen[entry["id"]] = entry
        cursor = page.next_cursor
        if not page.has_more:
            return seen, cursor


def server_entries(store: Store, uid: str) -> dict[str, dict]:
    """Every stored entry (tombstones included), by id."""
    docs = store.query(query(collections.sync_entries(uid)))
    return {doc.id: doc.data for doc in docs}


def random_text(size: int) -> bytes:
    return os.urandom(size)


def configure(monkeypatch, **env: str) -> None:
    """Set settings for the rest of a test (cached settings are forgotten)."""
    from shared import config

    for name, value in env.items():
        monkeypatch.setenv(name.upper(), value)
    config.reset()
