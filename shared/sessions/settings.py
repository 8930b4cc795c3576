"""Session settings (documented in .env.example)."""

from datetime import timedelta
from typing import Literal

from pydantic import Field

from shared import config
from shared.config import AppSettings


class SessionSettings(AppSettings):
    # Refuse a new session while the user has one ACTIVE.
    session_one_active: bool = True
    session_min_pledge: int = Field(default=1, ge=1)
    session_max_pledge: int = Field(default=1_000_000, ge=1)
    session_min_duration_minutes: int = Field(default=1, ge=1)
    session_max_duration_minutes: int = Field(default=1440, ge=1)
    # A session whose last heartbeat is older than this has expired.
    session_heartbeat_grace_minutes: float = Field(default=10, gt=0)
    # Ash granted per burned credit (rounded down).
    session_ash_per_credit: float = Field(default=1.0, ge=0)
    # How long a failed session's frozen vote can be redeemed.
    session_redemption_days: int = Field(default=7, ge=0)
    # What an expired session becomes when its heartbeats covered its whole time box but the
    # app never resolved it (a crash after the end): SUCCESS refunds, FAILURE burns.
    session_completed_outcome: Literal["SUCCESS", "FAILURE"] = "SUCCESS"
    session_expiry_batch_size: int = Field(default=100, ge=1, le=500)
    session_expiry_max_batches: int = Field(default=50, ge=1)

    @property
    def grace(self) -> timedelta:
        return timedelta(minutes=self.session_heartbeat_grace_minutes)


def settings() -> SessionSettings:
    return config.load(SessionSettings)
