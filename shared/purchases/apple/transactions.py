"""From Apple's decoded transaction and renewal info to a `StorePurchase`."""

from datetime import UTC, datetime

from appstoreserverlibrary.models.JWSRenewalInfoDecodedPayload import JWSRenewalInfoDecodedPayload
from appstoreserverlibrary.models.JWSTransactionDecodedPayload import JWSTransactionDecodedPayload

from shared.errors import AppError
from shared.purchases.accounts import normalize_token
from shared.purchases.entitlements import EntitlementStatus
from shared.purchases.purchase import StorePurchase

AUTO_RENEWABLE = "Auto-Renewable Subscription"
Status = EntitlementStatus


def from_millis(millis: int | None) -> datetime | None:
    return datetime.fromtimestamp(millis / 1000, UTC) if millis is not None else None


def transaction_time(transaction: JWSTransactionDecodedPayload) -> datetime:
    """When a bare transaction's information was true: its purchase, or its revocation."""
    return from_millis(transaction.revocationDate or transaction.purchaseDate)  # type: ignore[return-value]


def _status(
    transaction: JWSTransactionDecodedPayload,
    renewal: JWSRenewalInfoDecodedPayload | None,
    notification_type: str | None,
    subtype: str | None,
    now: datetime,
) -> EntitlementStatus:
    if transaction.revocationDate is not None:
        if notification_type == "REVOKE":
            return Status.REVOKED
        refunded = notification_type == "REFUND" or transaction.rawRevocationReason is not None
        return Status.REFUNDED if refunded else Status.REVOKED
    expires = from_millis(transaction.expiresDate)
    if expires is None:  # consumable, non-consumable
        return Status.ACTIVE
    if notification_type in ("EXPIRED", "GRACE_PERIOD_EXPIRED"):
        return Status.EXPIRED
    if notification_type == "DID_FAIL_TO_RENEW":
        return Status.GRACE_PERIOD if subtype == "GRACE_PERIOD" else Status.BILLING_RETRY
    if expires > now:
        return Status.ACTIVE
    if renewal is not None and renewal.isInBillingRetryPeriod:
        grace = from_millis(renewal.gracePeriodExpiresDate)
        return Status.GRACE_PERIOD if grace and grace > now else Status.BILLING_RETRY
    return Status.EXPIRED


def purchase_from_transaction(
    transaction: JWSTransactionDecodedPayload,
    renewal: JWSRenewalInfoDecodedPayload | None,
    *,
    source_time: datetime,
    now: datetime,
    notification_type: str | None = None,
    subtype: str | None = None,
) -> StorePurchase:
    """The purchase a verified transaction describes (with the notification that carried it)."""
    t = transaction
    if not (t.transactionId and t.productId and t.purchaseDate):
        raise AppError("ERR_4203", reason="the transaction lacks its id, product or date")
    status = _status(t, renewal, notification_type, subtype, now)
    auto_renewable = t.rawType == AUTO_RENEWABLE
    if renewal is not None and renewal.rawAutoRenewStatus is not None:
        auto_renew = renewal.rawAutoRenewStatus == 1
    else:  # no renewal info: an auto-renewable subscription in good standing renews
        auto_renew = auto_renewable and status == Status.ACTIVE
    grace = from_millis(renewal.gracePeriodExpiresDate) if renewal else None
    # A downgrade takes effect at the next renewal: until then the renewal info names it.
    renews_into = renewal.autoRenewProductId if renewal else None
    return StorePurchase(
        platform="app_store",
        product_id=t.productId,
        transaction_id=t.transactionId,
        original_transaction_id=t.originalTransactionId or t.transactionId,
        binding_key=t.originalTransactionId or t.transactionId,
        environment=(t.rawEnvironment or "Production").lower(),
        purchased_at=from_millis(t.purchaseDate),
        expires_at=from_millis(t.expiresDate),
        grace_expires_at=grace if status == Status.GRACE_PERIOD else None,
        status=status,
        auto_renew=auto_renew,
        quantity=max(t.quantity or 1, 1),
        account_token=normalize_token(t.appAccountToken),
        source_time=source_time,
        family_shared=t.rawInAppOwnershipType == "FAMILY_SHARED",
        pending_product_id=renews_into if renews_into != t.productId else None,
    )
