"""Store notifications as events: each applies once, recorded in its own transaction.

`store_notifications/{id}` (Apple's notificationUUID, or a digest of a Play message) is created
in the same transaction as the effect, so a redelivery finds it and changes nothing. A purchase
no user is known for yet is refused (ERR_4213) without recording anything, so the store
delivers it again later, when the app has reported it or asked for its account token.
"""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from shared import collections
from shared.errors import AppError
from shared.models import DocumentId
from shared.purchases.accounts import uid_of_token
from shared.purchases.catalog import Product
from shared.purchases.grants import Outcome, apply_purchase, read_binding
from shared.purchases.purchase import PENDING, StorePurchase
from shared.store import Transaction


class StoreEvent(BaseModel):
    """A verified store notification, ready to apply once (`store_notifications/{id}`)."""

    notification_id: DocumentId
    platform: str
    type: str
    subtype: str | None = None
    signed_at: datetime | None = None
    purchase: StorePurchase | None = None
    product: Product | None = None
    # apply: change entitlements or credits; record: only note it (e.g. CONSUMPTION_REQUEST).
    effect: Literal["apply", "record"] = "apply"
    # Whether a credit pack in good standing is credited by this event (a purchase event).
    grants_credits: bool = False
    details: dict[str, Any] = Field(default_factory=dict)


def notification_path(notification_id: str) -> str:
    return f"{collections.STORE_NOTIFICATIONS}/{notification_id}"


def apply_store_event(txn: Transaction, event: StoreEvent, now: datetime) -> str:
    """Apply `event` once, recording it in the same transaction; return the outcome.

    Outcomes: duplicate, recorded, stale (newer state kept), applied. A purchase no user is
    known for yet raises ERR_4213 and records nothing, so the store delivers it again later
    (Apple retries for three days, Pub/Sub until the message expires) and it applies once
    the app has reported the purchase or asked for its account token.
    """
    if txn.get(notification_path(event.notification_id)) is not None:
        return "duplicate"
    purchase, product = event.purchase, event.product
    binding = uid = None
    if purchase is not None:
        binding = read_binding(txn, purchase.binding_id)
        uid = binding.uid if binding else _owner(txn, purchase)
    outcome, result = "recorded", None
    if purchase is None or product is None or purchase.status == PENDING:
        outcome = "recorded"
    elif uid is None:
        raise AppError("ERR_4213")
    elif event.effect == "apply":
        result = apply_purchase(
            txn, uid, purchase, product, binding, now, credit=event.grants_credits
        )
        stale = result.kind == "add_on" and not result.entitlement_written
        outcome = "refused" if result.refused else "stale" if stale else "applied"
    _record(txn, event, uid, outcome, result, now)
    return outcome


def _owner(txn: Transaction, purchase: StorePurchase) -> str | None:
    """The user of a purchase not bound yet: the owner of the purchase it replaced, or the
    user its account token names."""
    if purchase.linked_binding_id is not None:
        linked = read_binding(txn, purchase.linked_binding_id)
        if linked is not None:
            return linked.uid
    return uid_of_token(txn, purchase.account_token)


def _record(
    txn: Transaction,
    event: StoreEvent,
    uid: str | None,
    outcome: str,
    result: Outcome | None,
    now: datetime,
) -> None:
    purchase = event.purchase
    record: dict[str, Any] = {
        "platform": event.platform,
        "type": event.type,
        "subtype": event.subtype,
        "signedAt": event.signed_at,
        "receivedAt": now,
        "outcome": outcome,
        "uid": uid,
        "details": event.details,
    }
    if purchase is not None:
        record |= {
            "bindingId": purchase.binding_id,
            "productId": purchase.product_id,
            "transactionId": purchase.transaction_id,
            "status": str(purchase.status),
        }
    if result is not None:
        record |= {
            "creditsAdded": result.credits_added,
            "creditsClawedBack": result.credits_clawed_back,
        }
    txn.create(notification_path(event.notification_id), record)
