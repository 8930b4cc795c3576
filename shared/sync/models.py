"""Wire models of sync: what devices push and pull, and what they are told."""

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, Field

from shared.devices.models import DeviceId
from shared.models import WireModel, document_id

EntryId = document_id(max_chars=128, pattern=r"[A-Za-z0-9_-]+")


class EntryChange(WireModel):
    """A new version of an entry: base64 ciphertext, its vector clock and the client's time."""

    id: EntryId
    ciphertext: str
    clock: dict[str, int]
    updated_at: AwareDatetime


class Deletion(WireModel):
    """A deletion: a tombstone with its own clock, resolved like any other version."""

    id: EntryId
    clock: dict[str, int]
    updated_at: AwareDatetime


class PushChanges(WireModel):
    device_id: DeviceId
    entries: list[EntryChange] = Field(default_factory=list)
    deleted_ids: list[Deletion] = Field(default_factory=list)


class EntryOutcome(WireModel):
    """What happened to one pushed entry; `seq`, `version` and `clock` are the stored ones."""

    id: str
    status: Literal["accepted", "stale", "conflict"]
    winner: Literal["incoming", "stored"] | None = None
    duplicate: bool = False
    seq: int
    version: int
    clock: dict[str, int]


class PushResult(WireModel):
    results: list[EntryOutcome]
    last_seq: int


class PullChanges(WireModel):
    device_id: DeviceId
    cursor: int = Field(0, ge=0)
    limit: int | None = Field(None, ge=1)


class SyncEntry(WireModel):
    id: str
    ciphertext: str | None
    clock: dict[str, int]
    updated_at: datetime
    version: int
    deleted: bool
    seq: int
    device_id: str


class PullPage(WireModel):
    entries: list[SyncEntry]
    next_cursor: int
    has_more: bool


class StatusRequest(WireModel):
    device_id: DeviceId


class DeviceSyncStatus(WireModel):
    device_id: str
    name: str
    online: bool
    last_push_at: datetime | None = None
    last_pull_at: datetime | None = None
    last_pull_cursor: int | None = None


class SyncStatus(WireModel):
    entry_count: int
    tombstone_count: int
    last_seq: int
    purge_horizon: int
    conflict_count: int
    devices: list[DeviceSyncStatus]


class PurgeReport(WireModel):
    users: int
    tombstones: int
