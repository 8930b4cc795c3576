"""Missed-event recovery: the scheduled replay and the admin's one-object resync."""

from cloudevents.http import CloudEvent

from shared.purchases.recovery.job import recover_missed_events as recover
from shared.purchases.recovery.resync import ResyncObject, ResyncResult, resync_object
from shared.web.functions import CallContext, callable_function, scheduled_job


@scheduled_job(every_minutes=60)
def recover_missed_events(event: CloudEvent) -> None:
    """Replay Apple's notification history and Stripe's events since the last run."""
    recover()


@callable_function(ResyncObject, auth="admin")
def admin_resync(request: ResyncObject, ctx: CallContext) -> ResyncResult:
    """Bring one Stripe object, Apple subscription or Play purchase up to date now."""
    return resync_object(request)
