"""Checking a push before anything is read or written: limits, base64, clocks, ids."""

import re

from shared.devices.models import DEVICE_ID_PATTERN
from shared.devices.payload import base64_size
from shared.errors import AppError
from shared.sync.clocks import Clock, Version
from shared.sync.models import PushChanges
from shared.sync.settings import SyncSettings

MAX_COUNTER = 2**53  # exact in every client's JSON numbers
_DEVICE_ID = re.compile(DEVICE_ID_PATTERN)


def check_clock(entry_id: str, clock: dict[str, int], pusher: str, limits: SyncSettings) -> Clock:
    """A valid clock without its zero counters; ERR_4404 / ERR_4405 otherwise. `pusher` is the
    pushing device's id, already checked."""
    if len(clock) == 1:  # a device's first version of an entry: the common case, quickly
        [(device, counter)] = clock.items()
        if 0 < counter <= MAX_COUNTER and (device == pusher or _DEVICE_ID.fullmatch(device)):
            return clock
    if len(clock) > limits.sync_max_clock_devices:
        raise AppError("ERR_4405", id=entry_id, size=len(clock), max=limits.sync_max_clock_devices)
    for device, counter in clock.items():
        if not _DEVICE_ID.fullmatch(device):
            raise AppError("ERR_4404", id=entry_id, reason=f"{device!r} is not a device id")
        if not 0 <= counter <= MAX_COUNTER:
            raise AppError("ERR_4404", id=entry_id, reason=f"counter {counter} is out of range")
    kept = {d: c for d, c in sorted(clock.items()) if c > 0}
    if not kept:
        raise AppError("ERR_4404", id=entry_id, reason="no counter is above zero")
    return kept


def check_push(request: PushChanges, limits: SyncSettings) -> list[Version]:
    """The push as versions in request order (entries, then deletions), or the first error."""
    count = len(request.entries) + len(request.deleted_ids)
    if count > limits.sync_max_entries_per_push:
        raise AppError("ERR_4401", count=count, max=limits.sync_max_entries_per_push)
    pusher, max_bytes = request.device_id, limits.sync_max_entry_bytes
    versions: list[Version] = []
    for i, entry in enumerate(request.entries):
        entry_id, ciphertext = entry["id"], entry["ciphertext"]
        size = base64_size(ciphertext)
        if size is None:
            raise AppError("ERR_4403", field=f"entries[{i}].ciphertext")
        if size > max_bytes:
            raise AppError("ERR_4402", id=entry_id, size=size, max=max_bytes)
        clock = check_clock(entry_id, entry["clock"], pusher, limits)
        versions.append(Version(entry_id, ciphertext, False, clock, entry["updated_at"], pusher))
    for deletion in request.deleted_ids:
        clock = check_clock(deletion["id"], deletion["clock"], pusher, limits)
        versions.append(Version(deletion["id"], None, True, clock, deletion["updated_at"], pusher))
    ids = [version.id for version in versions]
    if len(set(ids)) < len(ids):
        raise AppError("ERR_4406", id=_first_repeat(ids))
    return versions


def _first_repeat(ids: list[str]) -> str:
    seen: set[str] = set()
    for entry_id in ids:
        if entry_id in seen:
            return entry_id
        seen.add(entry_id)
    raise ValueError("no id repeats")
