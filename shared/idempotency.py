"""The one idempotency helper: a (scope, key) pair answers the same response every time.

A record is written in the same transaction as the change it guards, so a retry either sees
the whole effect and its stored response, or neither. The same key with a different request is
refused (ERR_4017). Records expire after the configured TTL (24 h by default); an expired
record is treated as absent and later deleted by the cleanup job.

A replayed answer is marked: `lookup` (and any service answering a replay its own way, through
`mark_replayed`) notes it for the current request, and the callable layer answers it with the
header `Idempotent-Replayed: true`, as Stripe does.
"""

import hashlib
import json
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel

from shared import config, wiring
from shared.errors import AppError
from shared.store import Transaction

COLLECTION = "idempotency"
REPLAYED_HEADER = "Idempotent-Replayed"
M = TypeVar("M", bound=BaseModel)
_replayed: ContextVar[bool] = ContextVar("idempotent_replayed", default=False)


def mark_replayed() -> None:
    """Note that the current request is answered from an earlier call's result."""
    _replayed.set(True)


def take_replayed() -> bool:
    """Whether the current request was answered as a replay (and forget it)."""
    replayed = _replayed.get()
    _replayed.set(False)
    return replayed


def fingerprint(request: Any) -> str:
    """A stable hash of a request (a model or plain JSON data)."""
    if isinstance(request, BaseModel):
        request = request.model_dump(mode="json")
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def record_path(scope: str, key: str) -> str:
    if not key:
        raise AppError("ERR_4018")
    digest = hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()[:40]
    return f"{COLLECTION}/{digest}"


def lookup(
    txn: Transaction, scope: str, key: str, request_hash: str, now: datetime
) -> dict[str, Any] | None:
    """The stored response for (scope, key), or None; ERR_4017 if the request differs."""
    record = txn.get(record_path(scope, key))
    if record is None or record["expiresAt"] <= now:
        return None
    if record["requestHash"] != request_hash:
        raise AppError("ERR_4017")
    mark_replayed()
    return record["response"]


def remember(
    txn: Transaction,
    scope: str,
    key: str,
    request_hash: str,
    response: dict[str, Any],
    now: datetime,
) -> None:
    """Store the response for (scope, key) in the caller's transaction."""
    ttl = timedelta(hours=config.platform().idempotency_ttl_hours)
    txn.set(
        record_path(scope, key),
        {
            "scope": scope,
            "requestHash": request_hash,
            "response": response,
            "createdAt": now,
            "expiresAt": now + ttl,
        },
    )


def run_once(
    scope: str,
    key: str,
    request: Any,
    response_model: type[M],
    body: Callable[[Transaction, datetime], M],
) -> M:
    """Run `body(txn, now)` once per (scope, key) in one transaction; replay its answer after.

    `body` must do all its reads before its writes (it runs after the record is read).
    """
    request_hash = fingerprint(request)
    now = wiring.now()

    def attempt(txn: Transaction) -> M:
        stored = lookup(txn, scope, key, request_hash, now)
        if stored is not None:
            return response_model.model_validate(stored)
        result = body(txn, now)
        remember(txn, scope, key, request_hash, result.model_dump(mode="json"), now)
        return result

    return wiring.store().transaction(attempt)
