"""Session requests, the stored session and what callers see of it."""

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from shared.models import WireModel, document_id

SessionId = document_id(max_chars=200)
IdempotencyKey = Annotated[str, Field(max_length=200)]


class SessionStatus(StrEnum):
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


Outcome = Literal["SUCCESS", "FAILURE"]


class StartSession(WireModel):
    pledge: int
    duration_minutes: int
    idempotency_key: IdempotencyKey | None = None


class HeartbeatSession(WireModel):
    session_id: SessionId


class ResolveSession(WireModel):
    session_id: SessionId
    outcome: Outcome
    reason: str | None = Field(default=None, max_length=200)
    idempotency_key: IdempotencyKey | None = None


class Resolution(BaseModel):
    """How a session was settled; `key` is the hash of the idempotency key that settled it."""

    outcome: Outcome
    reason: str | None = None
    by: Literal["client", "expiry"]
    key: str
    request_hash: str
    entry_ids: list[str]

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class Session(BaseModel):
    """`sessions/{id}` as stored."""

    id: str
    uid: str
    pledge: int
    duration_minutes: int
    status: SessionStatus
    started_at: datetime
    last_heartbeat_at: datetime
    expires_at: datetime
    heartbeats: int = 0
    request_hash: str
    lock_entry_id: str
    resolved_at: datetime | None = None
    resolution: Resolution | None = None
    ash_granted: int = 0
    redemption_expires_at: datetime | None = None
    frozen_votes: int = 0

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    def document(self) -> dict:
        return self.model_dump(by_alias=True, exclude={"id"})

    def expired(self, now: datetime, grace: timedelta) -> bool:
        """Heartbeats stop counting at expiresAt, so this also covers sessions past their end."""
        return self.last_heartbeat_at + grace < now

    def covered(self, grace: timedelta) -> bool:
        """Whether heartbeats kept coming until the end of the time box (within the grace)."""
        return self.last_heartbeat_at + grace >= self.expires_at


class SessionView(WireModel):
    session_id: str
    status: SessionStatus
    pledge: int
    duration_minutes: int
    started_at: datetime
    last_heartbeat_at: datetime
    expires_at: datetime
    outcome: Outcome | None = None
    reason: str | None = None
    resolved_at: datetime | None = None
    ash_granted: int = 0
    redemption_expires_at: datetime | None = None
    frozen_votes: int = 0
    # This answer repeats an earlier call's (same idempotency key); nothing changed now.
    replayed: bool = False

    @classmethod
    def of(cls, session: Session, replayed: bool = False) -> "SessionView":
        resolution = session.resolution
        return cls(
            session_id=session.id,
            status=session.status,
            pledge=session.pledge,
            duration_minutes=session.duration_minutes,
            started_at=session.started_at,
            last_heartbeat_at=session.last_heartbeat_at,
            expires_at=session.expires_at,
            outcome=resolution.outcome if resolution else None,
            reason=resolution.reason if resolution else None,
            resolved_at=session.resolved_at,
            ash_granted=session.ash_granted,
            redemption_expires_at=session.redemption_expires_at,
            frozen_votes=session.frozen_votes,
            replayed=replayed,
        )
