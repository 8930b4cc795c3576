"""The integrity check (`sync_check`): a device sends what it holds, by id range, and learns
what differs, without a full resync.

Entries are compared in id order. The device cuts its ids into consecutive ranges, each ending
at `upTo` (inclusive; null: to the end), the first starting after `after`. For a range it sends
either a digest, the SHA-256 hex of `"{id}:{version}\\n"` for each live entry it holds in the
range in id order, or its entries as `{id, version}`. The server reads at most
`sync_check_max_reads` entries per call, in id order, and answers each range it could finish:
`equal` / `differs` for a digest (send that range's entries next), `listed` for a listing, with
`newer` (live on the server and absent or older on the device: full entries), `deleted` (the
device holds it, the server has its tombstone) and `missing` (the device holds it, the server
has no record: push it if it never reached the server, drop it if it did). `checkedUpTo` is the
`after` of the next call; `complete` says the last range was checked. A digest range too large
to finish in one call is answered `tooLarge`: send it as a listing, which may stop part-way.
"""

import hashlib
from typing import Any

from shared import collections, wiring
from shared.errors import AppError
from shared.store import Doc, query
from shared.sync.entries import entry_view
from shared.sync.models import CheckResult, CheckSync, EntryVersion, RangeOutcome
from shared.sync.settings import settings
from shared.sync.state import check_access


def range_digest(versions: list[tuple[str, int]]) -> str:
    """The digest of a range: what a client computes over the live entries it holds."""
    return hashlib.sha256("".join(f"{i}:{v}\n" for i, v in versions).encode()).hexdigest()


def check_entries(uid: str, request: CheckSync) -> CheckResult:
    """Compare the device's ranges with the server's entries, within one call's read budget."""
    check_access(uid, request.device_id)
    _check_ranges(request)
    budget = settings().sync_check_max_reads
    entries = collections.sync_entries(uid)
    start = Doc(f"{entries}/{request.after}") if request.after else None
    docs = wiring.store().query(query(entries, limit=budget + 1, start_after=start))
    read_all = len(docs) <= budget
    docs = docs[:budget]
    result = CheckResult(checked_up_to=request.after)
    first = 0
    for number, wanted in enumerate(request.ranges):
        end = first
        while end < len(docs) and (wanted.up_to is None or docs[end].id <= wanted.up_to):
            end += 1
        server = docs[first:end]
        if end == len(docs) and not read_all:  # the range goes on past what this call read
            if wanted.entries is None:
                if number == 0:
                    result.ranges.append(RangeOutcome(up_to=wanted.up_to, status="tooLarge"))
                return result
            if server:  # compare what was read; the next call continues after it
                last = server[-1].id
                _compare(result, [e for e in wanted.entries if e.id <= last], server, request)
                result.ranges.append(RangeOutcome(up_to=last, status="listed"))
                result.checked_up_to = last
            return result
        if wanted.entries is None:
            live = [(d.id, d.data["version"]) for d in server if not d.data["deleted"]]
            same = range_digest(live) == wanted.digest
            result.ranges.append(
                RangeOutcome(up_to=wanted.up_to, status="equal" if same else "differs")
            )
        else:
            _compare(result, wanted.entries, server, request)
            result.ranges.append(RangeOutcome(up_to=wanted.up_to, status="listed"))
        result.checked_up_to, first = wanted.up_to, end
        result.complete = wanted.up_to is None
    return result


def _check_ranges(request: CheckSync) -> None:
    listed = sum(len(r.entries or []) for r in request.ranges)
    if listed > settings().sync_check_max_entries:
        raise AppError(
            "ERR_4412",
            reason=f"{listed} entries listed (at most "
            f"{settings().sync_check_max_entries} per call)",
        )
    low = request.after
    for i, r in enumerate(request.ranges):
        if (r.digest is None) == (r.entries is None):
            raise AppError("ERR_4412", reason=f"ranges[{i}] needs either digest or entries")
        if r.up_to is None and i != len(request.ranges) - 1:
            raise AppError("ERR_4412", reason=f"ranges[{i}] has no upTo but is not the last")
        if r.up_to is not None and low is not None and r.up_to <= low:
            raise AppError("ERR_4412", reason=f"ranges[{i}].upTo is not after the range before")
        for e in r.entries or []:
            if (low is not None and e.id <= low) or (r.up_to is not None and e.id > r.up_to):
                raise AppError("ERR_4412", reason=f"{e.id} is outside ranges[{i}]")
        low = r.up_to


def _compare(
    result: CheckResult, held: list[EntryVersion], server: list[Doc], request: CheckSync
) -> None:
    stored: dict[str, dict[str, Any]] = {d.id: d.data for d in server}
    held_ids = {e.id for e in held}
    for e in held:
        doc = stored.get(e.id)
        if doc is None:
            result.missing.append(e.id)
        elif doc["deleted"]:
            result.deleted.append(EntryVersion(id=e.id, version=doc["version"]))
        elif doc["version"] != e.version:
            result.newer.append(entry_view(e.id, doc, request.device_id))
    for entry_id, doc in stored.items():
        if entry_id not in held_ids and not doc["deleted"]:
            result.newer.append(entry_view(entry_id, doc, request.device_id))
