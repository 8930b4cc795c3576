"""Credit packs end to end: the callable creates one customer and an idempotent PaymentIntent on
localstripe; the signed payment_intent.succeeded webhook credits the pack exactly once."""

import threading
from concurrent.futures import ThreadPoolExecutor

from shared import collections
from shared.ledger import get_wallet
from shared.store import query
from tests.stripe.helpers import event
from tests.support import ids


def buy(api, uid: str, pack: str = "starter", key: str | None = None) -> dict:
    data = {"packId": pack, "idempotencyKey": key or ids.key()}
    return api.result("create_credits_purchase_intent", data, uid=uid)


def test_the_intent_carries_the_pack_and_one_customer_per_user(api, stripe, store):
    uid = ids.uid()
    first = buy(api, uid, "starter")
    second = buy(api, uid, "premium")
    assert (first["credits"], first["amount"], first["currency"]) == (500, 599, "usd")
    assert (second["credits"], second["amount"]) == (5000, 3499)
    assert first["customerId"] == second["customerId"]
    assert first["clientSecret"].startswith(first["paymentIntentId"] + "_secret_")
    assert first["publishableKey"] == "pk_test_local"
    pi = stripe.get(f"/v1/payment_intents/{first['paymentIntentId']}")
    assert pi["metadata"] == {
        "uid": uid,
        "packId": "starter",
        "credits": "500",
        "idempotencyKey": pi["metadata"]["idempotencyKey"],
    }
    assert pi["customer"] == first["customerId"] and pi["amount"] == 599
    customer = stripe.get(f"/v1/customers/{first['customerId']}")
    assert customer["metadata"] == {"firebaseUID": uid}
    assert store.get(collections.customer(uid))["stripeId"] == first["customerId"]
    payment = store.get(f"{collections.customer_payments(uid)}/{first['paymentIntentId']}")
    assert payment["status"] == "requires_payment_method" and payment["packId"] == "starter"
    assert payment["credited"] is False


def test_a_retry_with_the_same_key_answers_the_same_intent(api, stripe):
    uid, key = ids.uid(), ids.key()
    first = buy(api, uid, key=key)
    again = buy(api, uid, key=key)
    assert again == first
    creates = [r for r in stripe.standin.requests if r.path == "/v1/payment_intents"]
    assert len(creates) == 1  # the retry was answered from our idempotency record
    assert creates[0].idempotency_key and creates[0].idempotency_key.startswith("credits-")
    customer_creates = [r for r in stripe.standin.requests if r.path == "/v1/customers"]
    assert [r.idempotency_key for r in customer_creates] == [f"cus-{uid}"]


def test_the_same_key_for_another_pack_is_refused(api, stripe):
    uid, key = ids.uid(), ids.key()
    buy(api, uid, "starter", key=key)
    status, code, _ = api.error(
        "create_credits_purchase_intent", {"packId": "value", "idempotencyKey": key}, uid=uid
    )
    assert (status, code) == (409, "ERR_4017")


def test_concurrent_retries_get_one_intent_and_one_customer(api, stripe, store):
    uid, key = ids.uid(), ids.key()
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: buy(api, uid, key=key), range(8)))
    assert len({a["paymentIntentId"] for a in answers}) == 1
    assert len({a["customerId"] for a in answers}) == 1
    payments = store.query(query(collections.customer_payments(uid)))
    assert [p.id for p in payments] == [answers[0]["paymentIntentId"]]
    # localstripe has no idempotency keys: the racing losers' intents were canceled.
    creates = [r for r in stripe.standin.requests if r.path == "/v1/payment_intents"]
    canceled = {r.path for r in stripe.standin.requests if r.path.endswith("/cancel")}
    assert len(canceled) == len(creates) - 1
    for path in canceled:
        assert stripe.get(path.removesuffix("/cancel"))["status"] == "canceled"


def test_paying_credits_the_pack_once_whatever_the_deliveries(api, stripe, store):
    uid = ids.uid()
    intent = buy(api, uid, "standard")
    paid = stripe.pay(intent["paymentIntentId"])
    assert paid["status"] == "succeeded"
    succeeded = event("payment_intent.succeeded", paid)
    first = stripe.deliver(api.http, succeeded)
    assert first.status_code == 200 and first.json()["outcome"] == "credited"
    assert stripe.deliver(api.http, succeeded).json()["outcome"] == "duplicate"
    # The same payment under another event id (Stripe may send it twice).
    other = stripe.deliver(api.http, event("payment_intent.succeeded", paid))
    assert other.json()["outcome"] == "already credited"
    wallet = get_wallet(store, uid)
    assert wallet.credits == 1000
    entry = store.get(f"ledger/stripe_{paid['id']}")
    assert entry["amount"] == 1000 and entry["type"] == "credits_purchase"
    payment = store.get(f"{collections.customer_payments(uid)}/{paid['id']}")
    assert payment["status"] == "succeeded" and payment["ledgerEntryId"] == f"stripe_{paid['id']}"
    assert payment["credited"] is True


def test_concurrent_deliveries_of_one_event_credit_once(api, stripe, store):
    uid = ids.uid()
    paid = stripe.pay(buy(api, uid, "value")["paymentIntentId"])
    same = event("payment_intent.succeeded", paid)
    barrier = threading.Barrier(8)

    def deliver(_):
        barrier.wait()
        return stripe.deliver(api.http, same)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(deliver, range(8)))
    assert [a.status_code for a in answers] == [200] * 8
    assert sorted(a.json()["outcome"] for a in answers).count("credited") == 1
    assert get_wallet(store, uid).credits == 2500


def test_racing_first_purchases_share_one_customer(api, stripe, store):
    uid = ids.uid()
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: buy(api, uid), range(6)))
    assert len({a["paymentIntentId"] for a in answers}) == 6
    (customer,) = {a["customerId"] for a in answers}
    assert store.get(collections.customer(uid))["stripeId"] == customer
    # Without Stripe's idempotency (localstripe), the racers' extra customers are deleted.
    created = [r for r in stripe.standin.requests if r.path == "/v1/customers"]
    deleted = [r for r in stripe.standin.requests if r.method == "DELETE"]
    assert len(deleted) == len(created) - 1
    assert all(r.path != f"/v1/customers/{customer}" for r in deleted)
