"""The provider's result webhook, signed as Standard Webhooks sign theirs.

Headers `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature` (one or more
space-separated `v1,<base64 HMAC-SHA256>`) over `"{id}.{timestamp}.{raw body}"` with the shared
secret. The signature is checked first, in constant time, then the timestamp against the
tolerance; nothing is read or written before both pass. The body is fal's webhook payload:
`{"request_id", "status": "OK" | "ERROR", "payload", "error"}`.

Each event id is processed once (an idempotency record written in the transaction that settles
the job); a replay answers the first answer. COMPLETED stores the result URLs, ERROR fails the
job and refunds it once; the owner is notified after the commit, only by the call that moved
the job.
"""

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from shared import collections, idempotency, wiring
from shared.errors import AppError
from shared.jobs import lifecycle, provider
from shared.jobs.lifecycle import Finish
from shared.jobs.models import JobError, JobView
from shared.jobs.notify import notify_finished
from shared.jobs.settings import settings
from shared.models import document_id_problem
from shared.store import Transaction, query
from shared.web.functions import validation_error

SCOPE = "provider_webhook"


class ProviderEvent(BaseModel):
    """fal's webhook body; unknown fields and statuses are kept, not refused."""

    request_id: str
    status: str
    payload: Any = None
    error: str | None = None

    model_config = ConfigDict(extra="allow")


class WebhookAnswer(BaseModel):
    received: bool
    job_id: str | None
    status: str | None
    moved: bool


def _secret_key(secret: str) -> bytes:
    if secret.startswith("whsec_"):
        return base64.b64decode(secret.removeprefix("whsec_"))
    return secret.encode()


def sign(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value for a body (what the provider computes)."""
    signed = f"{event_id}.{timestamp}.".encode() + body
    digest = hmac.new(_secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(headers: Mapping[str, str], body: bytes, now: datetime) -> str:
    """The event id of a correctly signed, fresh webhook; ERR_4020 or ERR_4508 otherwise."""
    s = settings()
    secret = s.provider_webhook_secret.get_secret_value()
    if not secret:
        raise AppError("ERR_6003")
    event_id = headers.get("webhook-id", "")
    raw_ts = headers.get("webhook-timestamp", "")
    if not event_id or len(event_id) > 200 or not raw_ts.isdigit():
        raise AppError("ERR_4020")
    try:
        expected = sign(secret, event_id, int(raw_ts), body).encode()
    except (binascii.Error, ValueError):
        raise AppError("ERR_6003") from None
    offered = [p.encode() for p in headers.get("webhook-signature", "").split()]
    # compare_digest against every offered signature: constant time in each comparison.
    if not any(hmac.compare_digest(expected, candidate) for candidate in offered):
        raise AppError("ERR_4020")
    if abs(now.timestamp() - int(raw_ts)) > s.provider_webhook_tolerance_seconds:
        raise AppError("ERR_4508")
    return event_id


def _finish_of(event: ProviderEvent) -> Finish | None:
    if event.status == "OK":
        return Finish(urls=provider.result_urls(event.payload))
    if event.status == "ERROR":
        message = (event.error or "the provider failed")[:500]
        return Finish(error=JobError(code="ERR_5003", message=message))
    return None  # a status we do not know yet: acknowledged, nothing changes


def _job_id_of(request_id: str, job_hint: str | None) -> str:
    """The job of a provider request: the one that recorded its id, else the one our webhook
    URL names (`?jobId=`; a submit that timed out never learned the request id) if that job
    has no other request id."""
    store = wiring.store()
    docs = store.query(
        query(collections.GENERATION_JOBS, [("providerRequestId", "==", request_id)], limit=1)
    )
    if docs:
        return docs[0].id
    if job_hint and document_id_problem(job_hint) is None:
        job = lifecycle.load_job(store, job_hint)
        if job is not None and job.provider_request_id in (None, request_id):
            return job.id
    # A request of no job we know (or not yet): ask the provider to retry.
    raise AppError("ERR_4509")


def handle_webhook(
    headers: Mapping[str, str], body: bytes, job_hint: str | None = None
) -> WebhookAnswer:
    """Verify, then settle the job of the event's request, once per event id."""
    now = wiring.now()
    event_id = verify(headers, body, now)
    try:
        event = ProviderEvent.model_validate_json(body)
    except ValidationError as e:
        raise validation_error(e) from None
    job_id = _job_id_of(event.request_id, job_hint)
    finish, request_hash = _finish_of(event), idempotency.fingerprint(body.decode())
    if finish is not None:
        finish = replace(finish, provider_request_id=event.request_id)

    def apply(txn: Transaction) -> tuple[WebhookAnswer, Any]:
        stored = idempotency.lookup(txn, SCOPE, event_id, request_hash, now)
        if stored is not None:
            return WebhookAnswer.model_validate(stored), None
        job, moved = (
            lifecycle.settle(txn, job_id, finish, now)
            if finish
            else (lifecycle.load_job(txn, job_id), False)
        )
        status = job.status.value if job else None
        answer = WebhookAnswer(received=True, job_id=job_id, status=status, moved=moved)
        idempotency.remember(txn, SCOPE, event_id, request_hash, answer.model_dump(), now)
        return answer, job if moved else None

    answer, moved_job = wiring.store().transaction(apply)
    if moved_job is not None:
        notify_finished(moved_job.uid, JobView.of(moved_job))
    return answer
