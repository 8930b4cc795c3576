"""verify_purchase and get_entitlements: the app reports a purchase, the store confirms it.

Nothing the app sends is trusted: a StoreKit 2 JWS is verified with Apple's library, a
transaction id or a legacy receipt is looked up at Apple, a Play token at Google. The amount
and the add-on come from the catalog. All store calls happen before the one transaction that
binds the purchase to the caller and applies it.
"""

import contextlib
import logging
from datetime import datetime

from shared import log, wiring
from shared.errors import AppError
from shared.purchases import catalog, claims
from shared.purchases.accounts import account_token, remember_account
from shared.purchases.apple import receipts, server_api
from shared.purchases.apple.signed_data import (
    verify_renewal_info,
    verify_transaction,
)
from shared.purchases.apple.transactions import (
    AUTO_RENEWABLE,
    from_millis,
    purchase_from_transaction,
    transaction_time,
)
from shared.purchases.catalog import Product
from shared.purchases.entitlements import (
    EntitlementStatus,
    entitlement_settings,
    get_entitlement,
    list_entitlements,
)
from shared.purchases.google.purchases import purchase_from_product, purchase_from_subscription
from shared.purchases.grants import Outcome, binding_path, grant_purchase, may_grant_purchase
from shared.purchases.purchase import PENDING, StorePurchase
from shared.purchases.settings import settings
from shared.purchases.views import (
    EntitlementsView,
    EntitlementView,
    PurchaseResult,
    VerifyPurchase,
)
from shared.store import DocumentMissing


def _from_signed(request: VerifyPurchase, now: datetime) -> StorePurchase:
    transaction = verify_transaction(request.signed_transaction or "")
    renewal = None
    if request.signed_renewal_info:
        renewal = verify_renewal_info(request.signed_renewal_info)
        if renewal.originalTransactionId != transaction.originalTransactionId:
            raise AppError("ERR_4203", reason="the renewal info is for another subscription")
    return purchase_from_transaction(
        transaction, renewal, source_time=transaction_time(transaction), now=now
    )


def _from_transaction_id(transaction_id: str, now: datetime) -> StorePurchase:
    api = server_api.api()
    transaction = verify_transaction(api.transaction_info(transaction_id))
    catalog.product(transaction.productId or "")
    if transaction.rawType == AUTO_RENEWABLE:
        # The subscription's latest transaction and renewal info, signed now: current state.
        for status in api.subscription_statuses(transaction_id):
            latest = verify_transaction(status.signed_transaction_info)
            if latest.originalTransactionId != transaction.originalTransactionId:
                continue
            renewal = None
            if status.signed_renewal_info:
                renewal = verify_renewal_info(status.signed_renewal_info)
            signed = from_millis(latest.signedDate) or now
            return purchase_from_transaction(latest, renewal, source_time=signed, now=now)
    return purchase_from_transaction(
        transaction, None, source_time=transaction_time(transaction), now=now
    )


def _from_play(request: VerifyPurchase) -> StorePurchase:
    from shared.purchases.google.play_api import play_api  # google-auth: Play requests only

    if request.package_name and request.package_name != settings().play_package_name:
        raise AppError("ERR_4204")
    product_id, token = request.product_id or "", request.purchase_token or ""
    product = catalog.product(product_id)
    if product.is_subscription:
        sub = play_api().subscription(token)
        return purchase_from_subscription(sub, token, product_id, wiring.now())
    return purchase_from_product(
        play_api().product(product_id, token), token, product_id, wiring.now()
    )


def confirm_purchase(request: VerifyPurchase, now: datetime) -> StorePurchase:
    """What the store says about the reported purchase (every external call happens here)."""
    if request.platform == "play_store":
        return _from_play(request)
    if request.signed_transaction:
        return _from_signed(request, now)
    if request.transaction_id:
        return _from_transaction_id(request.transaction_id, now)
    answer = receipts.verify_receipt(request.receipt or "")
    return receipts.purchase_from_receipt(answer, request.product_id, now)


