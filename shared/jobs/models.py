"""Generation requests, the stored job and model, and what callers see of them."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from shared.models import WireModel, document_id

ModelId = document_id(max_chars=100, pattern=r"[A-Za-z0-9._-]+")
JobId = document_id(max_chars=100, pattern=r"[A-Za-z0-9_-]+")
OptionValue = str | int | float | bool


class JobStatus(StrEnum):
    SUBMITTING = "submitting"  # credits spent, provider not yet answered
    QUEUED = "queued"  # the provider accepted it
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.COMPLETED, JobStatus.FAILED)


class _Stored(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    def document(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude={"id"})


class Model(_Stored):
    """`models/{id}` as stored."""

    id: str
    name: str
    cost: int
    provider: str = "fal"
    provider_model_id: str
    available: bool = True
    featured: bool = False
    # Input fields a request may pass on to the provider besides the prompt (none by default:
    # a field such as num_images would change what one charge buys).
    allowed_options: list[str] = Field(default_factory=list)
    updated_at: datetime | None = None


class JobError(BaseModel):
    code: str
    message: str


class Job(_Stored):
    """`generation_jobs/{id}` as stored."""

    id: str
    uid: str
    model_id: str
    provider_model_id: str
    prompt: str
    options: dict[str, OptionValue] = Field(default_factory=dict)
    cost: int
    status: JobStatus
    created_at: datetime
    updated_at: datetime
    request_hash: str
    provider_request_id: str | None = None
    result_urls: list[str] = Field(default_factory=list)
    error: JobError | None = None
    # The submit call itself failed: a replay of the generate request raises this again.
    submit_error: dict[str, Any] | None = None
    refunded: bool = False
    finished_at: datetime | None = None
    last_checked_at: datetime | None = None
    deleted: bool = False
    deleted_at: datetime | None = None
    merged_from: str | None = None


# --- requests ------------------------------------------------------------------------------


class Generate(WireModel):
    model_id: ModelId
    # Checked by the service (ERR_4003), not here, so an empty or long prompt has its own code.
    prompt: str
    options: dict[Annotated[str, Field(max_length=64)], OptionValue] = Field(
        default_factory=dict, max_length=20
    )
    idempotency_key: Annotated[str, Field(max_length=200)] | None = None


class GetModels(WireModel):
    # The ETag of the list the app has; callables always answer 200, so "not modified" is a
    # result with notModified=true and no models (an If-None-Match header works too).
    if_none_match: Annotated[str, Field(max_length=200)] | None = None


class JobRef(WireModel):
    job_id: JobId


class ListJobs(WireModel):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: Annotated[str, Field(max_length=500)] | None = None


# --- responses -----------------------------------------------------------------------------


class ModelView(WireModel):
    model_id: str
    name: str
    cost: int
    provider: str
    featured: bool


class ModelList(WireModel):
    etag: str
    not_modified: bool
    models: list[ModelView] | None


class JobView(WireModel):
    job_id: str
    model_id: str
    status: JobStatus
    cost: int
    prompt: str | None
    result_urls: list[str]
    error: JobError | None
    refunded: bool
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, job: Job) -> "JobView":
        return cls(
            job_id=job.id,
            model_id=job.model_id,
            status=job.status,
            cost=job.cost,
            prompt=None if job.deleted else job.prompt,
            result_urls=job.result_urls,
            error=job.error,
            refunded=job.refunded,
            created_at=job.created_at,
            updated_at=job.updated_at,
            finished_at=job.finished_at,
        )


class JobPage(WireModel):
    jobs: list[JobView]
    next_cursor: str | None


class Deleted(WireModel):
    job_id: str
    deleted: bool
