"""Admin requests and answers. Every changing request carries the reason it is recorded with."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from shared.jobs.models import JobId, JobStatus, ModelId
from shared.models import WireModel, document_id

Uid = document_id(max_chars=128)  # Firebase Auth uids are at most 128 characters
Reason = Annotated[str, Field(min_length=3, max_length=500)]


class AdjustCredits(WireModel):
    uid: Uid
    # Positive gives credits, negative takes them (never below zero available).
    amount: int = Field(ge=-1_000_000, le=1_000_000)
    reason: Reason
    idempotency_key: Annotated[str, Field(max_length=200)] | None = None


class RefundJob(WireModel):
    job_id: JobId
    reason: Reason


class SetModelAvailability(WireModel):
    model_id: ModelId
    available: bool
    reason: Reason


class PutModel(WireModel):
    model_id: ModelId
    name: Annotated[str, Field(min_length=1, max_length=100)]
    cost: int = Field(ge=1, le=1_000_000)
    provider: Annotated[str, Field(min_length=1, max_length=50)] = "fal"
    provider_model_id: Annotated[
        str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")
    ]
    available: bool = True
    featured: bool = False
    allowed_options: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        default_factory=list, max_length=20
    )
    reason: Reason


class UserRef(WireModel):
    uid: Uid


class BanUser(WireModel):
    uid: Uid
    reason: Reason


class ActionDone(WireModel):
    """What an admin action did, and the id of its `admin_actions` record."""

    action_id: str
    action: str
    target: str
    result: dict[str, Any]


class LedgerLine(WireModel):
    id: str
    type: str
    amount: int
    reason: str | None
    created_at: datetime


class UserStats(WireModel):
    uid: str
    exists: bool
    banned: bool
    credits: int
    available: int
    jobs_by_status: dict[JobStatus, int]
    jobs_counted: int
    success_rate: float | None
    recent_ledger: list[LedgerLine]
