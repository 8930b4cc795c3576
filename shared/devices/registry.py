"""The device registry: `users/{uid}/devices/{deviceId}`, at most N per user.

The number of devices lives on `device_registries/{uid}`, read and written by every
registration and removal, so two concurrent registrations cannot both take the last slot.
Online is computed when read (heartbeat at most `device_online_seconds` old): nothing ever
sweeps devices offline.
"""

from datetime import datetime, timedelta
from typing import Any

from shared import collections, wiring
from shared.devices.models import (
    DeviceList,
    DeviceRef,
    DeviceView,
    Heartbeat,
    HeartbeatAck,
    ListDevices,
    RegisterDevice,
    Removed,
    RenameDevice,
)
from shared.devices.settings import settings
from shared.errors import AppError
from shared.store import DocumentMissing, Reader, Transaction, query
from shared.store.values import DELETE_FIELD


def device_path(uid: str, device_id: str) -> str:
    return f"{collections.devices(uid)}/{device_id}"


def registry_path(uid: str) -> str:
    return f"{collections.DEVICE_REGISTRIES}/{uid}"


def is_online(device: dict[str, Any], now: datetime) -> bool:
    seen = device.get("lastSeenAt")
    return seen is not None and now - seen <= timedelta(seconds=settings().device_online_seconds)


def require_device(reader: Reader, uid: str, device_id: str) -> dict[str, Any]:
    """The caller's device document; ERR_4410 if `uid` has no such device (another user's
    device is simply not found under `uid`)."""
    device = reader.get(device_path(uid, device_id))
    if device is None:
        raise AppError("ERR_4410")
    return device


def view_of(device_id: str, device: dict[str, Any], now: datetime) -> DeviceView:
    pulled = device.get("sync") or {}
    return DeviceView(
        device_id=device_id,
        name=device["name"],
        platform=device["platform"],
        capabilities=device.get("capabilities") or {},
        registered_at=device["registeredAt"],
        last_seen_at=device.get("lastSeenAt"),
        signed_in_at=device.get("signedInAt"),
        online=is_online(device, now),
        last_pull_at=pulled.get("lastPullAt"),
        last_pull_cursor=pulled.get("lastPullCursor"),
        push_enabled=bool(device.get("fcmToken")),
    )


def register_device(
    uid: str, request: RegisterDevice, signed_in_at: datetime | None = None
) -> DeviceView:
    """Register (or re-register, idempotently) one of the caller's devices; `signed_in_at` is
    when the device's current sign-in happened (its ID token's auth_time)."""
    now, limit = wiring.now(), settings().devices_max_per_user
    path = device_path(uid, request.device_id)
    fields = {
        "name": request.name,
        "platform": request.platform,
        "capabilities": request.capabilities.model_dump(by_alias=True),
        "lastSeenAt": now,
        **({"signedInAt": signed_in_at} if signed_in_at else {}),
    }
    if "fcm_token" in request.model_fields_set:  # sent: set it, or remove it with null
        fields["fcmToken"] = request.fcm_token or DELETE_FIELD

    def body(txn: Transaction) -> dict[str, Any]:
        count = (txn.get(registry_path(uid)) or {}).get("count", 0)
        existing = txn.get(path)
        if existing is not None:
            txn.set(path, fields, merge=True)
            return _without_deleted({**existing, **fields})
        if count >= limit:
            raise AppError("ERR_4411", max=limit)
        txn.set(registry_path(uid), {"count": count + 1}, merge=True)
        created = _without_deleted({**fields, "registeredAt": now})
        txn.create(path, created)
        return created

    return view_of(request.device_id, wiring.store().transaction(body), now)


def _without_deleted(device: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in device.items() if v is not DELETE_FIELD}


def rename_device(uid: str, request: RenameDevice) -> DeviceView:
    now, path = wiring.now(), device_path(uid, request.device_id)

    def body(txn: Transaction) -> dict[str, Any]:
        device = require_device(txn, uid, request.device_id)
        txn.update(path, {"name": request.name})
        return {**device, "name": request.name}

    return view_of(request.device_id, wiring.store().transaction(body), now)


def remove_device(uid: str, request: DeviceRef) -> Removed:
    """Forget a device and free its slot (its relay requests simply expire)."""

    def body(txn: Transaction) -> None:
        count = (txn.get(registry_path(uid)) or {}).get("count", 0)
        require_device(txn, uid, request.device_id)
        txn.delete(device_path(uid, request.device_id))
        txn.set(registry_path(uid), {"count": max(count - 1, 0)}, merge=True)

    wiring.store().transaction(body)
    return Removed(device_id=request.device_id, removed=True)


def heartbeat_device(
    uid: str, request: Heartbeat, signed_in_at: datetime | None = None
) -> HeartbeatAck:
    """Mark the device seen now (and its current sign-in): one write, no read."""
    now = wiring.now()
    fields: dict[str, Any] = {"lastSeenAt": now}
    if signed_in_at is not None:
        fields["signedInAt"] = signed_in_at
    if request.capabilities is not None:
        fields["capabilities"] = request.capabilities.model_dump(by_alias=True)
    try:
        wiring.store().update(device_path(uid, request.device_id), fields)
    except DocumentMissing:
        raise AppError("ERR_4410") from None
    return HeartbeatAck(device_id=request.device_id, last_seen_at=now, online=True)


def list_devices(uid: str, request: ListDevices) -> DeviceList:
    """The caller's devices; `canRunInference` filters in the query, `onlineOnly` after it."""
    now = wiring.now()
    where = []
    if request.can_run_inference is not None:
        where.append(("capabilities.canRunInference", "==", request.can_run_inference))
    docs = wiring.store().query(query(collections.devices(uid), where=where))
    views = [view_of(doc.id, doc.data, now) for doc in docs]
    return DeviceList(devices=[v for v in views if v.online or not request.online_only])
