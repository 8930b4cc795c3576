"""A purchase as a store confirmed it, the same shape for the App Store and Google Play."""

import hashlib
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from shared.purchases.catalog import Product
from shared.purchases.entitlements import Entitlement, EntitlementStatus

Platform = Literal["app_store", "play_store"]
PREFIX: dict[str, str] = {"app_store": "appstore", "play_store": "play"}

# What a verified purchase may be besides an entitlement status.
PENDING = "pending"


def token_digest(purchase_token: str) -> str:
    """A short stable id for a Play purchase token (tokens are long and not ours to expose)."""
    return hashlib.sha256(purchase_token.encode()).hexdigest()[:40]


class StorePurchase(BaseModel):
    """What Apple or Google said about one purchase, after verification.

    `transaction_id` is this payment (Apple transactionId, Play orderId); `binding_key` names
    the purchase across renewals (Apple originalTransactionId, Play purchase token digest).
    """

    platform: Platform
    product_id: str
    transaction_id: str
    original_transaction_id: str
    binding_key: str
    environment: str = "production"
    purchased_at: datetime
    expires_at: datetime | None = None
    grace_expires_at: datetime | None = None
    status: EntitlementStatus | Literal["pending"]
    auto_renew: bool = False
    quantity: int = 1
    account_token: str | None = None
    source_time: datetime
    purchase_token: str | None = None
    acknowledged: bool = True
    # Play one-time products: consumed already (consumptionState 1).
    consumed: bool = False
    # Play: the purchase this one replaced (an upgrade or downgrade), whose owner it inherits.
    linked_binding_key: str | None = None
    # Apple: shared with this user by a family member (inAppOwnershipType FAMILY_SHARED).
    family_shared: bool = False
    # Apple: the product the subscription renews into when that differs (a pending downgrade).
    pending_product_id: str | None = None

    @property
    def binding_id(self) -> str:
        return f"{PREFIX[self.platform]}_{self.binding_key}"

    @property
    def linked_binding_id(self) -> str | None:
        key = self.linked_binding_key
        return f"{PREFIX[self.platform]}_{key}" if key else None

    @property
    def ledger_id(self) -> str:
        """The id of the credits_purchase entry this payment posts (once, ever)."""
        return f"{PREFIX[self.platform]}_{self.transaction_id}"

    @property
    def clawback_id(self) -> str:
        return f"{self.ledger_id}_clawback"

    @property
    def is_reversed(self) -> bool:
        return self.status in (EntitlementStatus.REFUNDED, EntitlementStatus.REVOKED)

    def entitlement(self, product: Product) -> Entitlement:
        """The state of the product's first add-on (see `entitlements`)."""
        return self.entitlements(product)[0]

    def entitlements(self, product: Product) -> list[Entitlement]:
        """One source state per add-on the product grants."""
        assert product.add_on is not None and self.status != PENDING
        return [self._entitlement(add_on, product) for add_on in product.entitlements]

    def _entitlement(self, add_on: str, product: Product) -> Entitlement:
        return Entitlement(
            add_on=add_on,
            status=EntitlementStatus(self.status),
            tier=product.tier,
            expires_at=self.expires_at,
            grace_expires_at=self.grace_expires_at,
            auto_renew=self.auto_renew,
            platform=self.platform,
            product_id=self.product_id,
            original_transaction_id=self.original_transaction_id,
            environment=self.environment,
            source_time=self.source_time,
            family_shared=self.family_shared,
            pending_product_id=self.pending_product_id,
        )
