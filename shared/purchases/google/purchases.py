"""From what the Play Developer API answers to a `StorePurchase`.

Play's answer is the current state of a purchase, so its `source_time` is when we fetched it:
whichever fetch is newest wins, whatever order notifications came in.
"""

from datetime import UTC, datetime

from shared.errors import AppError
from shared.purchases.accounts import normalize_token
from shared.purchases.entitlements import EntitlementStatus
from shared.purchases.google.models import (
    ProductPurchase,
    SubscriptionLineItem,
    SubscriptionPurchaseV2,
)
from shared.purchases.purchase import PENDING, StorePurchase, token_digest
from shared.purchases.settings import settings

Status = EntitlementStatus
ACKNOWLEDGED = "ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED"


def _environment(test: bool) -> str:
    if test and not settings().play_accept_test_purchases:
        raise AppError("ERR_4205", environment="test")
    return "sandbox" if test else "production"


def _subscription_status(state: str, expires: datetime | None, now: datetime) -> Status | str:
    match state:
        case "SUBSCRIPTION_STATE_ACTIVE":
            return Status.ACTIVE
        case "SUBSCRIPTION_STATE_CANCELED":  # auto-renew off; paid until expiry
            return Status.ACTIVE if expires and expires > now else Status.EXPIRED
        case "SUBSCRIPTION_STATE_IN_GRACE_PERIOD":
            return Status.GRACE_PERIOD
        case "SUBSCRIPTION_STATE_ON_HOLD":
            return Status.BILLING_RETRY
        case "SUBSCRIPTION_STATE_PENDING":
            return PENDING
        case "SUBSCRIPTION_STATE_PAUSED":  # no access until the user resumes
            return Status.PAUSED
        case _:  # EXPIRED, PENDING_PURCHASE_CANCELED and any new state
            return Status.EXPIRED


def _line_item(sub: SubscriptionPurchaseV2, product_id: str | None) -> SubscriptionLineItem:
    for item in sub.line_items:
        if product_id is None or item.product_id == product_id:
            return item
    raise AppError("ERR_4207")


def _order_ids(order_id: str | None, token: str) -> tuple[str, str]:
    """(this payment, the first payment): renewals are `GPA.x..0`, `GPA.x..1`, ...

    License testers' purchases have no order id: the token's digest stands in.
    """
    if not order_id:
        return f"token_{token_digest(token)}", f"token_{token_digest(token)}"
    return order_id, order_id.split("..")[0]


def purchase_from_subscription(
    sub: SubscriptionPurchaseV2,
    purchase_token: str,
    product_id: str | None,
    fetched_at: datetime,
    status: Status | None = None,
) -> StorePurchase:
    """The subscription `purchase_token` is (for `product_id`, or its first line item)."""
    item = _line_item(sub, product_id)
    order_id, first_order = _order_ids(
        item.latest_successful_order_id or sub.latest_order_id, purchase_token
    )
    state = status or _subscription_status(sub.subscription_state, item.expiry_time, fetched_at)
    accounts = sub.external_account_identifiers
    return StorePurchase(
        platform="play_store",
        product_id=item.product_id,
        transaction_id=order_id,
        original_transaction_id=first_order,
        binding_key=token_digest(purchase_token),
        environment=_environment(sub.test_purchase is not None),
        purchased_at=sub.start_time or fetched_at,
        expires_at=item.expiry_time,
        grace_expires_at=item.expiry_time if state == Status.GRACE_PERIOD else None,
        status=state,
        auto_renew=bool(item.auto_renewing_plan and item.auto_renewing_plan.auto_renew_enabled),
        account_token=normalize_token(
            accounts.obfuscated_external_account_id if accounts else None
        ),
        source_time=fetched_at,
        purchase_token=purchase_token,
        acknowledged=sub.acknowledgement_state == ACKNOWLEDGED,
        linked_binding_key=token_digest(sub.linked_purchase_token)
        if sub.linked_purchase_token
        else None,
    )


def purchase_from_product(
    purchase: ProductPurchase, purchase_token: str, product_id: str, fetched_at: datetime
) -> StorePurchase:
    """The one-time purchase `purchase_token` is."""
    order_id, _ = _order_ids(purchase.order_id, purchase_token)
    state = {0: Status.ACTIVE, 1: Status.REFUNDED, 2: PENDING}.get(purchase.purchase_state or 0)
    if state is None:
        raise AppError("ERR_4203", reason="unknown purchase state")
    millis = purchase.purchase_time_millis
    return StorePurchase(
        platform="play_store",
        product_id=product_id,
        transaction_id=order_id,
        original_transaction_id=order_id,
        binding_key=token_digest(purchase_token),
        environment=_environment(purchase.purchase_type == 0),
        purchased_at=datetime.fromtimestamp(millis / 1000, UTC) if millis else fetched_at,
        status=state,
        quantity=max(purchase.quantity or 1, 1),
        account_token=normalize_token(purchase.obfuscated_external_account_id),
        source_time=fetched_at,
        purchase_token=purchase_token,
        acknowledged=purchase.acknowledgement_state == 1,
        consumed=purchase.consumption_state == 1,
    )
