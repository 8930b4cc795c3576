"""Sandbox isolation: sandbox and test purchases of all three stores grant nothing in a
production deployment unless configured to, and every record keeps its environment."""

import pytest

from shared import collections
from shared.purchases.entitlements import is_entitled
from tests.entitlements.helpers import (
    after,
    combined,
    deliver_stripe,
    notify_apple,
    sources,
    stripe_customer,
    stripe_subscription,
    sub_transaction,
    subscription_purchase,
)
from tests.purchases.helpers import snapshot, token_of
from tests.support.ids import uid as new_uid


def _apple(api, stores, uid: str, tx: dict):
    data = {"platform": "app_store", "signedTransaction": stores.ca.sign(tx)}
    return api.call("verify_purchase", data, uid=uid)


def _code(response) -> str | None:
    body = response.json()
    return body["error"]["details"]["code"] if "error" in body else None


@pytest.fixture
def accept_sandbox(monkeypatch):
    """The stores accept sandbox purchases (App Review, license testers)."""
    monkeypatch.setenv("APPLE_ACCEPT_SANDBOX", "true")
    monkeypatch.setenv("PLAY_ACCEPT_TEST_PURCHASES", "true")


def test_a_sandbox_app_store_purchase_is_refused_in_production_mode(
    api, store, clock, stores, accept_sandbox, monkeypatch
):
    monkeypatch.setenv("ENTITLEMENT_SANDBOX", "refuse")
    uid = new_uid()
    before = snapshot(store)
    tx = sub_transaction("3700000001", clock(), environment="Sandbox")

    assert _code(_apple(api, stores, uid, tx)) == "ERR_4205"
    assert snapshot(store) == before

    # A notification about it is recorded and grants nothing either.
    api.result("get_entitlements", {}, uid=uid)
    with_token = tx | {"appAccountToken": token_of(uid)}
    outcome = notify_apple(api, stores, "SUBSCRIBED", with_token, clock(), environment="Sandbox")
    assert outcome == "refused"
    assert combined(store, uid) is None and sources(store, uid) == {}


def test_an_accepted_sandbox_purchase_grants_and_keeps_its_environment(
    api, store, clock, stores, accept_sandbox
):
    uid = new_uid()
    tx = sub_transaction("3700000002", clock(), environment="Sandbox")
    assert _code(_apple(api, stores, uid, tx)) is None
    assert sources(store, uid)["sync__app_store__3700000002"].environment == "sandbox"
    assert combined(store, uid).environment == "sandbox"
    assert store.get("purchases/appstore_3700000002")["environment"] == "sandbox"


@pytest.mark.parametrize("policy", ["auto", "refuse"])
def test_a_play_test_purchase(api, store, clock, stores, accept_sandbox, monkeypatch, policy):
    monkeypatch.setenv("ENTITLEMENT_SANDBOX", policy)
    uid, token = new_uid(), f"play-test-{policy}"
    body = subscription_purchase(
        product_id="sync.monthly",
        start=clock(),
        expiry=after(clock(), days=30),
        account_id=token_of(uid),
        test=True,
    )
    stores.play.add_subscription(token, body)
    data = {"platform": "play_store", "purchaseToken": token, "productId": "sync.monthly"}

    response = api.call("verify_purchase", data, uid=uid)

    if policy == "refuse":
        assert _code(response) == "ERR_4205" and combined(store, uid) is None
    else:
        assert _code(response) is None
        assert combined(store, uid).environment == "sandbox"


@pytest.mark.parametrize("livemode", [False, True])
def test_stripe_test_mode_grants_nothing_when_refused(
    api, store, clock, stripe, monkeypatch, livemode
):
    monkeypatch.setenv("ENTITLEMENT_SANDBOX", "refuse")
    uid = new_uid()
    sub = stripe_subscription(uid, stripe_customer(api, store, uid), livemode=livemode)

    deliver_stripe(api, stripe, sub)

    mirrored = store.get(f"{collections.customer_subscriptions(uid)}/{sub['id']}")
    assert mirrored["livemode"] is livemode  # the mirror keeps its environment
    assert is_entitled(store, uid, "sync", clock()) is livemode
    if livemode:
        assert combined(store, uid).environment == "production"
    else:
        assert sources(store, uid) == {}


def test_stripe_test_mode_grants_with_a_test_key(api, store, clock, stripe):
    uid = new_uid()
    deliver_stripe(api, stripe, stripe_subscription(uid, stripe_customer(api, store, uid)))
    assert combined(store, uid).environment == "sandbox"
    assert is_entitled(store, uid, "sync", clock())
