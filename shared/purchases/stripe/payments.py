"""Credit packs paid with a PaymentIntent: the intent, the credits, and their clawback.

Credits come from our own catalog by the pack id in the intent's metadata, and only when the
intent's amount and currency are the pack's. The purchase posts ledger entry `stripe_<pi>`
(once, whichever event carries it); refunds and disputes post `credits_clawback` entries whose
ids follow from their cause, so a replay changes nothing. `customers/{uid}/payments/{pi}`
mirrors each intent.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field

from shared import collections, idempotency, log, wiring
from shared.errors import AppError
from shared.ledger import EntryType, NewEntry, entry_path, post_entries
from shared.models import WireModel
from shared.purchases.stripe import client, events
from shared.purchases.stripe.customers import (
    Email,
    check_owner,
    ensure_customer,
    uid_of_customer,
)
from shared.purchases.stripe.objects import (
    Charge,
    Dispute,
    PaymentIntent,
    StripeEvent,
    timestamp,
)
from shared.purchases.stripe.settings import CreditPack, settings
from shared.store import Transaction

# Later states win; a failure never hides a success, a success never hides a refund.
_RANK = {"succeeded": 1, "partially_refunded": 2, "refunded": 3, "disputed": 4}


class CreateCreditsPurchaseIntent(WireModel):
    pack_id: str = Field(min_length=1, max_length=64)
    idempotency_key: str = Field(min_length=8, max_length=128)


class CreditsPurchaseIntent(WireModel):
    payment_intent_id: str
    client_secret: str
    customer_id: str
    pack_id: str
    credits: int
    amount: int
    currency: str
    publishable_key: str


@dataclass(frozen=True)
class PackPurchase:
    uid: str
    pack_id: str
    pack: CreditPack
    intent: PaymentIntent

    def entry(self, event_id: str) -> NewEntry:
        refs = {"paymentIntent": self.intent.id, "packId": self.pack_id, "stripeEvent": event_id}
        return NewEntry(
            id=f"stripe_{self.intent.id}",
            type=EntryType.CREDITS_PURCHASE,
            amount=self.pack.credits,
            refs=refs,
        )


def payment_path(uid: str, payment_intent_id: str) -> str:
    return f"{collections.customer_payments(uid)}/{payment_intent_id}"


def _stripe_key(uid: str, request: CreateCreditsPurchaseIntent) -> str:
    raw = f"{uid}\x00{request.idempotency_key}\x00{request.pack_id}"
    return "credits-" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def _payment_fields(intent: PaymentIntent, status: str, now: datetime) -> dict[str, Any]:
    return {
        "id": intent.id,
        "amount": intent.amount,
        "currency": intent.currency,
        "customer": intent.customer,
        "status": status,
        "created": timestamp(intent.created),
        "lastPaymentError": (intent.last_payment_error or {}).get("message"),
        "updatedAt": now,
    }


def _next_status(current: str | None, new: str) -> str:
    return new if current is None or _RANK.get(new, 0) >= _RANK.get(current, 0) else current


def create_credits_purchase_intent(
    uid: str, request: CreateCreditsPurchaseIntent, email: Email | None = None
) -> CreditsPurchaseIntent:
    """A PaymentIntent for a pack; the same (uid, idempotencyKey) answers the same intent."""
    s = settings()
    pack = s.pack(request.pack_id)
    scope, request_hash = f"stripe_credits_intent:{uid}", idempotency.fingerprint(request)
    store = wiring.store()
    stored = store.transaction(
        lambda txn: idempotency.lookup(
            txn, scope, request.idempotency_key, request_hash, wiring.now()
        )
    )
    if stored is not None:
        return CreditsPurchaseIntent.model_validate(stored)
    customer_id = ensure_customer(uid, email)
    metadata = {
        "uid": uid,
        "packId": request.pack_id,
        "credits": str(pack.credits),
        "idempotencyKey": request.idempotency_key,
    }
    params = {
        "amount": pack.amount,
        "currency": pack.currency,
        "customer": customer_id,
        "metadata": metadata,
        "payment_method_types": s.stripe_payment_method_types,
    }
    intent = client.call(
        lambda c: c.v1.payment_intents.create(
            params=params, options={"idempotency_key": _stripe_key(uid, request)}
        )
    )
    view = CreditsPurchaseIntent(
        payment_intent_id=intent.id,
        client_secret=intent.client_secret,
        customer_id=customer_id,
        pack_id=request.pack_id,
        credits=pack.credits,
        amount=pack.amount,
        currency=pack.currency,
        publishable_key=s.stripe_publishable_key,
    )
    now = wiring.now()

    def keep_first(txn: Transaction) -> CreditsPurchaseIntent:
        earlier = idempotency.lookup(txn, scope, request.idempotency_key, request_hash, now)
        if earlier is not None:
            return CreditsPurchaseIntent.model_validate(earlier)
        payment = PaymentIntent.model_validate(intent.to_dict())
        fields = _payment_fields(payment, payment.status, now)
        fields |= {"packId": request.pack_id, "credits": pack.credits, "uid": uid}
        txn.set(payment_path(uid, intent.id), fields | {"credited": False}, merge=True)
        idempotency.remember(
            txn, scope, request.idempotency_key, request_hash, view.model_dump(mode="json"), now
        )
        return view

    try:
        answer = store.transaction(keep_first)
    except AppError:
        _cancel_orphan(intent.id)
        raise
    if answer.payment_intent_id != intent.id:
        _cancel_orphan(intent.id)
    return answer


def _cancel_orphan(payment_intent_id: str) -> None:
    # A racing retry won without Stripe's idempotency (a key older than 24 h, or a fake server).
    log.event("orphan payment intent canceled", logging.WARNING, paymentIntent=payment_intent_id)
    client.call(lambda c: c.v1.payment_intents.cancel(payment_intent_id))


def pack_purchase_of(intent: PaymentIntent) -> PackPurchase | None:
    """The pack this intent buys (None if it is no pack purchase, e.g. an invoice's).

    ERR_4300 for a pack we do not sell, ERR_4304 if the amount or currency is not the pack's.
    """
    pack_id = intent.metadata.get("packId")
    if pack_id is None:
        return None
    uid = intent.metadata.get("uid")
    if not uid:
        raise AppError("ERR_4308", field="uid")
    pack = settings().pack(pack_id)
    if (intent.amount, intent.currency.lower()) != (pack.amount, pack.currency.lower()):
        reason = f"{intent.amount} {intent.currency} paid, {pack.amount} {pack.currency} due"
        raise AppError("ERR_4304", reason=reason)
    return PackPurchase(uid, pack_id, pack, intent)


def credit_payment(event: StripeEvent) -> str:
    """payment_intent.succeeded: post the pack's credits once, and mirror the payment."""
    intent = PaymentIntent.model_validate(event.object)
    purchase = pack_purchase_of(intent)
    if purchase is None:
        return record_payment(event)
    now = wiring.now()

    def effect(txn: Transaction) -> str:
        check_owner(txn, purchase.uid, intent.customer)
        path = payment_path(purchase.uid, intent.id)
        payment = txn.get(path) or {}
        posting = post_entries(txn, purchase.uid, [purchase.entry(event.id)], now)
        status = _next_status(payment.get("status"), "succeeded")
        fields = _payment_fields(intent, status, now)
        fields |= {"packId": purchase.pack_id, "credits": purchase.pack.credits}
        fields |= {"uid": purchase.uid, "ledgerEntryId": f"stripe_{intent.id}", "credited": True}
        txn.set(path, fields, merge=True)
        return "credited" if posting.posted_anything else "already credited"

    return events.commit(event, effect)


def record_payment(event: StripeEvent) -> str:
    """payment_intent.* of any intent: mirror its status under the owner's payments."""
    intent = PaymentIntent.model_validate(event.object)
    uid = intent.metadata.get("uid") or uid_of_customer(wiring.store(), intent.customer)
    if uid is None:
        return events.commit(event, lambda txn: "ignored: unknown customer")
    now = wiring.now()

    def effect(txn: Transaction) -> str:
        check_owner(txn, uid, intent.customer)
        path = payment_path(uid, intent.id)
        current = (txn.get(path) or {}).get("status")
        status = _next_status(current, intent.status)
        txn.set(path, _payment_fields(intent, status, now) | {"uid": uid}, merge=True)
        return f"payment {status}"

    return events.commit(event, effect)


def claw_back_refund(event: StripeEvent) -> str:
    """charge.refunded: take back the refunded share of the pack's credits."""
    charge = Charge.model_validate(event.object)
    full = charge.amount_refunded >= charge.amount
    return _claw_back(
        event,
        charge.payment_intent,
        cause=f"refund_{charge.amount_refunded}",
        share=(charge.amount_refunded, charge.amount),
        status="refunded" if full else "partially_refunded",
    )


def _intent_of_dispute(dispute: Dispute) -> str | None:
    if dispute.payment_intent is None and dispute.charge:
        found = client.fetch(lambda c: c.v1.charges.retrieve(dispute.charge))
        return Charge.model_validate(found).payment_intent if found else None
    return dispute.payment_intent


def claw_back_dispute(event: StripeEvent) -> str:
    """charge.dispute.created: take back all of the pack's credits."""
    dispute = Dispute.model_validate(event.object)
    return _claw_back(
        event,
        _intent_of_dispute(dispute),
        cause=f"dispute_{dispute.id}",
        share=(1, 1),
        status="disputed",
        dispute_id=dispute.id,
    )


def _credited_pack(intent_id: str | None) -> PackPurchase | None:
    """The pack a succeeded intent bought, fetched from Stripe (None: nothing was credited)."""
    found = client.fetch(lambda c: c.v1.payment_intents.retrieve(intent_id)) if intent_id else None
    try:
        purchase = pack_purchase_of(PaymentIntent.model_validate(found)) if found else None
    except AppError:
        return None  # never credited
    return purchase if purchase is not None and purchase.intent.status == "succeeded" else None


def _claw_back(
    event: StripeEvent,
    intent_id: str | None,
    cause: str,
    share: tuple[int, int],
    status: str,
    dispute_id: str | None = None,
) -> str:
    purchase = _credited_pack(intent_id)
    if purchase is None:
        return events.commit(event, lambda txn: "ignored: no credited pack")
    target = min(purchase.pack.credits, purchase.pack.credits * share[0] // share[1])
    intent, now = purchase.intent, wiring.now()

    def effect(txn: Transaction) -> str:
        check_owner(txn, purchase.uid, intent.customer)
        path = payment_path(purchase.uid, intent.id)
        payment = txn.get(path) or {}
        if dispute_id is not None and dispute_id in payment.get(WON_KEY, []):
            return "ignored: the dispute was already won"  # delivered after its closing
        clawed = payment.get("clawedBack", 0)
        # The purchase first: a refund may be delivered before the success it undoes.
        entries = [purchase.entry(event.id)]
        if target > clawed:
            refs = {"paymentIntent": intent.id, "stripeEvent": event.id}
            entry_id = f"stripe_{intent.id}_{cause}"
            clawback = NewEntry(
                id=entry_id, type=EntryType.CREDITS_CLAWBACK, amount=target - clawed, refs=refs
            )
            entries.append(clawback)
        post_entries(txn, purchase.uid, entries, now)
        fields = _payment_fields(intent, _next_status(payment.get("status"), status), now)
        fields |= {"clawedBack": max(clawed, target), "uid": purchase.uid, "credited": True}
        fields |= {"packId": purchase.pack_id, "credits": purchase.pack.credits}
        txn.set(path, fields, merge=True)
        return f"clawed back {max(target - clawed, 0)}"

    return events.commit(event, effect)


# Disputes closed in our favour, on `customers/{uid}/payments/{pi}`.
WON_KEY = "disputesWon"


def settle_dispute(event: StripeEvent) -> str:
    """charge.dispute.closed: a won dispute gives back what its clawback took, once (entry
    `stripe_<pi>_dispute_<dp>_won`, a credits_purchase: the payment stands after all); a
    lost one keeps the clawback."""
    dispute = Dispute.model_validate(event.object)
    if dispute.status != "won":
        return events.commit(event, lambda txn: f"dispute {dispute.status}: nothing to give back")
    purchase = _credited_pack(_intent_of_dispute(dispute))
    if purchase is None:
        return events.commit(event, lambda txn: "ignored: no credited pack")
    intent, now = purchase.intent, wiring.now()
    clawback_id = f"stripe_{intent.id}_dispute_{dispute.id}"

    def effect(txn: Transaction) -> str:
        check_owner(txn, purchase.uid, intent.customer)
        path = payment_path(purchase.uid, intent.id)
        payment = txn.get(path) or {}
        clawback = txn.get(entry_path(clawback_id)) or {}
        won = payment.get(WON_KEY, [])
        amount = clawback.get("amount", 0) if dispute.id not in won else 0
        if amount:
            refs = {"paymentIntent": intent.id, "stripeEvent": event.id, "dispute": dispute.id}
            entry = NewEntry(
                id=f"{clawback_id}_won", type=EntryType.CREDITS_PURCHASE, amount=amount, refs=refs
            )
            post_entries(txn, purchase.uid, [entry], now)
        clawed = max(payment.get("clawedBack", 0) - amount, 0)
        fields = _payment_fields(intent, "succeeded" if not clawed else "partially_refunded", now)
        fields |= {"clawedBack": clawed, "uid": purchase.uid, WON_KEY: sorted({*won, dispute.id})}
        txn.set(path, fields, merge=True)
        return f"dispute won: gave back {amount}"

    return events.commit(event, effect)
