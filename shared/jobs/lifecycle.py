"""A job's life after its credits are spent: it finishes exactly once, and a failure is
refunded exactly once.

States: submitting → queued → (running) → completed | failed. `finish_job` is the one
transition to a final state (the webhook, a status refresh, the submit failing and the
stale-job sweep all use it): it re-reads the job in its transaction and changes nothing if the
job already finished, so racing callers cannot both settle it. The refund entry id is
`job_<id>_refund` whoever posts it (a failure or an admin), and `refunded` on the job is
written in the same transaction, so the credits come back at most once.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared import collections, ledger, wiring
from shared.errors import AppError
from shared.jobs.models import Job, JobError, JobStatus
from shared.ledger import EntryType, NewEntry
from shared.store import Reader, Transaction


def job_path(job_id: str) -> str:
    return f"{collections.GENERATION_JOBS}/{job_id}"


def job_id_for(uid: str, idempotency_key: str) -> str:
    """The same user and key always name the same job."""
    return "j" + hashlib.sha256(f"{uid}\x00{idempotency_key}".encode()).hexdigest()[:31]


def spend_entry_id(job_id: str) -> str:
    return f"job_{job_id}_spend"


def refund_entry_id(job_id: str) -> str:
    return f"job_{job_id}_refund"


def load_job(reader: Reader, job_id: str) -> Job | None:
    data = reader.get(job_path(job_id))
    return None if data is None else Job.model_validate({**data, "id": job_id})


def owned_job(reader: Reader, uid: str, job_id: str) -> Job:
    """The caller's job; someone else's is as unknown as a missing one (ERR_4501)."""
    job = load_job(reader, job_id)
    if job is None or job.uid != uid:
        raise AppError("ERR_4501")
    return job


@dataclass(frozen=True)
class Finish:
    """How a job ends: completed with result URLs, or failed with an error (refunded)."""

    urls: list[str] | None = None
    error: JobError | None = None
    submit_error: dict[str, Any] | None = None
    provider_request_id: str | None = None


def post_refund(
    txn: Transaction, job: Job, user: dict[str, Any], now: datetime, reason: str, **fields: Any
) -> None:
    """Give the job's credits back (the caller read `user` and checked `job.refunded`)."""
    entry = NewEntry(
        id=refund_entry_id(job.id),
        type=EntryType.CREDITS_SPEND_REFUND,
        amount=job.cost,
        refs={"job": job.id, "model": job.model_id},
        reason=reason,
    )
    # fresh: `refunded` is written with this entry in one transaction, and it was false.
    ledger.post_entries(txn, job.uid, [entry], now, user=user, fresh=True)
    txn.update(job_path(job.id), {"refunded": True, "updatedAt": now, **fields})


def settle(txn: Transaction, job_id: str, finish: Finish, now: datetime) -> tuple[Job | None, bool]:
    """Move the job to its final state in the caller's transaction, unless it already is
    there; (the job as it now is, whether this call moved it). Reads, then writes."""
    job = load_job(txn, job_id)
    if job is None:
        return job, False
    if job.status.finished:
        if finish.provider_request_id and not job.provider_request_id:
            # A late answer for a job already failed (and refunded): keep whose it was.
            txn.update(job_path(job_id), {"providerRequestId": finish.provider_request_id})
        return job, False
    fields: dict[str, Any] = {"updatedAt": now, "finishedAt": now}
    if finish.provider_request_id and not job.provider_request_id:
        fields["providerRequestId"] = finish.provider_request_id
    if finish.error is None:
        fields |= {"status": JobStatus.COMPLETED.value, "resultUrls": finish.urls or []}
        txn.update(job_path(job_id), fields)
    else:
        fields |= {"status": JobStatus.FAILED.value, "error": finish.error.model_dump()}
        if finish.submit_error is not None:
            fields["submitError"] = finish.submit_error
        if job.refunded:
            txn.update(job_path(job_id), fields)
        else:
            user = txn.get(collections.user(job.uid)) or {}
            post_refund(txn, job, user, now, "job_failed", **fields)
            fields["refunded"] = True
    return Job.model_validate({**job.document(), **fields, "id": job_id}), True


def finish_job(job_id: str, finish: Finish, now: datetime) -> tuple[Job | None, bool]:
    """`settle` in a transaction of its own."""
    return wiring.store().transaction(lambda txn: settle(txn, job_id, finish, now))


def mark_queued(job_id: str, request_id: str, now: datetime) -> Job | None:
    """Record the provider's request id on a job still submitting (a webhook may have
    finished it already, in which case only the id is added)."""

    def body(txn: Transaction) -> Job | None:
        job = load_job(txn, job_id)
        if job is None:
            return None
        fields: dict[str, Any] = {"providerRequestId": request_id, "updatedAt": now}
        if job.status == JobStatus.SUBMITTING:
            fields["status"] = JobStatus.QUEUED.value
        elif job.provider_request_id:
            return job
        txn.update(job_path(job_id), fields)
        return Job.model_validate({**job.document(), **fields, "id": job_id})

    return wiring.store().transaction(body)