def _check_usable(uid: str, purchase: StorePurchase, product: Product, now: datetime) -> None:
    if purchase.status == PENDING:
        raise AppError("ERR_4209")
    if not may_grant_purchase(purchase):
        raise AppError("ERR_4205", environment=purchase.environment)
    keep = entitlement_settings().entitlement_transfer_policy == "keep"
    if purchase.account_token and purchase.account_token != account_token(uid) and keep:
        raise AppError("ERR_4206")
    if product.is_credit_pack:
        usable = purchase.status == EntitlementStatus.ACTIVE
    else:
        usable = purchase.entitlement(product).grants_access(now)
    if not usable:
        status = purchase.status if purchase.status != EntitlementStatus.ACTIVE else "expired"
        raise AppError("ERR_4210", status=str(status))


def acknowledge(purchase: StorePurchase, product: Product) -> None:
    """Acknowledge a Play purchase once applied (Play refunds unacknowledged ones after 3
    days), and consume a credit pack once credited (Play sells a consumable again only after
    that) unless PLAY_CONSUME_CREDIT_PACKS=app leaves it to the app. Called after the grant
    committed, never inside it; each call is retried with backoff, and a failure is only
    logged: the next verify, notification or resync of the purchase tries again. A consume is
    recorded on `purchases/{bindingId}` (consumedAt)."""
    if purchase.platform != "play_store" or not purchase.purchase_token:
        return
    if product.is_credit_pack and settings().play_consume_credit_packs == "server":
        if not purchase.consumed and purchase.status == EntitlementStatus.ACTIVE:
            _consume(purchase)
        return
    if purchase.acknowledged:
        return
    from shared.purchases.google.play_api import play_api

    try:
        play_api().acknowledge(
            purchase.product_id, purchase.purchase_token, subscription=product.is_subscription
        )
    except AppError as e:
        log.event("Play acknowledgement failed", logging.WARNING, code=e.code)


def _consume(purchase: StorePurchase) -> None:
    from shared.purchases.google.play_api import play_api

    try:
        play_api().consume(purchase.product_id, purchase.purchase_token or "")
    except AppError as e:
        log.event("Play consume failed", logging.WARNING, code=e.code)
        return
    # A purchase applied without a binding has nothing to record the consume on.
    with contextlib.suppress(DocumentMissing):
        wiring.store().update(binding_path(purchase.binding_id), {"consumedAt": wiring.now()})
    log.event("Play credit pack consumed", binding=purchase.binding_id)


def _result(
    uid: str, purchase: StorePurchase, outcome: Outcome, now: datetime, refresh_token: bool
) -> PurchaseResult:
    entitlement = outcome.entitlement
    if entitlement is not None and not outcome.entitlement_written:
        entitlement = get_entitlement(wiring.store(), uid, entitlement.add_on)
    return PurchaseResult(
        platform=purchase.platform,
        product_id=purchase.product_id,
        transaction_id=purchase.transaction_id,
        kind=outcome.kind,
        credits_added=outcome.credits_added,
        entitlement=EntitlementView.of(entitlement, now) if entitlement else None,
        already_applied=outcome.already_applied,
        refresh_token=refresh_token,
    )


def verify_purchase(uid: str, request: VerifyPurchase) -> PurchaseResult:
    """Confirm a purchase with its store and apply it to `uid`, once."""
    now = wiring.now()
    purchase = confirm_purchase(request, now)
    product = catalog.product(purchase.product_id)
    _check_usable(uid, purchase, product, now)
    with claims.publishing() as changed:
        outcome = wiring.store().transaction(
            lambda txn: grant_purchase(txn, uid, purchase, product, now)
        )
    acknowledge(purchase, product)
    # The app refreshes its ID token to see the new `entitlements` claim.
    return _result(uid, purchase, outcome, now, refresh_token=uid in changed)


def read_entitlements(uid: str) -> EntitlementsView:
    """Every entitlement of `uid`, and the account token its purchases should carry."""
    token = remember_account(uid)
    now = wiring.now()
    entitlements = list_entitlements(wiring.store(), uid)
    return EntitlementsView(
        entitlements=[EntitlementView.of(e, now) for e in entitlements],
        app_account_token=token,
    )
