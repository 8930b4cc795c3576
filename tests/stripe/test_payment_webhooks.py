"""Payment webhooks: failures and cancellations recorded, refunds and disputes clawed back once,
and out-of-order deliveries that still leave the right wallet and payment state."""

import time

from shared import collections, wiring
from shared.ledger import get_wallet
from shared.store import query
from tests.stripe.helpers import event
from tests.support import ids


def paid_pack(api, stripe, uid: str, pack: str = "starter") -> dict:
    intent = api.result(
        "create_credits_purchase_intent", {"packId": pack, "idempotencyKey": ids.key()}, uid=uid
    )
    return stripe.pay(intent["paymentIntentId"])


def payment(store, uid: str, pi_id: str) -> dict:
    return store.get(f"{collections.customer_payments(uid)}/{pi_id}")


def ledger_of(store, uid: str) -> dict[str, int]:
    docs = store.query(query(collections.LEDGER, [("uid", "==", uid)]))
    return {d.id: d.data["amount"] for d in docs}


def test_a_failed_then_canceled_intent_is_recorded_and_credits_nothing(api, stripe, store):
    uid = ids.uid()
    intent = api.result(
        "create_credits_purchase_intent",
        {"packId": "starter", "idempotencyKey": ids.key()},
        uid=uid,
    )
    declined = stripe.pay(intent["paymentIntentId"], card="pm_card_chargeCustomerFail")
    answer = stripe.deliver(api.http, event("payment_intent.payment_failed", declined))
    assert answer.status_code == 200
    recorded = payment(store, uid, declined["id"])
    assert recorded["status"] == "requires_payment_method"
    assert recorded["lastPaymentError"] == "Your card was declined."
    canceled = stripe.post(f"/v1/payment_intents/{declined['id']}/cancel")
    stripe.deliver(api.http, event("payment_intent.canceled", canceled))
    assert payment(store, uid, declined["id"])["status"] == "canceled"
    assert get_wallet(store, uid).credits == 0 and ledger_of(store, uid) == {}


def test_a_late_failure_never_hides_the_success(api, stripe, store):
    uid = ids.uid()
    paid = paid_pack(api, stripe, uid)
    stripe.deliver(api.http, event("payment_intent.succeeded", paid))
    stale = {**paid, "status": "requires_payment_method"}
    earlier = int(time.time()) - 60
    stripe.deliver(api.http, event("payment_intent.payment_failed", stale, created=earlier))
    assert payment(store, uid, paid["id"])["status"] == "succeeded"
    assert get_wallet(store, uid).credits == 500


def test_refunds_claw_back_their_share_once(api, stripe, store):
    uid = ids.uid()
    paid = paid_pack(api, stripe, uid, "standard")  # 1000 credits for 999
    stripe.deliver(api.http, event("payment_intent.succeeded", paid))
    half = stripe.refund(paid, 500)
    first = stripe.deliver(api.http, event("charge.refunded", half))
    assert first.json()["outcome"] == "clawed back 500"
    assert stripe.deliver(api.http, event("charge.refunded", half)).json()["outcome"] == (
        "clawed back 0"
    )
    full = stripe.refund(paid, 499)  # the rest
    assert full["amount_refunded"] == 999
    stripe.deliver(api.http, event("charge.refunded", full))
    assert get_wallet(store, uid).credits == 0
    entries = ledger_of(store, uid)
    assert entries[f"stripe_{paid['id']}"] == 1000
    assert sum(v for k, v in entries.items() if "refund" in k) == 1000
    assert payment(store, uid, paid["id"])["status"] == "refunded"


def test_a_refund_delivered_before_the_success_nets_to_nothing(api, stripe, store):
    uid = ids.uid()
    paid = paid_pack(api, stripe, uid)
    refunded = stripe.refund(paid)
    stripe.deliver(api.http, event("charge.refunded", refunded))
    assert get_wallet(store, uid).credits == 0
    late = stripe.deliver(api.http, event("payment_intent.succeeded", paid))
    assert late.json()["outcome"] == "already credited"
    assert get_wallet(store, uid).credits == 0
    assert payment(store, uid, paid["id"])["status"] == "refunded"


def test_a_dispute_claws_back_everything_even_spent_credits(api, stripe, store):
    uid = ids.uid()
    paid = paid_pack(api, stripe, uid)
    stripe.deliver(api.http, event("payment_intent.succeeded", paid))
    from shared.ledger import EntryType, NewEntry, post_entries

    spend = NewEntry(id=f"spend_{uid}", type=EntryType.CREDITS_SPEND, amount=200)
    store.transaction(lambda txn: post_entries(txn, uid, [spend], wiring.now()))
    dispute = {
        "id": "dp_" + ids.key()[:16],
        "object": "dispute",
        "amount": paid["amount"],
        "charge": paid["latest_charge"]["id"],
        "payment_intent": None,  # older API versions: found through the charge
        "status": "needs_response",
    }
    answer = stripe.deliver(api.http, event("charge.dispute.created", dispute))
    assert answer.json()["outcome"] == "clawed back 500"
    wallet = get_wallet(store, uid)
    assert (wallet.credits, wallet.debt) == (0, 200)
    assert payment(store, uid, paid["id"])["status"] == "disputed"
    # A refund of the disputed charge takes nothing more.
    stripe.deliver(api.http, event("charge.refunded", stripe.refund(paid)))
    assert get_wallet(store, uid).debt == 200


