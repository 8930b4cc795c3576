"""Stripe customers made outside the app (Payment Links, guest checkout, an older customer)
are linked by metadata.firebaseUID or by a unique email instead of ignored or refused; an
invoice with neither subscription nor PaymentIntent is recorded."""

import time

from shared import collections
from shared.purchases.entitlements import is_entitled
from tests.stripe.helpers import MONTHLY, event
from tests.support import ids

VERIFIED = {"email_verified": True}


def _deliver_subscription(api, stripe, sub: dict) -> dict:
    answer = stripe.deliver(api.http, event("customer.subscription.created", sub))
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_payment_link_customer_is_linked_by_its_firebase_uid(api, store, stripe, clock):
    uid = ids.uid()
    outside = stripe.customer(uid)  # metadata.firebaseUID set by the Payment Link's page
    sub = stripe.subscribe(outside["id"], MONTHLY)

    answer = _deliver_subscription(api, stripe, sub)

    assert answer["outcome"].startswith("subscription active")
    linked = store.get(collections.customer(uid))
    assert (linked["stripeId"], linked["linkedBy"]) == (outside["id"], "customer_metadata")
    assert is_entitled(store, uid, "sync", clock())


def test_a_guest_checkout_is_linked_by_the_users_email(api, store, stripe, clock):
    uid, email = ids.uid(), f"{ids.key()[:10]}@example.com"
    data = {"packId": "starter", "idempotencyKey": ids.key()}
    api.result(
        "create_credits_purchase_intent",
        data,
        uid=uid,
        claims={"email": email, "email_verified": True},
    )
    own = store.get(collections.customer(uid))["stripeId"]
    guest = stripe.customer(None, email)  # the same person, paying as a guest
    sub = stripe.subscribe(guest["id"], MONTHLY)

    _deliver_subscription(api, stripe, sub)

    linked = store.get(collections.customer(uid))
    assert linked["stripeId"] == own and linked["linkedStripeIds"] == [guest["id"]]
    assert is_entitled(store, uid, "sync", clock())
    recorded = store.get(f"{collections.entitlement_events(uid)}/stripe_link_{guest['id']}")
    assert (recorded["type"], recorded["linkedBy"]) == ("stripe_customer_linked", "email")


def test_an_unverified_email_claims_no_guest_subscription(api, store, stripe, clock):
    attacker, email = ids.uid(), f"{ids.key()[:10]}@example.com"
    data = {"packId": "starter", "idempotencyKey": ids.key()}
    claims = {"email": email, "email_verified": False}
    api.result("create_credits_purchase_intent", data, uid=attacker, claims=claims)
    before = store.get(collections.customer(attacker))
    victim = stripe.customer(None, email)  # the address's real owner, paying as a guest
    sub = stripe.subscribe(victim["id"], MONTHLY)

    assert _deliver_subscription(api, stripe, sub)["outcome"] == "ignored: unknown customer"
    assert store.get(collections.customer(attacker)) == before
    assert not is_entitled(store, attacker, "sync", clock())
    seen = api.result("get_entitlements", None, uid=attacker)["entitlements"]
    assert not [e for e in seen if e["addOn"] == "sync" and e["active"]]


def test_a_linked_customer_is_never_moved(api, store, stripe, clock):
    from shared.purchases.stripe.linking import link_customer

    owner, other = ids.uid(), ids.uid()
    guest = stripe.customer(None, f"{ids.key()[:10]}@example.com")
    assert link_customer(owner, guest["id"], "email") == owner
    assert link_customer(other, guest["id"], "event_metadata") == owner
    assert store.get(collections.customer(other)) is None
    assert store.get(collections.customer(owner))["stripeId"] == guest["id"]


def test_an_email_shared_by_two_users_links_nothing(api, store, stripe, clock):
    email = f"{ids.key()[:10]}@example.com"
    uids = [ids.uid(), ids.uid()]
    for uid in uids:
        data = {"packId": "starter", "idempotencyKey": ids.key()}
        api.result(
            "create_credits_purchase_intent",
            data,
            uid=uid,
            claims={"email": email, "email_verified": True},
        )
    before = {uid: store.get(collections.customer(uid)) for uid in uids}
    guest = stripe.customer(None, email)
    sub = stripe.subscribe(guest["id"], MONTHLY)

    assert _deliver_subscription(api, stripe, sub)["outcome"] == "ignored: unknown customer"
    assert {uid: store.get(collections.customer(uid)) for uid in uids} == before
    assert not any(is_entitled(store, uid, "sync", clock()) for uid in uids)


def test_an_invoice_without_subscription_or_payment_is_recorded(api, store, stripe):
    uid = ids.uid()
    data = {"packId": "starter", "idempotencyKey": ids.key()}
    customer = api.result("create_credits_purchase_intent", data, uid=uid)["customerId"]
    invoice = {
        "id": f"in_{ids.key()[:14]}",
        "object": "invoice",
        "customer": customer,
        "status": "paid",
        "amount_due": 1200,
        "amount_paid": 1200,
        "currency": "usd",
        "created": int(time.time()),
        "subscription": None,
        "payment_intent": None,
    }

    answer = stripe.deliver(api.http, event("invoice.paid", invoice))

    assert answer.status_code == 200 and answer.json()["outcome"] == "invoice paid written"
    stored = store.get(f"{collections.customer_invoices(uid)}/{invoice['id']}")
    assert stored["subscription"] is None and stored["amountPaid"] == 1200


def test_racing_links_of_one_customer_agree_on_one_user(api, store, stripe):
    from concurrent.futures import ThreadPoolExecutor

    from shared.purchases.stripe.linking import link_customer
    from shared.store import query

    guest = stripe.customer(None, f"{ids.key()[:10]}@example.com")
    uids = [ids.uid() for _ in range(8)]
    with ThreadPoolExecutor(8) as pool:
        holders = set(pool.map(lambda uid: link_customer(uid, guest["id"], "email"), uids))
    assert len(holders) == 1
    held = store.query(query(collections.CUSTOMERS, [("stripeId", "==", guest["id"])]))
    assert [d.id for d in held] == list(holders)
