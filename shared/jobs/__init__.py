"""Metered generation jobs: models, paid generation with refunds, status, history, webhook."""

from shared.jobs.catalog import list_models
from shared.jobs.cleanup import CleanupReport, clean_up
from shared.jobs.generation import generate
from shared.jobs.history import delete_job, get_job, list_jobs
from shared.jobs.models import (
    Deleted,
    Generate,
    GetModels,
    Job,
    JobPage,
    JobRef,
    JobStatus,
    JobView,
    ListJobs,
    Model,
    ModelList,
)
from shared.jobs.provider import JOB_PARAM
from shared.jobs.webhook import WebhookAnswer, handle_webhook

__all__ = [
    "JOB_PARAM",
    "CleanupReport",
    "Deleted",
    "Generate",
    "GetModels",
    "Job",
    "JobPage",
    "JobRef",
    "JobStatus",
    "JobView",
    "ListJobs",
    "Model",
    "ModelList",
    "WebhookAnswer",
    "clean_up",
    "delete_job",
    "generate",
    "get_job",
    "handle_webhook",
    "list_jobs",
    "list_models",
]
