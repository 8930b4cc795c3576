"""The scheduled cleanup: expired rate-limit counters and idempotency records, and jobs stuck
in "submitting" (the function died between charging and calling the provider).

Deletion re-reads each page in a transaction and deletes only what is still expired, so a key
remembered again between the query and the delete is kept. Each run is bounded
(`CLEANUP_MAX_BATCHES`) and simply resumes next time; running twice deletes nothing twice.
"""

import logging
from datetime import datetime, timedelta

from pydantic import BaseModel

from shared import collections, log, wiring
from shared.jobs import lifecycle
from shared.jobs.lifecycle import Finish
from shared.jobs.models import JobError, JobStatus
from shared.jobs.settings import settings
from shared.store import Transaction, query


class CleanupReport(BaseModel):
    rate_limits: int = 0
    idempotency: int = 0
    stale_jobs: int = 0


def delete_expired(collection: str, now: datetime, batch_size: int, max_batches: int) -> int:
    """Delete documents of `collection` whose `expiresAt` is before `now`; how many."""
    deleted = 0
    for _ in range(max_batches):
        docs = wiring.store().query(
            query(collection, [("expiresAt", "<", now)], [("expiresAt", "asc")], limit=batch_size)
        )
        paths = [d.path for d in docs]

        def body(txn: Transaction, paths: list[str] = paths) -> int:
            current = txn.get_many(paths)
            gone = [p for p, d in zip(paths, current, strict=True) if d and d["expiresAt"] < now]
            for path in gone:
                txn.delete(path)
            return len(gone)

        deleted += wiring.store().transaction(body) if paths else 0
        if len(docs) < batch_size:
            break
    return deleted


def fail_stale_jobs(now: datetime, batch_size: int, max_batches: int) -> int:
    """Fail and refund jobs still "submitting" after JOB_SUBMIT_STALE_MINUTES."""
    cutoff = now - timedelta(minutes=settings().job_submit_stale_minutes)
    error = JobError(code="ERR_5002", message="the provider was not reached")
    failed = 0
    for _ in range(max_batches):
        docs = wiring.store().query(
            query(
                collections.GENERATION_JOBS,
                [("status", "==", JobStatus.SUBMITTING.value), ("createdAt", "<", cutoff)],
                [("createdAt", "asc")],
                limit=batch_size,
            )
        )
        for doc in docs:
            _, moved = lifecycle.finish_job(doc.id, Finish(error=error), now)
            failed += moved
        if len(docs) < batch_size:
            break
    return failed


def clean_up(now: datetime | None = None) -> CleanupReport:
    """One bounded pass over everything that expires."""
    s, now = settings(), now or wiring.now()
    size, batches = s.cleanup_batch_size, s.cleanup_max_batches
    report = CleanupReport(
        rate_limits=delete_expired(collections.RATE_LIMITS, now, size, batches),
        idempotency=delete_expired(collections.IDEMPOTENCY, now, size, batches),
        stale_jobs=fail_stale_jobs(now, size, batches),
    )
    log.event("expired records cleaned up", logging.INFO, **report.model_dump())
    return report
