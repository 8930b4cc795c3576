"""What apps send to the purchase callables and what they get back."""

from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator

from shared.models import WireModel
from shared.purchases.apple import MAX_JWS_LENGTH
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
    environment: str = "production"
    family_shared: bool = False
    # A downgrade waiting for the next renewal (App Store).
    pending_product_id: str | None = None

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
            environment=entitlement.environment,
            family_shared=entitlement.family_shared,
            pending_product_id=entitlement.pending_product_id,
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
    # The caller's active entitlements changed: refresh the ID token for the new claims.
    refresh_token: bool = False


class VerifyPurchase(WireModel):
    """A purchase the app reports. App Store: exactly one of signedTransaction (StoreKit 2,
    optionally with signedRenewalInfo), transactionId, or receipt (StoreKit 1, optionally with
    productId). Google Play: purchaseToken and productId."""

    platform: Literal["app_store", "play_store"]
    signed_transaction: str | None = Field(default=None, min_length=1, max_length=MAX_JWS_LENGTH)
    signed_renewal_info: str | None = Field(default=None, min_length=1, max_length=MAX_JWS_LENGTH)
    transaction_id: str | None = Field(default=None, pattern=r"^[0-9]{1,32}$")
    receipt: str | None = Field(default=None, min_length=1, max_length=700_000)
    product_id: str | None = Field(default=None, min_length=1, max_length=200)
    purchase_token: str | None = Field(default=None, min_length=1, max_length=4096)
    package_name: str | None = Field(default=None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def _one_form(self) -> "VerifyPurchase":
        apple = (self.signed_transaction, self.transaction_id, self.receipt)
        if self.platform == "app_store":
            if sum(f is not None for f in apple) != 1:
                raise ValueError("give one of signedTransaction, transactionId or receipt")
            if self.purchase_token or self.package_name:
                raise ValueError("purchaseToken and packageName are for play_store")
            if self.signed_renewal_info and not self.signed_transaction:
                raise ValueError("signedRenewalInfo goes with signedTransaction")
            if self.product_id and not self.receipt:
                raise ValueError("productId goes with receipt")
        else:
            if any(f is not None for f in apple) or self.signed_renewal_info:
                raise ValueError("play_store takes purchaseToken and productId only")
            if not (self.purchase_token and self.product_id):
                raise ValueError("play_store needs purchaseToken and productId")
        return self
