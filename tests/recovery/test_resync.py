"""admin_resync over HTTP: one Stripe object, Apple subscription or Play token brought up to
date through the usual handlers, once; bad input refused with its code and nothing written."""

import pytest

from shared import collections
from shared.ledger import get_wallet
from tests.purchases.apple_fakes import after, renewal_info
from tests.purchases.helpers import entitlement, snapshot, sub_transaction, token_of
from tests.purchases.play_fakes import subscription_purchase
from tests.stripe.helpers import MONTHLY
from tests.support import ids

ADMIN = {"uid": "admin_1", "claims": {"admin": True}}


def resync(api, source: str, object_id: str, **extra) -> dict:
    return api.result("admin_resync", {"source": source, "id": object_id, **extra}, **ADMIN)


def test_a_play_renewal_nobody_told_us_about_is_resynced(api, store, clock, stores) -> None:
    uid, token, start = ids.uid(), "resync-play-1", clock()
    api.result("get_entitlements", uid=uid)  # remembers the account token
    body = dict(product_id="sync.monthly", start=start, account_id=token_of(uid))
    stores.play.add_subscription(token, subscription_purchase(expiry=after(start, days=30), **body))
    data = {"platform": "play_store", "purchaseToken": token, "productId": "sync.monthly"}
    api.result("verify_purchase", data, uid=uid)
    clock.advance(days=30)
    renewed = subscription_purchase(
        expiry=after(start, days=60), order_id="GPA.3333-4444-5555-66666..0", **body
    )
    stores.play.add_subscription(token, renewed)

    answer = resync(api, "play_store", token)

    assert answer["outcomes"] == {"purchaseToken": "applied"}
    assert entitlement(store, uid).expires_at == after(start, days=60)
    before = snapshot(store)
    assert resync(api, "play_store", token)["outcomes"] == {"purchaseToken": "duplicate"}
    assert snapshot(store) == before


def test_an_apple_subscription_is_resynced_from_its_status(api, store, clock, stores) -> None:
    uid, start = ids.uid(), clock()
    first = sub_transaction("7300", start)
    signed = stores.ca.sign(first)
    api.result("verify_purchase", {"platform": "app_store", "signedTransaction": signed}, uid=uid)
    stores.apple_api.add(first)
    clock.advance(days=30)
    renewed = sub_transaction("7301", after(start, days=30), otid="7300")
    renewal = renewal_info(
        original_transaction_id="7300", product_id="sync.monthly", signed_date=clock()
    )
    stores.apple_api.add(renewed, renewal)

    answer = resync(api, "app_store", "7300")

    assert answer["outcomes"] == {"7300": "applied"}
    assert entitlement(store, uid).expires_at == after(start, days=60)


def test_a_stripe_payment_is_resynced_and_credited_once(api, store, stripe) -> None:
    uid = ids.uid()
    intent = api.result(
        "create_credits_purchase_intent",
        {"packId": "starter", "idempotencyKey": ids.key()},
        uid=uid,
    )
    paid = stripe.pay(intent["paymentIntentId"])  # the webhook never came

    first = resync(api, "stripe", paid["id"])["outcomes"][paid["id"]]
    second = resync(api, "stripe", paid["id"])["outcomes"][paid["id"]]

    assert first == "credited" and second in ("duplicate", "already credited")
    assert get_wallet(store, uid).credits == 500


def test_a_stripe_customer_resyncs_its_subscriptions(api, store, stripe) -> None:
    uid = ids.uid()
    api.result("create_checkout_session", {"plan": "individual", "interval": "month"}, uid=uid)
    customer = store.get(collections.customer(uid))["stripeId"]
    sub = stripe.subscribe(customer, MONTHLY, uid)  # paid; no event delivered

    answer = resync(api, "stripe", customer)

    assert answer["outcomes"][sub["id"]].startswith("subscription active")
    assert entitlement(store, uid).platform == "stripe"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"source": "stripe", "id": "ch_123"}, "ERR_4000"),
        ({"source": "app_store", "id": "abc"}, "ERR_4000"),
        ({"source": "stripe", "id": "sub_1", "productId": "x"}, "ERR_4000"),
        ({"source": "stripe", "id": "sub_doesnotexist"}, "ERR_4601"),
        ({"source": "play_store", "id": "unbound-token"}, "ERR_4600"),
    ],
)
def test_bad_resync_requests_are_refused_and_write_nothing(api, store, stripe, data, code):
    before = snapshot(store)
    status, got, _ = api.error("admin_resync", data, **ADMIN)
    assert got == code and status in (400, 404)
    assert snapshot(store) == before


def test_resync_is_for_admins_only(api, store) -> None:
    status, code, _ = api.error("admin_resync", {"source": "stripe", "id": "sub_1"}, uid="u1")
    assert (status, code) == (403, "ERR_4014")
