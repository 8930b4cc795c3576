"""Starting a paid generation: charge, create the job, then call the provider.

One transaction checks the model, takes a rate-limit slot, spends the credits through the
ledger, creates `generation_jobs/{id}` and remembers the idempotency key; only after it commits
is the provider called (never inside a transaction: it may run twice). If the provider refuses
or fails for good, the job is failed and refunded once (`lifecycle.finish_job`) and the caller
gets ERR_5001/5002/5003 with the job id.

The job id derives from the user and the idempotency key, so a replay finds the same job: it
answers the job as it is now, or raises the submit error again if the first call failed. The
same key with a different request is ERR_4017 (checked against the job's request hash; the job
itself is the idempotency record, so none is written beside it). The provider sees the job id
as its idempotency key: one generation is at most one provider job (shared/jobs/provider.py).
"""

from dataclasses import dataclass

from shared import collections, faults, ledger, wiring
from shared.errors import AppError
from shared.idempotency import fingerprint, mark_replayed
from shared.jobs import lifecycle, provider
from shared.jobs.catalog import check_options, read_model
from shared.jobs.lifecycle import Finish, job_id_for, spend_entry_id
from shared.jobs.models import Generate, Job, JobError, JobStatus, JobView
from shared.jobs.settings import JobSettings, settings
from shared.ledger import EntryType, NewEntry
from shared.store import Transaction
from shared.web import ratelimit


@dataclass(frozen=True)
class _Reserved:
    job: Job
    replay: bool


def _check_prompt(prompt: str, s: JobSettings) -> None:
    if not prompt.strip():
        raise AppError("ERR_4003", reason="the prompt is empty")
    if len(prompt) > s.job_prompt_max_chars:
        raise AppError(
            "ERR_4003", reason=f"the prompt is longer than {s.job_prompt_max_chars} characters"
        )


def generate(uid: str, ip: str | None, request: Generate) -> JobView:
    """Charge the model's cost and start a job; see the module docstring."""
    if not request.idempotency_key:
        raise AppError("ERR_4018")
    _check_prompt(request.prompt, settings())
    request_hash = fingerprint(request.model_dump(exclude={"idempotency_key"}, mode="json"))
    job_id, now = job_id_for(uid, request.idempotency_key), wiring.now()

    def reserve(txn: Transaction) -> _Reserved:
        existing = lifecycle.load_job(txn, job_id)
        if existing is not None:
            if existing.request_hash != request_hash:
                raise AppError("ERR_4017")
            return _Reserved(existing, replay=True)
        model = read_model(txn, request.model_id)
        check_options(model, request.options)
        limits = ratelimit.reserve(txn, "generate", now, uid=uid, ip=ip)
        user = txn.get(collections.user(uid)) or {}
        job = Job(
            id=job_id,
            uid=uid,
            model_id=model.id,
            provider_model_id=model.provider_model_id,
            prompt=request.prompt,
            options=request.options,
            cost=model.cost,
            status=JobStatus.SUBMITTING,
            created_at=now,
            updated_at=now,
            request_hash=request_hash,
        )
        spend = NewEntry(
            id=spend_entry_id(job_id),
            type=EntryType.CREDITS_SPEND,
            amount=model.cost,
            refs={"job": job_id, "model": model.id},
        )
        # fresh: no job with this id exists, and its spend entry is only ever posted with it.
        ledger.post_entries(txn, uid, [spend], now, user=user, fresh=True)
        limits.write(txn)
        txn.create(lifecycle.job_path(job_id), job.document())
        return _Reserved(job, replay=False)

    reserved = wiring.store().transaction(reserve)
    faults.point("generate.charged")
    if reserved.replay:
        return _replayed(reserved.job)
    return _submit(reserved.job)


def _replayed(job: Job) -> JobView:
    mark_replayed()  # the same key answers the same job: Idempotent-Replayed: true
    if job.submit_error is not None:
        raise AppError(job.submit_error["code"], jobId=job.id)
    return JobView.of(job)


def _submit(job: Job) -> JobView:
    payload = {**job.options, "prompt": job.prompt}
    try:
        request_id = provider.client().submit(job.provider_model_id, payload, job.id)
    except provider.ProviderFailure as e:
        error = JobError(code=e.code, message=AppError(e.code).message())
        finish = Finish(error=error, submit_error={"code": e.code})
        lifecycle.finish_job(job.id, finish, wiring.now())
        raise AppError(e.code, jobId=job.id) from e
    queued = lifecycle.mark_queued(job.id, request_id, wiring.now())
    return JobView.of(queued or job)
