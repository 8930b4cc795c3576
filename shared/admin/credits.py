"""Admin credit changes: a signed adjustment with a reason, and refunding one job."""

import hashlib

from shared import collections, idempotency, ledger, wiring
from shared.admin.actions import record_action
from shared.admin.models import ActionDone, AdjustCredits, RefundJob
from shared.errors import AppError
from shared.jobs import lifecycle
from shared.ledger import EntryType, NewEntry
from shared.store import Transaction
from shared.web.auth import AuthToken


def adjust_credits(admin: AuthToken, request: AdjustCredits) -> ActionDone:
    """Post an admin_adjustment of `amount` (ERR_4001 if it would overdraw), once per key."""
    if not request.idempotency_key:
        raise AppError("ERR_4018")
    if request.amount == 0:
        raise AppError("ERR_4000", reason="amount: must not be zero")
    key, now = request.idempotency_key, wiring.now()
    scope = f"admin_adjust:{request.uid}"
    request_hash = idempotency.fingerprint(request.model_dump(exclude={"idempotency_key"}))
    digest = hashlib.sha256(f"{request.uid}\x00{key}".encode()).hexdigest()[:32]
    entry = NewEntry(
        id=f"admin_{digest}",
        type=EntryType.ADMIN_ADJUSTMENT,
        amount=request.amount,
        refs={"admin": admin.uid},
        reason=request.reason,
    )

    def body(txn: Transaction) -> ActionDone:
        stored = idempotency.lookup(txn, scope, key, request_hash, now)
        if stored is not None:
            return ActionDone.model_validate(stored)
        posting = ledger.post_entries(txn, request.uid, [entry], now)
        result = {
            "entryId": entry.id,
            "amount": request.amount,
            "available": posting.wallet.available,
        }
        done = record_action(
            txn,
            admin.uid,
            "adjust_credits",
            request.uid,
            request.reason,
            result,
            now,
            f"adjust_{digest}",
        )
        idempotency.remember(txn, scope, key, request_hash, done.model_dump(), now)
        return done

    return wiring.store().transaction(body)


def refund_job(admin: AuthToken, request: RefundJob) -> ActionDone:
    """Give a job's credits back: the same `job_<id>_refund` entry an automatic refund posts,
    so a job is refunded at most once whoever asks first (ERR_4513 after that)."""
    now = wiring.now()

    def body(txn: Transaction) -> ActionDone:
        job = lifecycle.load_job(txn, request.job_id)
        if job is None:
            raise AppError("ERR_4501")
        if job.refunded:
            raise AppError("ERR_4513")
        user = txn.get(collections.user(job.uid)) or {}
        lifecycle.post_refund(txn, job, user, now, f"admin: {request.reason}")
        result = {"uid": job.uid, "entryId": lifecycle.refund_entry_id(job.id), "amount": job.cost}
        return record_action(txn, admin.uid, "refund_job", job.id, request.reason, result, now)

    return wiring.store().transaction(body)
