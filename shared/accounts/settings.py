"""What account deletion does with store links (see the Accounts section of .env.example)."""

from typing import Literal

from shared import config
from shared.config import AppSettings


class AccountSettings(AppSettings):
    # Stripe subscriptions still running are canceled at once (no refund, no proration).
    account_delete_cancel_stripe_subscriptions: bool = True
    # delete: the Stripe customer goes (Stripe keeps its payments for its own records);
    # detach: it stays, without our firebaseUID; keep: untouched.
    account_delete_stripe_customer: Literal["delete", "detach", "keep"] = "delete"
    # App Store and Play purchases cannot be canceled by us: their bindings are deleted
    # (a later notification then names no user) or kept (it keeps its owner, deleted).
    account_delete_store_bindings: Literal["delete", "keep"] = "delete"
    # Writes per batch (Firestore allows 500).
    account_delete_batch_size: int = 400


def settings() -> AccountSettings:
    return config.load(AccountSettings)
