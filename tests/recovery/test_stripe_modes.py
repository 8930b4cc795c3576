"""Test and live keys side by side: each event is verified with its mode's webhook secret and
fetched back with its mode's key; a live event signed with the test secret is refused; the
replay job lists each mode's events with that mode's key."""

import json

import pytest

from shared import config
from tests.recovery.helpers import run_job
from tests.stripe.helpers import MONTHLY, SECRET_KEY, event, sign
from tests.support import ids
from tests.support.store import all_documents

TEST_KEY, TEST_SECRET = "sk_test_testmode", "whsec_testmode"


@pytest.fixture(autouse=True)
def both_modes(monkeypatch, stripe_env) -> None:
    monkeypatch.setenv("STRIPE_TEST_SECRET_KEY", TEST_KEY)
    monkeypatch.setenv("STRIPE_TEST_WEBHOOK_SECRET", TEST_SECRET)
    config.reset()


def _subscribed(api, stripe) -> dict:
    uid = ids.uid()
    data = {"packId": "starter", "idempotencyKey": ids.key()}
    customer = api.result("create_credits_purchase_intent", data, uid=uid)["customerId"]
    return stripe.subscribe(customer, MONTHLY, uid)


def _post(api, evt: dict, secret: str):
    payload = json.dumps(evt).encode()
    headers = {"Stripe-Signature": sign(payload, secret=secret), "Content-Type": "application/json"}
    return api.http.post("/stripe_webhook", content=payload, headers=headers)


def _keys_used(stripe, path: str) -> list[str | None]:
    return [r.api_key for r in stripe.standin.requests if r.path == path]


@pytest.mark.parametrize(
    ("livemode", "secret", "key"), [(False, TEST_SECRET, TEST_KEY), (True, None, SECRET_KEY)]
)
def test_each_event_is_fetched_back_with_its_modes_key(api, stripe, livemode, secret, key):
    sub = _subscribed(api, stripe)
    evt = event("customer.subscription.created", sub) | {"livemode": livemode}
    stripe.standin.requests.clear()

    response = _post(api, evt, secret or "whsec_test_secret")

    assert response.status_code == 200, response.text
    assert _keys_used(stripe, f"/v1/subscriptions/{sub['id']}") == [key]


def test_a_live_event_signed_with_the_test_secret_is_refused(api, stripe, store):
    sub = _subscribed(api, stripe)
    before = all_documents(store)
    evt = event("customer.subscription.created", sub) | {"livemode": True}

    response = _post(api, evt, TEST_SECRET)

    assert response.status_code == 401 and response.json()["error"]["code"] == "ERR_4302"
    assert all_documents(store) == before


def test_the_replay_lists_each_modes_events_with_its_key(api, stripe, store):
    run_job(api)
    assert sorted(_keys_used(stripe, "/v1/events")) == sorted([SECRET_KEY, TEST_KEY])


def test_a_test_mode_object_is_resynced_with_the_test_key(api, stripe):
    sub = _subscribed(api, stripe)
    stripe.standin.requests.clear()
    data = {"source": "stripe", "id": sub["id"], "livemode": False}

    api.result("admin_resync", data, uid="admin_1", claims={"admin": True})

    assert set(_keys_used(stripe, f"/v1/subscriptions/{sub['id']}")) == {TEST_KEY}
