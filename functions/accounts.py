"""Accounts: a user signs out everywhere, or deletes their own account."""

from shared.accounts.deletion import delete_account as delete
from shared.accounts.models import AccountDeleted, DeleteAccount
from shared.accounts.sign_out import SignedOut
from shared.accounts.sign_out import sign_out_everywhere as sign_out
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
