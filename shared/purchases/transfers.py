"""Restores from another account: a store purchase bound to one user, verified by another.

ENTITLEMENT_TRANSFER_POLICY decides: `keep` leaves it with its owner (ERR_4206, as before),
`transfer` moves it to the new account, `transfer_if_inactive` moves it only if the owner's
records of it no longer grant access. A transfer ends the owner's source records of the
purchase (status `transferred`), rebinds `purchases/{id}` to the new user, applies the purchase
to them and records `users/{uid}/entitlement_events/{id}` on both users, all in one
transaction. Credit packs never move: their credits were spent by their owner.
"""

from datetime import datetime

from shared import collections
from shared.errors import AppError
from shared.purchases.catalog import Product
from shared.purchases.entitlements import (
    EntitlementStatus,
    end_source,
    entitlement_settings,
    list_purchase_sources,
    read_add_ons,
)
from shared.purchases.grants import Binding, Outcome, binding_path, read_effect, write_effect
from shared.purchases.purchase import StorePurchase
from shared.store import Transaction


def event_path(uid: str, event_id: str) -> str:
    return f"{collections.entitlement_events(uid)}/{event_id}"


def restore_purchase(
    txn: Transaction,
    uid: str,
    purchase: StorePurchase,
    product: Product,
    binding: Binding,
    now: datetime,
) -> Outcome:
    """Apply `purchase`, bound to `binding.uid`, for `uid` as the transfer policy says."""
    policy = entitlement_settings().entitlement_transfer_policy
    if policy == "keep" or product.is_credit_pack or binding.refunded_at is not None:
        raise AppError("ERR_4206")
    owner = binding.uid
    held = list_purchase_sources(txn, owner, binding.platform, binding.original_transaction_id)
    if policy == "transfer_if_inactive" and any(s.grants_access(now) for s in held):
        raise AppError("ERR_4206")
    states = read_add_ons(txn, owner, [s.add_on for s in held])
    effect = read_effect(txn, uid, purchase, product)
    # Writes from here on.
    for source in held:
        end_source(txn, states[source.add_on], source.key, EntitlementStatus.TRANSFERRED, now)
    txn.update(
        binding_path(purchase.binding_id),
        {"uid": uid, "transferredFrom": owner, "transferredAt": now},
    )
    _record(txn, owner, "transfer_out", purchase, policy, owner, uid, now)
    _record(txn, uid, "transfer_in", purchase, policy, owner, uid, now)
    return write_effect(txn, uid, effect, purchase, product, now)


def _record(
    txn: Transaction,
    uid: str,
    kind: str,
    purchase: StorePurchase,
    policy: str,
    source: str,
    target: str,
    now: datetime,
) -> None:
    # Deterministic id: a retried transaction body writes the same event.
    other = target if uid == source else source
    event_id = f"{purchase.binding_id}_{int(now.timestamp() * 1000)}_{kind}_{other}"
    txn.set(
        event_path(uid, event_id),
        {
            "type": kind,
            "bindingId": purchase.binding_id,
            "platform": purchase.platform,
            "productId": purchase.product_id,
            "originalTransactionId": purchase.original_transaction_id,
            "policy": policy,
            "fromUid": source,
            "toUid": target,
            "at": now,
        },
    )
