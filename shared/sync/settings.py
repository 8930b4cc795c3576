"""Sync settings (see the Sync section of .env.example)."""

from typing import Literal

from pydantic import Field

from shared import config
from shared.config import AppSettings


class SyncSettings(AppSettings):
    # What the app should sell when a device without the add-on tries to sync.
    sync_product_id: str = "sync_monthly"
    # Decoded ciphertext bytes per entry; 256 KiB keeps an entry far below Firestore's 1 MiB.
    sync_max_entry_bytes: int = 262_144
    sync_max_entries_per_push: int = 500
    # Devices named in one vector clock.
    sync_max_clock_devices: int = 64
    sync_default_pull_limit: int = 100
    sync_max_pull_limit: int = 500
    # A pull page stops early once its ciphertext reaches this many characters.
    sync_max_pull_bytes: int = 8_388_608
    sync_tombstone_retention_days: int = 30
    # Users whose tombstones one run of purge_sync_tombstones handles (the rest wait a run).
    sync_purge_users_per_run: int = 200
    # FCM data messages to the user's other devices after a push: fcm, off, or auto (fcm when
    # APP_ENV=prod). At most one per device per coalesce window; the rest are flushed later.
    # sync_check: entries the server reads, and entries a device may list, per call.
    sync_check_max_reads: int = Field(default=2000, ge=1)
    sync_check_max_entries: int = Field(default=1000, ge=1)
    sync_pokes: Literal["auto", "fcm", "off"] = "auto"
    sync_poke_coalesce_seconds: int = Field(default=5, ge=0)


def settings() -> SyncSettings:
    return config.load(SyncSettings)
