"""Applying a verified store purchase to a user, inside the caller's transaction.

A purchase is bound to one user by `purchases/{platform}_{key}`, created in the same
transaction as its effect: a source record per add-on its product grants (the combined record
recomputed, see entitlements.py), or credits through the
ledger with an entry id derived from the store's transaction (posted once, ever). A refunded
credit pack is clawed back with `credits_clawback`, and its binding remembers the refund so a
stale copy of the purchase can never credit it again.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from shared import collections
from shared.errors import AppError
from shared.ledger import EntryType, NewEntry, post_entries
from shared.purchases.catalog import Product, find_product
from shared.purchases.entitlements import (
    AddOnState,
    Entitlement,
    EntitlementStatus,
    end_source,
    list_purchase_sources,
    may_grant,
    put_source,
    read_add_ons,
    source_key,
)
from shared.purchases.purchase import StorePurchase
from shared.purchases.settings import settings
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
    transferred_from: str | None = None
    transferred_at: datetime | None = None


class Outcome(BaseModel):
    """What applying a purchase did."""

    uid: str
    kind: Kind
    credits_added: int = 0
    credits_clawed_back: int = 0
    entitlement: Entitlement | None = None
    entitlement_written: bool = False
    already_applied: bool = False
    # The combined records of every add-on the product grants, after applying it.
    entitlements: list[Entitlement] = Field(default_factory=list)
    # A sandbox/test purchase this deployment does not let grant entitlements.
    refused: bool = False


def binding_path(binding_id: str) -> str:
    return f"{collections.PURCHASES}/{binding_id}"


def read_binding(txn: Transaction, binding_id: str) -> Binding | None:
    data = txn.get(binding_path(binding_id))
    return Binding.model_validate(data) if data is not None else None


def grant_purchase(
    txn: Transaction, uid: str, purchase: StorePurchase, product: Product, now: datetime
) -> Outcome:
    """Apply a purchase the user reported. One another user owns follows the transfer policy
    (ERR_4206 when it stays with its owner)."""
    binding = read_binding(txn, purchase.binding_id)
    if binding is not None and binding.uid != uid:
        from shared.purchases.transfers import restore_purchase

        return restore_purchase(txn, uid, purchase, product, binding, now)
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
    kind: Kind = "credits" if product.is_credit_pack else "add_on"
    if not purchase.is_reversed and not may_grant_purchase(purchase):
        return Outcome(uid=uid, kind=kind, refused=True)
    if product.is_credit_pack:
        return _apply_credits(txn, uid, purchase, product, binding, now, credit=credit)
    effect = read_effect(txn, uid, purchase, product)
    outcome = write_effect(txn, uid, effect, purchase, product, now)
    if binding is None:
        _bind(txn, uid, purchase, product, now)
    outcome.already_applied = binding is not None and not outcome.entitlement_written
    return outcome


def may_grant_purchase(purchase: StorePurchase) -> bool:
    """Whether this deployment lets the purchase's environment grant (see `may_grant`)."""
    s = settings()
    if purchase.platform == "play_store":
        accepts = s.play_accept_test_purchases
    else:
        accepts = s.apple_accept_sandbox or s.apple_environment != "Production"
    return may_grant(purchase.environment, accepts)


@dataclass
class Effect:
    """What applying an add-on purchase needs, read up front."""

    states: dict[str, AddOnState]
    # (add-on, source key): this purchase's sources of add-ons its product no longer grants.
    dropped: list[tuple[str, str]] = field(default_factory=list)
    # (add-on, source key): the purchase this one replaced (Play linkedPurchaseToken).
    replaced: list[tuple[str, str]] = field(default_factory=list)


def read_effect(txn: Transaction, uid: str, purchase: StorePurchase, product: Product) -> Effect:
    """Reads only: the add-ons involved, this purchase's other sources, the replaced one's."""
    add_ons = product.entitlements
    mine = list_purchase_sources(txn, uid, purchase.platform, purchase.original_transaction_id)
    dropped = [
        (s.add_on, s.key)
        for s in mine
        if s.add_on not in add_ons and s.source_time <= purchase.source_time
    ]
    replaced = []
    if purchase.linked_binding_id is not None:
        linked = read_binding(txn, purchase.linked_binding_id)
        if linked is not None and linked.uid == uid:
            old = find_product(linked.product_id)
            old_add_ons = old.entitlements if old else [linked.add_on or ""]
            replaced = [
                (a, source_key(a, linked.platform, linked.original_transaction_id))
                for a in old_add_ons
                if a
            ]
    involved = add_ons + [a for a, _ in dropped] + [a for a, _ in replaced]
    return Effect(read_add_ons(txn, uid, involved), dropped, replaced)


def write_effect(
    txn: Transaction,
    uid: str,
    effect: Effect,
    purchase: StorePurchase,
    product: Product,
    now: datetime,
) -> Outcome:
    """Writes only: each add-on's source, then what this purchase ends or replaces."""
    entitlements = purchase.entitlements(product)
    written = False
    for entitlement in entitlements:
        written |= put_source(txn, effect.states[entitlement.add_on], entitlement, now)
    if written:
        for add_on, key in effect.dropped:
            end_source(txn, effect.states[add_on], key, EntitlementStatus.EXPIRED, now)
    new_keys = {e.key for e in entitlements}
    for add_on, key in effect.replaced:
        if key not in new_keys:
            end_source(
                txn,
                effect.states[add_on],
                key,
                EntitlementStatus.SUPERSEDED,
                now,
                superseded_by=purchase.binding_id,
            )
    return Outcome(
        uid=uid,
        kind="add_on",
        entitlement=entitlements[0],
        entitlements=[c for e in entitlements if (c := effect.states[e.add_on].combined)],
        entitlement_written=written,
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
