"""Generation jobs: models, generate, status, history, delete, the provider webhook, cleanup."""

import flask
from cloudevents.http import CloudEvent

from shared import jobs
from shared.errors import AppError
from shared.jobs import Deleted, Generate, GetModels, JobPage, JobRef, JobView, ListJobs, ModelList
from shared.web.functions import CallContext, callable_function, http_function, scheduled_job
from shared.web.ratelimit import client_ip


@callable_function(GetModels)
def get_models(request: GetModels, ctx: CallContext) -> ModelList:
    """Available models with an ETag; a matching ifNoneMatch answers notModified (no list)."""
    return jobs.list_models(request, ctx.headers.get("If-None-Match"))


@callable_function(Generate, app_check="enforced")
def generate(request: Generate, ctx: CallContext) -> JobView:
    """Spend the model's cost and start a generation job (idempotencyKey required)."""
    return jobs.generate(ctx.uid, client_ip(ctx.headers, ctx.ip), request)


@callable_function(JobRef)
def job_status(request: JobRef, ctx: CallContext) -> JobView:
    """The caller's job, refreshed from the provider while pending."""
    return jobs.get_job(ctx.uid, request)


@callable_function(ListJobs)
def job_history(request: ListJobs, ctx: CallContext) -> JobPage:
    """The caller's jobs, newest first, paged by `cursor`."""
    return jobs.list_jobs(ctx.uid, request)


@callable_function(JobRef)
def job_delete(request: JobRef, ctx: CallContext) -> Deleted:
    """Delete one of the caller's finished jobs (its prompt and results are erased)."""
    return jobs.delete_job(ctx.uid, request)


@http_function
def provider_webhook(request: flask.Request) -> flask.Response:
    """The provider's signed result callback."""
    if request.method != "POST":
        raise AppError("ERR_4010", reason="use POST")
    answer = jobs.handle_webhook(request.headers, request.get_data())
    return flask.jsonify(answer.model_dump(by_alias=True))


@scheduled_job(every_minutes=60)
def cleanup_expired_records(event: CloudEvent) -> None:
    """Delete expired rate-limit counters and idempotency records; fail stuck submits."""
    jobs.clean_up()
