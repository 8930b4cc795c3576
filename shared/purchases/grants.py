"""Applying a verified store purchase to a user, inside the caller's transaction.

A purchase is bound to one user by `purchases/{platform}_{key}`, created in the same
transaction as its effect: an entitlement through `record_entitlement`, or credits through the
ledger with an entry id derived from the store's transaction (posted once, ever). A refunded
credit pack is clawed back with `credits_clawback`, and its binding remembers the refund so a
stale copy of the purchase can never credit it again.
"""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from shared import collections
from shared.errors import AppError
from shared.ledger import EntryType, NewEntry, post_entries
from shared.purchases.catalog import Product
from shared.purchases.entitlements import Entitlement, record_entitlement
from shared.purchases.purchase import StorePurchase
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
