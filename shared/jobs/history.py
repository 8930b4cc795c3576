"""What an owner sees of their jobs: one job (refreshed from the provider while it is
pending, at most every JOB_STATUS_REFRESH_SECONDS), the history page by page, and deletion."""

import logging
from datetime import datetime, timedelta
from typing import Any

from shared import collections, log, wiring
from shared.errors import AppError
from shared.jobs import lifecycle, provider
from shared.jobs.lifecycle import Finish, job_path, owned_job
from shared.jobs.models import (
    Deleted,
    Job,
    JobError,
    JobPage,
    JobRef,
    JobStatus,
    JobView,
    ListJobs,
)
from shared.jobs.notify import notify_finished
from shared.jobs.settings import settings
from shared.paging import decode_cursor, encode_cursor
from shared.store import DELETE_FIELD, Transaction, query


def get_job(uid: str, request: JobRef) -> JobView:
    """The caller's job; a pending one is first refreshed from the provider (throttled)."""
    job = owned_job(wiring.store(), uid, request.job_id)
    if job.deleted:
        raise AppError("ERR_4501")
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and _claim_refresh(job.id):
        job = _refresh(job)
    return JobView.of(job)


def _claim_refresh(job_id: str) -> bool:
    """Whether this caller may ask the provider now; at most one per throttle interval."""
    every, now = timedelta(seconds=settings().job_status_refresh_seconds), wiring.now()

    def body(txn: Transaction) -> bool:
        job = lifecycle.load_job(txn, job_id)
        if job is None or job.status.finished or not job.provider_request_id:
            return False
        if job.last_checked_at is not None and now - job.last_checked_at < every:
            return False
        txn.update(job_path(job_id), {"lastCheckedAt": now})
        return True

    return wiring.store().transaction(body)


def _refresh(job: Job) -> Job:
    assert job.provider_request_id is not None
    try:
        outcome = provider.client().outcome(job.provider_model_id, job.provider_request_id)
    except provider.ProviderFailure as e:
        log.event("job status refresh failed", logging.WARNING, jobId=job.id, error=str(e))
        return job
    if outcome.status == "COMPLETED":
        finish = Finish(urls=provider.result_urls(outcome.output))
    elif outcome.status == "FAILED":
        finish = Finish(error=JobError(code="ERR_5003", message=outcome.error or "failed"))
    else:
        if outcome.status == "IN_PROGRESS" and job.status == JobStatus.QUEUED:
            return _mark_running(job.id) or job
        return job
    finished, moved = lifecycle.finish_job(job.id, finish, wiring.now())
    if moved and finished is not None:
        notify_finished(finished.uid, JobView.of(finished))
    return finished or job


def _mark_running(job_id: str) -> Job | None:
    """queued → running, unless a webhook finished the job meanwhile."""
    now = wiring.now()

    def body(txn: Transaction) -> Job | None:
        job = lifecycle.load_job(txn, job_id)
        if job is None or job.status != JobStatus.QUEUED:
            return job
        txn.update(job_path(job_id), {"status": JobStatus.RUNNING.value, "updatedAt": now})
        return job.model_copy(update={"status": JobStatus.RUNNING, "updated_at": now})

    return wiring.store().transaction(body)


def list_jobs(uid: str, request: ListJobs) -> JobPage:
    """The caller's jobs, newest first, `limit` per page (deleted ones left out)."""
    after = (
        decode_cursor(request.cursor, collections.GENERATION_JOBS, "ERR_4510")
        if request.cursor
        else None
    )
    docs = wiring.store().query(
        query(
            collections.GENERATION_JOBS,
            [("uid", "==", uid), ("deleted", "==", False)],
            [("createdAt", "desc")],
            limit=request.limit + 1,
            start_after=after,
        )
    )
    page = docs[: request.limit]
    return JobPage(
        jobs=[JobView.of(Job.model_validate({**d.data, "id": d.id})) for d in page],
        next_cursor=encode_cursor(page[-1]) if len(docs) > request.limit else None,
    )


def _erased(now: datetime) -> dict[str, Any]:
    """The fields that erase a job's content; the document stays for webhooks and the ledger."""
    return {
        "deleted": True,
        "deletedAt": now,
        "prompt": "",
        "options": DELETE_FIELD,
        "resultUrls": [],
        "updatedAt": now,
    }


def erase_jobs_of(uid: str, page_size: int = 400) -> int:
    """Erase the prompt and results of every job of `uid` (account deletion); how many."""
    store, now, after, erased = wiring.store(), wiring.now(), None, 0
    while docs := store.query(
        query(collections.GENERATION_JOBS, [("uid", "==", uid)], limit=page_size, start_after=after)
    ):
        batch = store.batch()
        for doc in docs:
            if not doc.data.get("deleted") or doc.data.get("prompt"):
                batch.update(doc.path, _erased(now))
                erased += 1
        batch.commit()
        after = docs[-1]
    return erased


def delete_job(uid: str, request: JobRef) -> Deleted:
    """Hide a finished job from its owner and erase its prompt and results. The document
    stays (without them) so a late webhook finds a finished job and the ledger's refs resolve."""
    now = wiring.now()

    def body(txn: Transaction) -> Deleted:
        job = owned_job(txn, uid, request.job_id)
        if job.deleted:
            return Deleted(job_id=job.id, deleted=True)
        if not job.status.finished:
            raise AppError("ERR_4507")
        txn.update(job_path(job.id), _erased(now))
        return Deleted(job_id=job.id, deleted=True)

    return wiring.store().transaction(body)
