"""Re-checking Play purchases near expiry: a renewal whose notification never came still
reaches the entitlement before access would lapse.

Play has no notification history to replay, and only the purchase token opens a purchase, so
verify_purchase leaves a watch, `play_watch/{digest}` (token, productId, uid, endsAt). The job
re-fetches each watch ending within `RECOVERY_PLAY_HORIZON_HOURS` through the Play API client
and applies it as a store event whose id is the purchase's state (`play_recheck_<digest>_<end
ms>_<status>`): an unchanged purchase is a duplicate, so a second run changes nothing. A watch
whose purchase ended more than the horizon ago, or was refunded, is dropped.
"""

import logging
from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from shared import collections, log, wiring
from shared.errors import AppError
from shared.purchases import catalog
from shared.purchases.events import StoreEvent, apply_store_event
from shared.purchases.purchase import StorePurchase, token_digest
from shared.purchases.verify import confirm_purchase
from shared.purchases.views import PurchaseResult, VerifyPurchase
from shared.store import Doc, query

HORIZON_HOURS = 48.0
PAGE = 100


def watch_path(token: str) -> str:
    return f"{collections.PLAY_WATCH}/{token_digest(token)}"


def watch_play_purchase(uid: str, request: VerifyPurchase, result: PurchaseResult) -> None:
    """After verify_purchase: remember a Play subscription's token until it is past expiry."""
    entitlement = result.entitlement
    if request.platform != "play_store" or entitlement is None or not entitlement.expires_at:
        return
    watch = {
        "uid": uid,
        "token": request.purchase_token,
        "productId": request.product_id,
        "endsAt": entitlement.grace_expires_at or entitlement.expires_at,
    }
    wiring.store().set(watch_path(request.purchase_token or ""), watch)


class RecheckReport(BaseModel):
    checked: int = 0
    applied: int = 0
    duplicates: int = 0
    dropped: int = 0
    refused: list[str] = Field(default_factory=list)
    error: str | None = None  # the failure that stopped the re-check (retried next run)


def _event_id(purchase: StorePurchase) -> str:
    end = purchase.grace_expires_at or purchase.expires_at
    millis = int(end.timestamp() * 1000) if end else 0
    return f"play_recheck_{purchase.binding_key}_{millis}_{purchase.status}"


def _recheck(doc_data: dict, now: datetime, report: RecheckReport) -> datetime | None:
    """Re-fetch and apply one watched purchase; its new end (None: stop watching)."""
    request = VerifyPurchase(
        platform="play_store", product_id=doc_data["productId"], purchase_token=doc_data["token"]
    )
    purchase = confirm_purchase(request, now)
    event = StoreEvent(
        notification_id=_event_id(purchase),
        platform="play_store",
        type="RECHECK",
        signed_at=purchase.source_time,
        purchase=purchase,
        product=catalog.find_product(purchase.product_id),
    )
    outcome = wiring.store().transaction(lambda txn: apply_store_event(txn, event, now))
    report.checked += 1
    report.duplicates += outcome == "duplicate"
    report.applied += outcome != "duplicate"
    return None if purchase.is_reversed else purchase.grace_expires_at or purchase.expires_at


def recheck_play_purchases(
    now: datetime, horizon_hours: float = HORIZON_HOURS, max_pages: int = 50
) -> RecheckReport:
    """Re-fetch every watched Play purchase ending within the horizon (or lately ended)."""
    store, report = wiring.store(), RecheckReport()
    horizon = timedelta(hours=horizon_hours)
    after = None
    for _ in range(max_pages):
        q = query(
            collections.PLAY_WATCH,
            [("endsAt", "<=", now + horizon)],
            ["endsAt"],
            limit=PAGE,
            start_after=after,
        )
        docs = store.query(q)
        for doc in docs:
            _settle(doc, now, horizon, report)
        if len(docs) < PAGE:
            break
        after = docs[-1]
    return report


def _settle(doc: Doc, now: datetime, horizon: timedelta, report: RecheckReport) -> None:
    """Re-check one watch, then move its end, or drop it once it no longer matters."""
    try:
        ends = _recheck(doc.data, now, report)
    except AppError as e:
        if e.code.startswith(("ERR_5", "ERR_6")):
            raise  # Play or the store is in trouble: the next run retries
        report.refused.append(f"refused {e.code}")
        log.event("Play re-check refused", logging.WARNING, code=e.code)
        ends = doc.data["endsAt"]
    if ends is None or ends < now - horizon:
        wiring.store().delete(doc.path)
        report.dropped += 1
    elif ends != doc.data["endsAt"]:
        wiring.store().update(doc.path, {"endsAt": ends})
