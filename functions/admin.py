"""Support tools, for callers whose ID token carries the custom claim admin=true."""

from shared.admin import catalog, credits, users
from shared.admin.models import (
    ActionDone,
    AdjustCredits,
    BanUser,
    PutModel,
    RefundJob,
    SetModelAvailability,
    UserRef,
    UserStats,
)
from shared.web.functions import CallContext, callable_function


def _admin(ctx: CallContext):
    assert ctx.auth is not None  # auth="admin" verified the token and the claim
    return ctx.auth


@callable_function(AdjustCredits, auth="admin")
def admin_adjust_credits(request: AdjustCredits, ctx: CallContext) -> ActionDone:
    """Give (amount > 0) or take credits, with a reason; once per idempotencyKey."""
    return credits.adjust_credits(_admin(ctx), request)


@callable_function(RefundJob, auth="admin")
def admin_refund_job(request: RefundJob, ctx: CallContext) -> ActionDone:
    """Refund a job's credits (at most once per job, automatic refunds included)."""
    return credits.refund_job(_admin(ctx), request)


@callable_function(PutModel, auth="admin")
def admin_put_model(request: PutModel, ctx: CallContext) -> ActionDone:
    """Create or replace a model of the catalog."""
    return catalog.put_model(_admin(ctx), request)


@callable_function(SetModelAvailability, auth="admin")
def admin_set_model(request: SetModelAvailability, ctx: CallContext) -> ActionDone:
    """Enable or disable a model."""
    return catalog.set_model_availability(_admin(ctx), request)


@callable_function(UserRef, auth="admin")
def admin_user_stats(request: UserRef, ctx: CallContext) -> UserStats:
    """A user's jobs by status, success rate, balances and recent ledger."""
    return users.user_stats(request)


@callable_function(BanUser, auth="admin")
def admin_ban_user(request: BanUser, ctx: CallContext) -> ActionDone:
    """Refuse every call of a user (ERR_4019) until unbanned."""
    return users.set_banned(_admin(ctx), request, banned=True)


@callable_function(BanUser, auth="admin")
def admin_unban_user(request: BanUser, ctx: CallContext) -> ActionDone:
    """Lift a ban."""
    return users.set_banned(_admin(ctx), request, banned=False)
