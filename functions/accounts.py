"""Accounts: a user deletes their own account."""

from shared.accounts.deletion import delete_account as delete
from shared.accounts.models import AccountDeleted, DeleteAccount
from shared.errors import AppError
from shared.web.functions import CallContext, callable_function


@callable_function(DeleteAccount)
def delete_account(request: DeleteAccount, ctx: CallContext) -> AccountDeleted:
    """Delete the caller's account: data removed, Stripe closed, the ledger kept anonymized."""
    if not request.confirm:
        raise AppError("ERR_4603")
    return delete(ctx.uid)
