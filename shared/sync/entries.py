"""How an entry is stored: `users/{uid}/sync_entries/{id}`, tombstones included."""

from datetime import datetime
from typing import Any

from shared.sync.clocks import Version
from shared.sync.models import SyncEntry


def version_of(entry_id: str, doc: dict[str, Any]) -> Version:
    return Version(
        id=entry_id,
        ciphertext=doc.get("ciphertext"),
        deleted=doc["deleted"],
        clock=doc["clock"],
        updated_at=doc["updatedAt"],
        device_id=doc["deviceId"],
    )


def entry_document(version: Version, number: int, seq: int, now: datetime) -> dict[str, Any]:
    """The stored form of `version` as the entry's `number`th version, written at `seq`."""
    doc: dict[str, Any] = {
        "ciphertext": version.ciphertext,
        "clock": version.clock,
        "updatedAt": version.updated_at,
        "deviceId": version.device_id,
        "version": number,
        "deleted": version.deleted,
        "seq": seq,
    }
    if version.deleted:
        doc["deletedAt"] = now  # server time: what the tombstone retention counts from
    return doc


def entry_view(entry_id: str, doc: dict[str, Any], device_id: str) -> SyncEntry:
    """The entry as `device_id` pulls it, marked if that device's own write lost to it."""
    conflict = doc.get("conflict") or {}
    lost = conflict.get("loserDeviceId") == device_id
    return {
        "id": entry_id,
        "ciphertext": doc.get("ciphertext"),
        "clock": doc["clock"],
        "updated_at": doc["updatedAt"],
        "version": doc["version"],
        "deleted": doc["deleted"],
        "seq": doc["seq"],
        "device_id": doc["deviceId"],
        "own_write_lost": {"conflict_id": conflict["id"]} if lost else None,
    }
