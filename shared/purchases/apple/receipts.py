"""Legacy app receipts (StoreKit 1): Apple's verifyReceipt endpoint.

Production first; status 21007 means a sandbox receipt, sent again to the sandbox URL (as
Apple asks). A sandbox receipt is then accepted only where sandbox purchases are.
"""

from datetime import datetime
from typing import Any

import httpx

from shared import http
from shared.errors import AppError
from shared.purchases.accounts import normalize_token
from shared.purchases.apple.transactions import from_millis
from shared.purchases.catalog import find_product, product
from shared.purchases.entitlements import EntitlementStatus
from shared.purchases.purchase import StorePurchase
from shared.purchases.settings import PurchaseSettings, settings

SANDBOX_RECEIPT = 21007
# Apple's own trouble (21005 unavailable, 21009 data access, 211xx internal): retry later.
UPSTREAM_STATUSES = {21005, 21009}


def _post(url: str, receipt: str, s: PurchaseSettings) -> dict[str, Any]:
    body = {
        "receipt-data": receipt,
        "password": s.apple_shared_secret,
        "exclude-old-transactions": True,
    }
    policy = http.RetryPolicy(
        retries=s.store_http_retries,
        initial=s.store_http_retry_initial_seconds,
        maximum=2.0,
        jitter=0.1,
    )
    try:
        with http.client() as client:
            response = http.send_with_retry(lambda: client.post(url, json=body), policy)
        if response.status_code != 200:
            raise AppError("ERR_5101")
        answer = response.json()
    except (httpx.HTTPError, ValueError):
        raise AppError("ERR_5101") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("status"), int):
        raise AppError("ERR_5101")
    return answer


def verify_receipt(receipt: str) -> dict[str, Any]:
    """Apple's answer for a valid receipt; ERR_4208 for an invalid one."""
    s = settings()
    sandbox_allowed = s.apple_environment != "Production" or s.apple_accept_sandbox
    answer = _post(s.apple_verify_receipt_url, receipt, s)
    if answer["status"] == SANDBOX_RECEIPT:
        if not sandbox_allowed:
            raise AppError("ERR_4205", environment="Sandbox")
        answer = _post(s.apple_verify_receipt_sandbox_url, receipt, s)
    status = answer["status"]
    if status in UPSTREAM_STATUSES or 21100 <= status <= 21199 or answer.get("is-retryable"):
        raise AppError("ERR_5101")
    if status == 21004:  # our shared secret is wrong
        raise AppError("ERR_5103", status=status)
    if status != 0:
        raise AppError("ERR_4208", status=status)
    environment = str(answer.get("environment", "Production"))
    if environment == "Sandbox" and not sandbox_allowed:
        raise AppError("ERR_4205", environment=environment)
    if (answer.get("receipt") or {}).get("bundle_id") != s.apple_bundle_id:
        raise AppError("ERR_4204")
    return answer


def _transactions(answer: dict[str, Any]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for item in (answer.get("receipt") or {}).get("in_app") or []:
        found[str(item.get("transaction_id"))] = item
    for item in answer.get("latest_receipt_info") or []:
        found[str(item.get("transaction_id"))] = item
    return [t for t in found.values() if t.get("product_id") and t.get("purchase_date_ms")]


def _choose(answer: dict[str, Any], product_id: str | None) -> dict[str, Any]:
    """The transaction to apply: the newest one of `product_id`, or of any product we sell."""
    if product_id is not None:
        product(product_id)  # ERR_4201 for a product we do not sell
    candidates = _transactions(answer)
    if product_id is not None:
        candidates = [t for t in candidates if t["product_id"] == product_id]
        if not candidates:
            raise AppError("ERR_4207")
    known = [t for t in candidates if find_product(t["product_id"])]
    if not known:
        unknown = candidates[0]["product_id"] if candidates else "none"
        raise AppError("ERR_4201", productId=unknown)
    return max(
        known, key=lambda t: (int(t["purchase_date_ms"]), int(t.get("expires_date_ms") or 0))
    )


def _renewal_of(answer: dict[str, Any], original_id: str) -> dict[str, Any]:
    for info in answer.get("pending_renewal_info") or []:
        if str(info.get("original_transaction_id")) == original_id:
            return info
    return {}


def _millis(item: dict[str, Any], key: str) -> datetime | None:
    value = item.get(key)
    return from_millis(int(value)) if value not in (None, "") else None


def _status(chosen: dict[str, Any], renewal: dict[str, Any], now: datetime) -> EntitlementStatus:
    if chosen.get("cancellation_date_ms"):
        return EntitlementStatus.REFUNDED
    expires = _millis(chosen, "expires_date_ms")
    if expires is None or expires > now:
        return EntitlementStatus.ACTIVE
    grace = _millis(renewal, "grace_period_expires_date_ms")
    if renewal.get("is_in_billing_retry_period") == "1":
        if grace is not None and grace > now:
            return EntitlementStatus.GRACE_PERIOD
        return EntitlementStatus.BILLING_RETRY
    return EntitlementStatus.EXPIRED


def purchase_from_receipt(
    answer: dict[str, Any], product_id: str | None, now: datetime
) -> StorePurchase:
    """The purchase a verified receipt holds for `product_id` (or its newest known one)."""
    chosen = _choose(answer, product_id)
    transaction_id = str(chosen["transaction_id"])
    original_id = str(chosen.get("original_transaction_id") or transaction_id)
    renewal = _renewal_of(answer, original_id)
    status = _status(chosen, renewal, now)
    purchased_at = _millis(chosen, "purchase_date_ms")
    return StorePurchase(
        platform="app_store",
        product_id=chosen["product_id"],
        transaction_id=transaction_id,
        original_transaction_id=original_id,
        binding_key=original_id,
        environment=str(answer.get("environment", "Production")).lower(),
        purchased_at=purchased_at,
        expires_at=_millis(chosen, "expires_date_ms"),
        grace_expires_at=_millis(renewal, "grace_period_expires_date_ms")
        if status == EntitlementStatus.GRACE_PERIOD
        else None,
        status=status,
        auto_renew=renewal.get("auto_renew_status") == "1",
        quantity=max(int(chosen.get("quantity") or 1), 1),
        account_token=normalize_token(chosen.get("app_account_token")),
        source_time=_millis(chosen, "cancellation_date_ms") or purchased_at,
    )