def test_an_invoice_payment_is_recorded_without_credits(api, stripe, store):
    uid = ids.uid()
    customer = api.result(
        "create_credits_purchase_intent",
        {"packId": "starter", "idempotencyKey": ids.key()},
        uid=uid,
    )["customerId"]
    intent = stripe.intent(customer, 900, {})  # a subscription invoice's intent: no pack
    paid = stripe.pay(intent["id"])
    answer = stripe.deliver(api.http, event("payment_intent.succeeded", paid))
    assert answer.json()["outcome"] == "payment succeeded"
    assert payment(store, uid, paid["id"])["status"] == "succeeded"
    assert get_wallet(store, uid).credits == 0


def test_an_unknown_event_type_is_recorded_and_acknowledged(api, stripe, store):
    evt = event("customer.tax_id.created", {"id": "txi_1", "object": "tax_id"})
    answer = stripe.deliver(api.http, evt)
    assert answer.status_code == 200 and answer.json()["outcome"] == "ignored: unhandled type"
    recorded = store.get(f"stripe_events/{evt['id']}")
    assert recorded["type"] == "customer.tax_id.created" and recorded["objectId"] == "txi_1"


def test_a_stripe_outage_answers_5xx_and_the_retry_applies_it(api, stripe, store):
    uid = ids.uid()
    paid = paid_pack(api, stripe, uid)
    refunded = stripe.refund(paid)
    stripe.deliver(api.http, event("payment_intent.succeeded", paid))
    evt = event("charge.refunded", refunded)
    stripe.standin.outage = True  # the refund handler re-reads the intent from Stripe
    answer = stripe.deliver(api.http, evt)
    assert answer.status_code == 503 and answer.json()["error"]["code"] == "ERR_5201"
    assert store.get(f"stripe_events/{evt['id']}") is None
    assert get_wallet(store, uid).credits == 500
    stripe.standin.outage = False
    assert stripe.deliver(api.http, evt).status_code == 200
    assert get_wallet(store, uid).credits == 0


def _dispute(paid: dict, status: str, dispute_id: str | None = None) -> dict:
    return {
        "id": dispute_id or "dp_" + ids.key()[:16],
        "object": "dispute",
        "amount": paid["amount"],
        "charge": paid["latest_charge"]["id"],
        "payment_intent": paid["id"],
        "status": status,
    }


def _credited_then_disputed(api, stripe) -> tuple[str, dict, dict]:
    """A credited starter pack (500) and a dispute of its charge, not delivered yet."""
    uid = ids.uid()
    paid = paid_pack(api, stripe, uid)
    stripe.deliver(api.http, event("payment_intent.succeeded", paid))
    return uid, paid, _dispute(paid, "needs_response")


def _close(api, stripe, dispute: dict, status: str) -> str:
    """Deliver charge.dispute.closed (a new event id each time); the outcome."""
    closed = stripe.deliver(api.http, event("charge.dispute.closed", {**dispute, "status": status}))
    assert closed.status_code == 200, closed.text
    return closed.json()["outcome"]


def test_a_won_dispute_gives_back_what_it_clawed_back_once(api, stripe, store):
    uid, paid, opened = _credited_then_disputed(api, stripe)
    from shared.ledger import EntryType, NewEntry, post_entries

    spend = NewEntry(id=f"spend_{uid}", type=EntryType.CREDITS_SPEND, amount=200)
    store.transaction(lambda txn: post_entries(txn, uid, [spend], wiring.now()))
    stripe.deliver(api.http, event("charge.dispute.created", opened))
    assert (get_wallet(store, uid).credits, get_wallet(store, uid).debt) == (0, 200)

    assert _close(api, stripe, opened, "won") == "dispute won: gave back 500"

    wallet = get_wallet(store, uid)
    assert (wallet.credits, wallet.debt) == (300, 0)  # the 500 back, less the 200 spent
    assert ledger_of(store, uid)[f"stripe_{paid['id']}_dispute_{opened['id']}_won"] == 500
    recorded = payment(store, uid, paid["id"])
    assert (recorded["status"], recorded["clawedBack"]) == ("succeeded", 0)
    # Once: another delivery of the closing (a new event id) gives nothing more.
    assert _close(api, stripe, opened, "won") == "dispute won: gave back 0"
    assert get_wallet(store, uid).credits == 300


def test_a_lost_dispute_keeps_the_clawback(api, stripe, store):
    uid, _, opened = _credited_then_disputed(api, stripe)
    stripe.deliver(api.http, event("charge.dispute.created", opened))
    assert _close(api, stripe, opened, "lost") == "dispute lost: nothing to give back"
    assert get_wallet(store, uid).credits == 0


def test_a_dispute_won_before_its_opening_arrives_takes_nothing(api, stripe, store):
    uid, _, opened = _credited_then_disputed(api, stripe)
    assert _close(api, stripe, opened, "won") == "dispute won: gave back 0"
    late = stripe.deliver(api.http, event("charge.dispute.created", opened))
    assert late.json()["outcome"] == "ignored: the dispute was already won"
    assert get_wallet(store, uid).credits == 500


def test_concurrent_closings_of_a_won_dispute_give_back_once(api, stripe, store):
    from concurrent.futures import ThreadPoolExecutor

    uid, _, opened = _credited_then_disputed(api, stripe)
    stripe.deliver(api.http, event("charge.dispute.created", opened))
    with ThreadPoolExecutor(8) as pool:
        given = sorted(pool.map(lambda _: _close(api, stripe, opened, "won"), range(8)))
    assert given == ["dispute won: gave back 0"] * 7 + ["dispute won: gave back 500"]
    assert get_wallet(store, uid).credits == 500
