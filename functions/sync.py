"""Sync callables: push, pull, status and conflicts (each needs the `sync` add-on and a registered
device), and the scheduled purge of old tombstones."""

from cloudevents.http import CloudEvent

from shared import log
from shared.sync.check import check_entries
from shared.sync.conflicts import acknowledge_conflicts, list_conflicts
from shared.sync.models import (
    AcknowledgeConflicts,
    Acknowledged,
    CheckResult,
    CheckSync,
    ConflictPage,
    ListConflicts,
    PullChanges,
    PullPage,
    PushChanges,
    PushResult,
    StatusRequest,
    SyncStatus,
)
from shared.sync.pokes import flush_pokes
from shared.sync.pull import pull_changes
from shared.sync.purge import purge_tombstones
from shared.sync.push import push_changes
from shared.sync.status import get_status
from shared.web.functions import CallContext, callable_function, scheduled_job


@callable_function(PushChanges)
def sync_push(request: PushChanges, ctx: CallContext) -> PushResult:
    """Push encrypted entries and tombstones; one outcome per entry."""
    return push_changes(ctx.uid, request)


@callable_function(PullChanges)
def sync_pull(request: PullChanges, ctx: CallContext) -> PullPage:
    """The changes after a cursor, in order (cursor 0: initial sync)."""
    return pull_changes(ctx.uid, request)


@callable_function(StatusRequest)
def sync_status(request: StatusRequest, ctx: CallContext) -> SyncStatus:
    """Entry and conflict counts, the last sequence, each device's last push and pull."""
    return get_status(ctx.uid, request)


@callable_function(CheckSync)
def sync_check(request: CheckSync, ctx: CallContext) -> CheckResult:
    """Compare what the device holds (digests or ids with versions) with the server."""
    return check_entries(ctx.uid, request)


@callable_function(ListConflicts)
def sync_conflicts(request: ListConflicts, ctx: CallContext) -> ConflictPage:
    """Conflicts settled on the caller's entries, newest first (optionally of one entry)."""
    return list_conflicts(ctx.uid, request)


@callable_function(AcknowledgeConflicts)
def sync_conflicts_ack(request: AcknowledgeConflicts, ctx: CallContext) -> Acknowledged:
    """Remove conflicts the user has seen."""
    return acknowledge_conflicts(ctx.uid, request)


@scheduled_job(every_minutes=60)
def purge_sync_tombstones(event: CloudEvent) -> None:
    """Delete tombstones past their retention and record each user's purge horizon."""
    report = purge_tombstones()
    log.event("sync tombstones purged", users=report.users, tombstones=report.tombstones)


@scheduled_job(every_minutes=1)
def flush_sync_pokes(event: CloudEvent) -> None:
    """Send the pokes that coalescing held back during a burst of pushes."""
    log.event("sync pokes flushed", users=flush_pokes())
