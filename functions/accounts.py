"""Accounts: a user signs out everywhere or deletes their own account; admins disable one."""

from shared.accounts.access import SignedOut, set_disabled
from shared.accounts.access import sign_out_everywhere as sign_out
from shared.accounts.deletion import delete_account as delete
from shared.accounts.models import AccountDeleted, DeleteAccount
from shared.admin.models import ActionDone, BanUser
from shared.errors import AppError
from shared.models import Empty
from shared.web.functions import CallContext, callable_function


@callable_function(DeleteAccount)
def delete_account(request: DeleteAccount, ctx: CallContext) -> AccountDeleted:
    """Delete the caller's account: data removed, Stripe closed, the ledger kept anonymized."""
    if not request.confirm:
        raise AppError("ERR_4603")
    return delete(ctx.uid)


@callable_function(Empty)
def sign_out_everywhere(request: Empty, ctx: CallContext) -> SignedOut:
    """Revoke every sign-in of the caller: tokens issued before now are refused from now on."""
    return sign_out(ctx.uid)


@callable_function(BanUser, auth="admin")
def admin_disable_user(request: BanUser, ctx: CallContext) -> ActionDone:
    """Disable a user at Firebase Auth; every token it holds is refused (ERR_4032)."""
    assert ctx.auth is not None
    return set_disabled(ctx.auth, request, disabled=True)


@callable_function(BanUser, auth="admin")
def admin_enable_user(request: BanUser, ctx: CallContext) -> ActionDone:
    """Enable a disabled user again."""
    assert ctx.auth is not None
    return set_disabled(ctx.auth, request, disabled=False)
