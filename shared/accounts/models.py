"""What delete_account takes and answers."""

from datetime import datetime

from pydantic import Field

from shared.models import WireModel


class DeleteAccount(WireModel):
    """The caller deletes their own account; `confirm` must be true."""

    confirm: bool


class StoreLink(WireModel):
    """An App Store or Play purchase we cannot cancel: the user cancels it in the store."""

    platform: str
    product_id: str
    original_transaction_id: str


class AccountDeleted(WireModel):
    """The same answer however often deletion runs (stored in `deleted_accounts/{hash}`)."""

    deleted: bool = True
    deleted_at: datetime
    removed: dict[str, int]  # documents deleted, by kind
    stripe_customer: str | None = None  # deleted, detached, kept, or None (had none)
    stripe_subscriptions_canceled: list[str] = Field(default_factory=list)
    store_subscriptions_to_cancel: list[StoreLink] = Field(default_factory=list)
