"""Bad input, one test per kind: a clear code, and nothing written."""

import json
import time

import pytest

from tests.stripe.helpers import event, sign
from tests.support import ids
from tests.support.store import all_documents


def new_intent(api, uid: str, pack: str = "starter") -> dict:
    data = {"packId": pack, "idempotencyKey": ids.key()}
    return api.result("create_credits_purchase_intent", data, uid=uid)


def refused(api, payload: bytes, signature: str | None) -> tuple[int, str]:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    answer = api.http.post("/stripe_webhook", content=payload, headers=headers)
    return answer.status_code, answer.json()["error"]["code"]


@pytest.fixture
def signed_event(api, stripe) -> tuple[bytes, dict]:
    """A real, paid intent's success event (valid in every way the test does not change)."""
    paid = stripe.pay(new_intent(api, ids.uid())["paymentIntentId"])
    return json.dumps(event("payment_intent.succeeded", paid)).encode(), paid


@pytest.mark.parametrize(
    ("make_signature", "code"),
    [
        (lambda p: None, "ERR_4302"),
        (lambda p: "garbage", "ERR_4302"),
        (lambda p: sign(p, secret="whsec_someone_else"), "ERR_4302"),
        (lambda p: sign(p + b" "), "ERR_4302"),  # the body was changed after signing
        (lambda p: sign(p, timestamp=int(time.time()) - 301), "ERR_4303"),
    ],
    ids=["missing", "unparsable", "other secret", "tampered body", "stale timestamp"],
)
def test_a_webhook_without_a_valid_signature_changes_nothing(
    api, store, signed_event, make_signature, code
):
    payload, _ = signed_event
    before = all_documents(store)
    status, got = refused(api, payload, make_signature(payload))
    assert (status, got) == (401, code)
    assert all_documents(store) == before


def test_a_signed_body_that_is_no_stripe_event_is_refused(api, store):
    before = all_documents(store)
    for payload in (b"not json", json.dumps({"object": "event", "id": "evt_1"}).encode()):
        assert refused(api, payload, sign(payload)) == (400, "ERR_4307")
    assert all_documents(store) == before


def test_an_unknown_pack_is_refused_before_stripe_is_called(api, stripe, store):
    status, code, body = api.error(
        "create_credits_purchase_intent",
        {"packId": "mega", "idempotencyKey": ids.key()},
        uid=ids.uid(),
    )
    assert (status, code) == (400, "ERR_4300") and "mega" in body["message"]
    assert stripe.standin.requests == [] and all_documents(store) == {}


def test_an_intent_for_an_unknown_pack_credits_nothing(api, stripe, store):
    uid = ids.uid()
    customer = new_intent(api, uid)["customerId"]
    odd = stripe.pay(stripe.intent(customer, 599, {"uid": uid, "packId": "mega"})["id"])
    before = all_documents(store)
    payload = json.dumps(event("payment_intent.succeeded", odd)).encode()
    assert refused(api, payload, sign(payload)) == (400, "ERR_4300")
    assert all_documents(store) == before


def test_a_tampered_amount_is_refused(api, stripe, store):
    uid = ids.uid()
    customer = new_intent(api, uid)["customerId"]
    # 5000 credits claimed for the starter price.
    cheap = stripe.intent(customer, 599, {"uid": uid, "packId": "premium", "credits": "5000"})
    paid = stripe.pay(cheap["id"])
    before = all_documents(store)
    payload = json.dumps(event("payment_intent.succeeded", paid)).encode()
    assert refused(api, payload, sign(payload)) == (400, "ERR_4304")
    assert all_documents(store) == before


def test_a_tampered_currency_is_refused(api, stripe, store):
    uid = ids.uid()
    paid = stripe.pay(new_intent(api, uid)["paymentIntentId"])
    before = all_documents(store)
    payload = json.dumps(event("payment_intent.succeeded", {**paid, "currency": "jpy"})).encode()
    assert refused(api, payload, sign(payload)) == (400, "ERR_4304")
    assert all_documents(store) == before


