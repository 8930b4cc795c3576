"""Credits wallet and commitment sessions: callables, and the expiry and reconcile jobs."""

from cloudevents.http import CloudEvent

from shared import ledger, sessions
from shared.ledger import GetWallet, WalletView
from shared.ops import expiry, reconcile
from shared.sessions import HeartbeatSession, ResolveSession, SessionView, StartSession
from shared.web.functions import CallContext, callable_function, scheduled_job


@callable_function(StartSession)
def session_start(request: StartSession, ctx: CallContext) -> SessionView:
    """Start a commitment session, locking `pledge` credits for `durationMinutes`."""
    return sessions.start_session(ctx.uid, request)


@callable_function(HeartbeatSession)
def session_heartbeat(request: HeartbeatSession, ctx: CallContext) -> SessionView:
    """Keep the caller's ACTIVE session alive."""
    return sessions.heartbeat_session(ctx.uid, request)


@callable_function(ResolveSession)
def session_resolve(request: ResolveSession, ctx: CallContext) -> SessionView:
    """Resolve the caller's session: SUCCESS refunds the pledge, FAILURE burns it for ash."""
    return sessions.resolve_session(ctx.uid, request)


@callable_function(GetWallet)
def wallet_get(request: GetWallet, ctx: CallContext) -> WalletView:
    """The caller's balances and newest ledger entries, paged by `cursor`."""
    return ledger.read_wallet(ctx.uid, request)


@scheduled_job(every_minutes=5)
def expire_stale_sessions(event: CloudEvent) -> None:
    """Settle ACTIVE sessions whose heartbeat stopped."""
    expiry.expire_stale_sessions()


@scheduled_job(every_minutes=60)
def reconcile_balances(event: CloudEvent) -> None:
    """Continue (or, once a day, start) the pass that checks every wallet against its ledger."""
    reconcile.reconcile_balances()


@scheduled_job(every_minutes=15)
def reconcile_incremental(event: CloudEvent) -> None:
    """Check the wallets of users with ledger entries since the last run."""
    reconcile.reconcile_incremental()
