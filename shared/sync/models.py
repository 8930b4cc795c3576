"""Wire models of sync: what devices push and pull, and what they are told."""

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, Field
from typing_extensions import TypedDict

from shared.devices.models import DeviceId
from shared.models import WireModel, document_id, wire_dict

EntryId = document_id(max_chars=128, pattern=r"[A-Za-z0-9_-]+")


@wire_dict
class EntryChange(TypedDict):
    """A new version of an entry: base64 ciphertext, its vector clock and the client's time."""

    id: EntryId
    ciphertext: str
    clock: dict[str, int]
    updated_at: AwareDatetime


@wire_dict
class Deletion(TypedDict):
    """A deletion: a tombstone with its own clock, resolved like any other version."""

    id: EntryId
    clock: dict[str, int]
    updated_at: AwareDatetime


class PushChanges(WireModel):
    device_id: DeviceId
    entries: list[EntryChange] = Field(default_factory=list)
    deleted_ids: list[Deletion] = Field(default_factory=list)


@wire_dict
class EntryOutcome(TypedDict):
    """What happened to one pushed entry; `seq`, `version` and `clock` are the stored ones."""

    id: str
    status: Literal["accepted", "stale", "conflict"]
    winner: Literal["incoming", "stored"] | None
    duplicate: bool
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


@wire_dict
class OwnWriteLost(TypedDict):
    """On a pulled entry: a version this device pushed lost a conflict to this one."""

    conflict_id: str


@wire_dict
class SyncEntry(TypedDict):
    id: str
    ciphertext: str | None
    clock: dict[str, int]
    updated_at: datetime
    version: int
    deleted: bool
    seq: int
    device_id: str
    own_write_lost: OwnWriteLost | None


ResetReason = Literal["purged", "unknown_cursor"]


class PullPage(WireModel):
    """A page of changes. With `reset: true` the cursor could not be continued and this is the
    first page of a full listing: keep paging, then drop every synced entry it did not list
    (`drop: "unlisted"`)."""

    entries: list[SyncEntry]
    next_cursor: int
    has_more: bool
    reset: bool = False
    reset_reason: ResetReason | None = None
    drop: Literal["unlisted"] | None = None


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


ConflictId = document_id(max_chars=148, pattern=r"[0-9]{1,19}-[A-Za-z0-9_-]{1,128}")


class ListConflicts(WireModel):
    device_id: DeviceId
    entry_id: EntryId | None = None
    before: int | None = Field(None, ge=1)  # nextBefore of the previous page
    limit: int | None = Field(None, ge=1, le=200)


class VersionInfo(WireModel):
    """A version's metadata: which device wrote it, when (its own clock) and whether it was a
    deletion. The ciphertext of a losing version is never kept."""

    device_id: str
    updated_at: datetime
    clock: dict[str, int]
    deleted: bool


class ConflictView(WireModel):
    conflict_id: str
    entry_id: str
    seq: int  # the write that settled it
    resolved_at: datetime
    winner: VersionInfo
    loser: VersionInfo


class ConflictPage(WireModel):
    conflicts: list[ConflictView]
    next_before: int | None


class AcknowledgeConflicts(WireModel):
    device_id: DeviceId
    conflict_ids: list[ConflictId] = Field(min_length=1, max_length=200)


class Acknowledged(WireModel):
    acknowledged: int


class EntryVersion(WireModel):
    id: EntryId
    version: int = Field(ge=1)


class CheckRange(WireModel):
    """Ids after the previous range's upTo (or the request's `after`) up to `upTo` inclusive
    (null: to the end), as a digest or as the entries held."""

    up_to: EntryId | None = None
    digest: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")
    entries: list[EntryVersion] | None = None


class CheckSync(WireModel):
    device_id: DeviceId
    after: EntryId | None = None
    ranges: list[CheckRange] = Field(min_length=1, max_length=500)


class RangeOutcome(WireModel):
    up_to: str | None
    status: Literal["equal", "differs", "listed", "tooLarge"]


class CheckResult(WireModel):
    ranges: list[RangeOutcome] = Field(default_factory=list)
    newer: list[SyncEntry] = Field(default_factory=list)
    deleted: list[EntryVersion] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    checked_up_to: str | None = None
    complete: bool = False


class PurgeReport(WireModel):
    users: int
    tombstones: int
