"""Applying a verified store purchase to a user, inside the caller's transaction.

A purchase is bound to one user by `purchases/{platform}_{key}`, created in the same
transaction as its effect: an entitlement through `record_entitlement`, or credits through the
ledger with an entry id derived from the store's transaction (posted once, ever). A refunded
credit pack is clawed back with `credits_clawback`, and its binding remembers the refund so a
stale copy of the purchase can never credit it again.
"""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from shared import collections
from shared.errors import AppError
from shared.ledger import EntryType, NewEntry, post_entries
from shared.purchases.accounts import uid_of_token
from shared.purchases.catalog import Product
from shared.purchases.entitlements import Entitlement, record_entitlement
from shared.purchases.purchase import PENDING, StorePurchase
from shared.store import Transaction

Kind = Literal["add_on", "credits"]


class Binding(BaseModel):
    """`purchases/{id}`: the user a store purchase belongs to (created once, never moved)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    uid: str
    platform: str
    product_id: str
    kind: Kind
    add_on: str | None = None
    credits: int | None = None
    original_transaction_id: str
    environment: str = "production"
    created_at: datetime
    refunded_at: datetime | None = None


class Outcome(BaseModel):
    """What applying a purchase did."""

    uid: str
    kind: Kind
    credits_added: int = 0
    credits_clawed_back: int = 0
    entitlement: Entitlement | None = None
    entitlement_written: bool = False
    already_applied: bool = False


def binding_path(binding_id: str) -> str:
    return f"{collections.PURCHASES}/{binding_id}"


def read_binding(txn: Transaction, binding_id: str) -> Binding | None:
    data = txn.get(binding_path(binding_id))
    return Binding.model_validate(data) if data is not None else None


def grant_purchase(
    txn: Transaction, uid: str, purchase: StorePurchase, product: Product, now: datetime
) -> Outcome:
    """Apply a purchase the user reported: ERR_4206 if another user owns it."""
    binding = read_binding(txn, purchase.binding_id)
    if binding is not None and binding.uid != uid:
        raise AppError("ERR_4206")
    if binding is not None and binding.refunded_at is not None:
        raise AppError("ERR_4210", status="refunded")
    return apply_purchase(txn, uid, purchase, product, binding, now, credit=True)


def apply_purchase(
    txn: Transaction,
    uid: str,
    purchase: StorePurchase,
    product: Product,
    binding: Binding | None,
    now: datetime,
    *,
    credit: bool,
) -> Outcome:
    """The effect of `purchase` for `uid` (reads done by the caller: the binding)."""
    if product.is_credit_pack:
        return _apply_credits(txn, uid, purchase, product, binding, now, credit=credit)
    entitlement = purchase.entitlement(product)
    written = record_entitlement(txn, uid, entitlement, now, keep_other_access=True)
    if binding is None:
        _bind(txn, uid, purchase, product, now)
    return Outcome(
        uid=uid,
        kind="add_on",
        entitlement=entitlement,
        entitlement_written=written,
        already_applied=binding is not None and not written,
    )


def _apply_credits(
    txn: Transaction,
    uid: str,
    purchase: StorePurchase,
    product: Product,
    binding: Binding | None,
    now: datetime,
    *,
    credit: bool,
) -> Outcome:
    amount = product.credits * purchase.quantity  # type: ignore[operator]
    refs = {
        "platform": purchase.platform,
        "productId": purchase.product_id,
        "transactionId": purchase.transaction_id,
    }
    if purchase.is_reversed:
        # Only what was credited is clawed back; an uncredited refund just blocks crediting.
        taken = 0
        if binding is not None:
            taken = binding.credits or amount
            posting = post_entries(
                txn,
                uid,
                [
                    NewEntry(
                        id=purchase.clawback_id,
                        type=EntryType.CREDITS_CLAWBACK,
                        amount=taken,
                        refs=refs,
                    )
                ],
                now,
            )
            taken = taken if posting.posted_anything else 0
            if binding.refunded_at is None:
                txn.update(binding_path(purchase.binding_id), {"refundedAt": now})
        else:
            _bind(txn, uid, purchase, product, now, refunded_at=now)
        return Outcome(
            uid=uid, kind="credits", credits_clawed_back=taken, already_applied=not taken
        )
    if not credit:
        return Outcome(uid=uid, kind="credits", already_applied=binding is not None)
    entry = NewEntry(
        id=purchase.ledger_id, type=EntryType.CREDITS_PURCHASE, amount=amount, refs=refs
    )
    posting = post_entries(txn, uid, [entry], now)
    if binding is None:
        _bind(txn, uid, purchase, product, now)
    added = amount if posting.posted_anything else 0
    return Outcome(uid=uid, kind="credits", credits_added=added, already_applied=not added)


def _bind(
    txn: Transaction,
    uid: str,
    purchase: StorePurchase,
    product: Product,
    now: datetime,
    refunded_at: datetime | None = None,
) -> None:
    binding = Binding(
        uid=uid,
        platform=purchase.platform,
        product_id=purchase.product_id,
        kind="credits" if product.is_credit_pack else "add_on",
        add_on=product.add_on,
        credits=product.credits * purchase.quantity if product.credits else None,
        original_transaction_id=purchase.original_transaction_id,
        environment=purchase.environment,
        created_at=now,
        refunded_at=refunded_at,
    )
    txn.create(binding_path(purchase.binding_id), binding.model_dump(by_alias=True))


# --- store notifications -------------------------------------------------------------------


class StoreEvent(BaseModel):
    """A verified store notification, ready to apply once (`store_notifications/{id}`)."""

    notification_id: str = Field(pattern=r"^[^/]+$")
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
        outcome = "stale" if stale else "applied"
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
