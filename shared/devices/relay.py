"""Encrypted requests relayed between one user's own devices: `users/{uid}/relay/{relayId}`.

A source device seals a request for an online target; the target claims pending requests
(`poll`, atomically, so two pollers never get the same one), answers while it holds the claim,
and the source reads the answer. The server only sees base64 ciphertext, nonce and MAC.

Nonces are never reused by a user: each one (request or response) has a document keyed by its
hash, created in the same transaction as the message it carries. The relay id derives from the
request's nonce, so retrying the exact same request returns the same relay instead of failing.
"""

from datetime import datetime, timedelta
from typing import Any

from shared import collections, idempotency, wiring
from shared.devices.models import (
    CreateRelay,
    PollRelay,
    RelayBatch,
    RelayRef,
    RelayRequest,
    RelayView,
    RespondRelay,
    Sealed,
)
from shared.devices.payload import check_size, digest
from shared.devices.registry import device_path, is_online, require_device
from shared.devices.settings import settings
from shared.errors import AppError
from shared.store import Transaction, query

NONCE_BYTES = (8, 64)
MAC_BYTES = (8, 64)


def relay_path(uid: str, relay_id: str) -> str:
    return f"{collections.relay(uid)}/{relay_id}"


def nonce_path(uid: str, nonce_hash: str) -> str:
    return f"{collections.relay_nonces(uid)}/{nonce_hash}"


def _check_sealed(message: Sealed) -> str:
    """Validate the sizes of a sealed message; return its nonce's hash."""
    check_size(message.ciphertext, "ciphertext", 1, settings().relay_max_ciphertext_bytes)
    nonce = check_size(message.nonce, "nonce", *NONCE_BYTES)
    check_size(message.mac, "mac", *MAC_BYTES)
    return digest(nonce, "relay-nonce")


def _sealed(message: Sealed) -> dict[str, str]:
    return {"ciphertext": message.ciphertext, "nonce": message.nonce, "mac": message.mac}


def _status(relay: dict[str, Any], now: datetime) -> str:
    if relay["status"] in ("pending", "processing") and now >= relay["expiresAt"]:
        return "expired"
    return relay["status"]


def _view(relay_id: str, relay: dict[str, Any], now: datetime) -> RelayView:
    return RelayView(
        relay_id=relay_id,
        source_device_id=relay["sourceDeviceId"],
        target_device_id=relay["targetDeviceId"],
        status=_status(relay, now),
        created_at=relay["createdAt"],
        expires_at=relay["expiresAt"],
        response=relay.get("response"),
    )


def create_relay(uid: str, request: CreateRelay) -> RelayView:
    """Queue a sealed request from one of the caller's devices to another, online one."""
    nonce_hash, limits = _check_sealed(request), settings()
    relay_id, request_hash = nonce_hash[:32], idempotency.fingerprint(request)
    ttl = min(request.ttl_seconds or limits.relay_ttl_seconds, limits.relay_max_ttl_seconds)
    now = wiring.now()

    def body(txn: Transaction) -> dict[str, Any]:
        used = txn.get(nonce_path(uid, nonce_hash))
        if used is not None:
            existing = txn.get(relay_path(uid, relay_id))
            if used.get("requestHash") != request_hash or existing is None:
                raise AppError("ERR_4422")
            return existing  # the same request again: answer as the first time
        require_device(txn, uid, request.source_device_id)
        target = require_device(txn, uid, request.target_device_id)
        if request.source_device_id == request.target_device_id:
            raise AppError("ERR_4427")
        if not is_online(target, now):
            raise AppError("ERR_4421")
        relay = {
            "sourceDeviceId": request.source_device_id,
            "targetDeviceId": request.target_device_id,
            "request": _sealed(request),
            "status": "pending",
            "createdAt": now,
            "expiresAt": now + timedelta(seconds=ttl),
        }
        txn.create(nonce_path(uid, nonce_hash), _nonce_record(relay_id, request_hash, now))
        txn.create(relay_path(uid, relay_id), relay)
        return relay

    return _view(relay_id, wiring.store().transaction(body), now)


def _nonce_record(relay_id: str, request_hash: str, now: datetime) -> dict[str, Any]:
    return {"relayId": relay_id, "requestHash": request_hash, "createdAt": now}


def poll_relay(uid: str, request: PollRelay) -> RelayBatch:
    """Claim up to `limit` pending requests for the caller's device (soonest expiry first).

    The claim is one transaction that reads the requests and marks them processing, so
    concurrent pollers never receive the same one. Polling also counts as a heartbeat.
    """
    limit = min(request.limit or settings().relay_max_poll, settings().relay_max_poll)
    now = wiring.now()
    pending = query(
        collections.relay(uid),
        where=[
            ("targetDeviceId", "==", request.device_id),
            ("status", "==", "pending"),
            ("expiresAt", ">", now),
        ],
        order_by=["expiresAt"],
        limit=limit,
    )

    def body(txn: Transaction) -> list[RelayRequest]:
        require_device(txn, uid, request.device_id)
        docs = txn.query(pending)
        for doc in docs:
            txn.update(doc.path, {"status": "processing", "claimedAt": now})
        txn.update(device_path(uid, request.device_id), {"lastSeenAt": now})
        return [
            RelayRequest(
                relay_id=doc.id,
                source_device_id=doc.data["sourceDeviceId"],
                created_at=doc.data["createdAt"],
                expires_at=doc.data["expiresAt"],
                **doc.data["request"],
            )
            for doc in docs
        ]

    return RelayBatch(requests=wiring.store().transaction(body))


def respond_relay(uid: str, request: RespondRelay) -> RelayView:
    """Answer a claimed request: only its target device, only while it is processing."""
    nonce_hash, now = _check_sealed(request), wiring.now()
    response_hash = idempotency.fingerprint(request)
    path = relay_path(uid, request.relay_id)

    def body(txn: Transaction) -> dict[str, Any]:
        relay = txn.get(path)
        used = txn.get(nonce_path(uid, nonce_hash))
        if relay is None:
            raise AppError("ERR_4420")
        require_device(txn, uid, request.device_id)
        if request.device_id != relay["targetDeviceId"]:
            raise AppError("ERR_4423", role="target")
        if relay["status"] == "done" and relay.get("responseHash") == response_hash:
            return relay  # a retried answer
        if used is not None:
            raise AppError("ERR_4422")
        status = _status(relay, now)
        if status == "expired":
            raise AppError("ERR_4425")
        if status != "processing":
            raise AppError("ERR_4424", status=status)
        answered = {"status": "done", "response": _sealed(request), "respondedAt": now}
        txn.update(path, {**answered, "responseHash": response_hash})
        txn.create(nonce_path(uid, nonce_hash), _nonce_record(request.relay_id, response_hash, now))
        return {**relay, **answered}

    return _view(request.relay_id, wiring.store().transaction(body), now)


def get_relay_status(uid: str, request: RelayRef) -> RelayView:
    """A request's status and, once answered, the sealed response: only for its source."""
    now = wiring.now()
    relay, device = wiring.store().get_many(
        [relay_path(uid, request.relay_id), device_path(uid, request.device_id)]
    )
    if relay is None:
        raise AppError("ERR_4420")
    if device is None:
        raise AppError("ERR_4410")
    if request.device_id != relay["sourceDeviceId"]:
        raise AppError("ERR_4423", role="source")
    return _view(request.relay_id, relay, now)
