"""What the purchase callables send back to apps."""

from datetime import datetime
from typing import Literal

from shared.models import WireModel
from shared.purchases.entitlements import Entitlement, EntitlementStatus


class EntitlementView(WireModel):
    """One add-on as the app sees it; `active` is the same check as `is_entitled`."""

    add_on: str
    status: EntitlementStatus
    active: bool
    tier: str | None = None
    expires_at: datetime | None = None
    grace_expires_at: datetime | None = None
    auto_renew: bool
    platform: str
    product_id: str

    @classmethod
    def of(cls, entitlement: Entitlement, now: datetime) -> "EntitlementView":
        return cls(
            add_on=entitlement.add_on,
            status=entitlement.status,
            active=entitlement.grants_access(now),
            tier=entitlement.tier,
            expires_at=entitlement.expires_at,
            grace_expires_at=entitlement.grace_expires_at,
            auto_renew=entitlement.auto_renew,
            platform=entitlement.platform,
            product_id=entitlement.product_id,
        )


class EntitlementsView(WireModel):
    """get_entitlements: every add-on of the caller, and the account token to attach to
    purchases (StoreKit appAccountToken, Play obfuscatedAccountId)."""

    entitlements: list[EntitlementView]
    app_account_token: str


class PurchaseResult(WireModel):
    """verify_purchase: what the purchase granted (idempotent: a repeat grants nothing more)."""

    platform: str
    product_id: str
    transaction_id: str
    kind: Literal["add_on", "credits"]
    credits_added: int = 0
    entitlement: EntitlementView | None = None
    already_applied: bool = False
