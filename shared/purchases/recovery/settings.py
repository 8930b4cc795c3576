"""Pacing of the missed-event replay (see the Recovery section of .env.example)."""

from pydantic import Field

from shared import config
from shared.config import AppSettings


class RecoverySettings(AppSettings):
    # The first run looks this far back; later runs start where the previous one ended.
    recovery_lookback_hours: float = Field(default=24, gt=0, le=24 * 180)
    # Each window starts this much before the previous end: history may show an event late,
    # and replaying one twice costs only a duplicate check.
    recovery_overlap_minutes: float = Field(default=10, ge=0)
    # Pages per source per run; a run that stops here continues from its token next time.
    recovery_max_pages: int = Field(default=50, ge=1)
    recovery_page_size: int = Field(default=100, ge=1, le=100)
    # Play purchases ending within this many hours (or ended as long ago) are re-fetched.
    recovery_play_horizon_hours: float = Field(default=48, gt=0)


def settings() -> RecoverySettings:
    return config.load(RecoverySettings)