def test_another_users_customer_gets_no_credits(api, stripe, store):
    victim, thief = ids.uid("victim"), ids.uid("thief")
    new_intent(api, thief)
    victim_customer = new_intent(api, victim)["customerId"]
    # Paid by the victim's customer, claiming to be the thief's pack.
    intent = stripe.intent(victim_customer, 599, {"uid": thief, "packId": "starter"})
    paid = stripe.pay(intent["id"])
    before = all_documents(store)
    payload = json.dumps(event("payment_intent.succeeded", paid)).encode()
    assert refused(api, payload, sign(payload)) == (403, "ERR_4305")
    assert all_documents(store) == before


def test_a_checkout_claiming_another_users_customer_is_refused(api, stripe, store):
    victim, thief = ids.uid("victim"), ids.uid("thief")
    new_intent(api, thief)
    victim_customer = new_intent(api, victim)["customerId"]
    session = {
        "id": "cs_test_" + ids.key(),
        "object": "checkout.session",
        "mode": "subscription",
        "customer": victim_customer,
        "client_reference_id": thief,
        "subscription": None,
        "metadata": {},
    }
    before = all_documents(store)
    payload = json.dumps(event("checkout.session.completed", session)).encode()
    assert refused(api, payload, sign(payload)) == (403, "ERR_4305")
    assert all_documents(store) == before


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"packId": "starter"}, "idempotencyKey"),
        ({"packId": "starter", "idempotencyKey": "short"}, "idempotencyKey"),
        ({"packId": "starter", "idempotencyKey": ids.key(), "credits": 99999}, "credits"),
        ({"packId": 5, "idempotencyKey": ids.key()}, "packId"),
    ],
    ids=["no key", "short key", "extra field", "pack not a string"],
)
def test_a_malformed_request_is_refused(api, stripe, store, data, fragment):
    status, code, body = api.error("create_credits_purchase_intent", data, uid=ids.uid())
    assert (status, code) == (400, "ERR_4000") and fragment in body["message"]
    assert stripe.standin.requests == [] and all_documents(store) == {}


def test_signing_in_is_required(api, store):
    status, code, _ = api.error(
        "create_credits_purchase_intent", {"packId": "starter", "idempotencyKey": ids.key()}
    )
    assert (status, code) == (401, "ERR_4011") and all_documents(store) == {}


def test_the_portal_needs_a_stripe_customer(api, stripe, store):
    status, code, _ = api.error("create_billing_portal_session", {}, uid=ids.uid())
    assert (status, code) == (400, "ERR_4306")
    assert stripe.standin.requests == [] and all_documents(store) == {}


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"plan": "family", "interval": "month"}, "ERR_4301"),
        ({"plan": "pro", "interval": "year"}, "ERR_4301"),  # pro has no yearly price
        ({"plan": "individual", "interval": "week"}, "ERR_4000"),
    ],
)
def test_an_unknown_plan_or_interval_is_refused(api, stripe, store, data, code):
    status, got, _ = api.error("create_checkout_session", data, uid=ids.uid())
    assert (status, got) == (400, code)
    assert stripe.standin.requests == [] and all_documents(store) == {}


def test_a_stripe_outage_answers_unavailable_and_writes_nothing(api, stripe, store):
    stripe.standin.outage = True
    status, code, _ = api.error(
        "create_credits_purchase_intent",
        {"packId": "starter", "idempotencyKey": ids.key()},
        uid=ids.uid(),
    )
    assert (status, code) == (503, "ERR_5201") and all_documents(store) == {}


def test_a_missing_secret_key_is_a_configuration_error(api, store, monkeypatch):
    from shared import config

    monkeypatch.delenv("STRIPE_SECRET_KEY")
    config.reset()
    status, code, _ = api.error(
        "create_credits_purchase_intent",
        {"packId": "starter", "idempotencyKey": ids.key()},
        uid=ids.uid(),
    )
    assert (status, code) == (500, "ERR_6003") and all_documents(store) == {}
