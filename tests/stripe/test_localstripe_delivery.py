"""Stripe's own delivery: localstripe signs and posts payment_intent.succeeded to the dev server's
/stripe_webhook, as Stripe would, and the pack is credited. Also the client's configured retries
and the 5xx answer of an unexpected failure."""

import time

import pytest

from shared import collections
from shared.ledger import get_wallet
from shared.purchases.stripe import webhooks
from tests.stripe.helpers import WEBHOOK_SECRET, event
from tests.support import ids


@pytest.fixture
def registered_webhook(stripe, server_url):
    hook = {"url": f"{server_url}/stripe_webhook", "secret": WEBHOOK_SECRET}
    hook |= {"events": ["payment_intent.succeeded"]}
    stripe.http.post("/_config/webhooks/e2e", json=hook).raise_for_status()
    yield
    # localstripe cannot forget a webhook: point it at nothing.
    dead = {"url": "http://127.0.0.1:9/", "secret": "x", "events": ["none.none"]}
    stripe.http.post("/_config/webhooks/e2e", json=dead).raise_for_status()


def test_localstripe_signs_and_delivers_and_the_pack_is_credited(
    api, stripe, store, registered_webhook
):
    uid = ids.uid()
    intent = api.result(
        "create_credits_purchase_intent",
        {"packId": "value", "idempotencyKey": ids.key()},
        uid=uid,
    )
    assert stripe.pay(intent["paymentIntentId"])["status"] == "succeeded"
    deadline = time.monotonic() + 15  # localstripe waits a second before it sends
    while time.monotonic() < deadline and get_wallet(store, uid).credits == 0:
        time.sleep(0.1)
    assert get_wallet(store, uid).credits == 2500
    payment = store.get(f"{collections.customer_payments(uid)}/{intent['paymentIntentId']}")
    assert payment["status"] == "succeeded"


def test_the_client_retries_as_configured_with_one_idempotency_key(api, stripe, store, monkeypatch):
    monkeypatch.setenv("STRIPE_MAX_NETWORK_RETRIES", "1")
    stripe.standin.fail_requests = 1  # the first request meets a 503; the retry goes through
    uid = ids.uid()
    api.result(
        "create_credits_purchase_intent",
        {"packId": "starter", "idempotencyKey": ids.key()},
        uid=uid,
    )
    creates = [r for r in stripe.standin.requests if r.path == "/v1/customers"]
    assert len(creates) == 2 and creates[0].idempotency_key == creates[1].idempotency_key
    assert store.get(collections.customer(uid))["stripeId"].startswith("cus_")


def test_an_unexpected_failure_answers_500_so_stripe_retries(api, stripe, store, monkeypatch):
    def broken(evt):
        raise RuntimeError("a bug")

    monkeypatch.setitem(webhooks.HANDLERS, "product.updated", broken)
    evt = event("product.updated", stripe.get("/v1/products/prod_individual"))
    answer = stripe.deliver(api.http, evt)
    assert answer.status_code == 500 and answer.json()["error"]["code"] == "ERR_6001"
    assert "a bug" not in answer.text
    assert store.get(f"stripe_events/{evt['id']}") is None
