"""delete_account over HTTP: sync data, devices, relay, entitlements and bindings removed;
Stripe subscriptions canceled and the customer deleted or detached; the ledger kept and still
reconciling; the same answer, and nothing more deleted, when run again or concurrently; the
deleted account's token is refused afterwards."""

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from shared import collections
from shared.accounts.deletion import delete_account, deleted_path
from shared.ledger import get_wallet
from shared.store import query
from tests.purchases.helpers import snapshot, sub_transaction
from tests.stripe.helpers import MONTHLY, SECRET_KEY, event
from tests.support import ids
from tests.sync.helpers import b64, grant_sync

ADMIN = {"uid": "admin_1", "claims": {"admin": True}}
CONFIRM = {"confirm": True}


def _entry(entry_id: str, text: str, clock: dict) -> dict:
    return {
        "id": entry_id,
        "ciphertext": b64(text),
        "clock": clock,
        "updatedAt": "2026-01-01T12:00:00Z",
    }


def _sealed() -> dict:
    return {"ciphertext": b64("hi"), "nonce": b64(os.urandom(24)), "mac": b64(b"m" * 16)}


def _full_account(api, stripe, stores, uid: str) -> dict:
    """A user with credits, sync data and a conflict, devices, a relay request, an App Store
    subscription and a live Stripe subscription."""
    api.result(
        "admin_adjust_credits",
        {"uid": uid, "amount": 250, "reason": "welcome", "idempotencyKey": ids.key()},
        **ADMIN,
    )
    grant_sync(uid)
    for device, inference in (("phone", False), ("desktop", True)):
        caps = {"canRunInference": inference, "models": []}
        data = {"deviceId": device, "name": device, "platform": "ios", "capabilities": caps}
        api.result("device_register", data, uid=uid)
    api.result(
        "sync_push", {"deviceId": "phone", "entries": [_entry("n1", "a", {"phone": 1})]}, uid=uid
    )
    api.result(
        "sync_push",
        {"deviceId": "desktop", "entries": [_entry("n1", "b", {"desktop": 1})]},
        uid=uid,
    )
    api.result(
        "sync_push", {"deviceId": "phone", "entries": [_entry("n2", "c", {"phone": 2})]}, uid=uid
    )
    relay = {"sourceDeviceId": "phone", "targetDeviceId": "desktop", **_sealed()}
    api.result("relay_create", relay, uid=uid)
    signed = stores.ca.sign(sub_transaction(str(uuid.uuid4().int)[:12], stores.apple_api.clock()))
    api.result("verify_purchase", {"platform": "app_store", "signedTransaction": signed}, uid=uid)
    intent = api.result(
        "create_credits_purchase_intent",
        {"packId": "starter", "idempotencyKey": ids.key()},
        uid=uid,
    )
    return intent


def _user_paths(store, uid: str) -> list[str]:
    mine = (f"users/{uid}/", f"sync_state/{uid}", f"device_registries/{uid}", f"customers/{uid}")
    return [p for p in snapshot(store) if p.startswith(mine)]


def _reconciles(api, store) -> list[str]:
    assert api.http.post("/__dev/run/reconcile_balances").status_code == 200
    return store.get(f"{collections.OPS_STATE}/reconcile_balances")["drifted"]


def test_an_account_is_deleted_once_and_its_token_then_changes_nothing(api, store, stripe, stores):
    uid = ids.uid()
    _full_account(api, stripe, stores, uid)
    customer = store.get(collections.customer(uid))["stripeId"]
    sub = stripe.subscribe(customer, MONTHLY, uid)
    assert len(_user_paths(store, uid)) > 8
    ledger_before = store.query(query(collections.LEDGER, [("uid", "==", uid)]))

    first = api.result("delete_account", CONFIRM, uid=uid)
    after_first = snapshot(store)
    assert api.error("delete_account", CONFIRM, uid=uid)[:2] == (401, "ERR_4032")
    second = delete_account(uid)  # a retry that got past the check answers the same

    assert second.model_dump(mode="json", by_alias=True) == first
    assert snapshot(store) == after_first
    assert first["removed"]["syncEntries"] == 2 and first["removed"]["devices"] == 2
    assert first["removed"]["syncConflicts"] >= 1 and first["removed"]["relay"] == 1
    assert first["removed"]["storeBindings"] == 1 and first["removed"]["entitlements"] >= 1
    assert first["stripeCustomer"] == "deleted"
    assert first["stripeSubscriptionsCanceled"] == [sub["id"]]
    assert [s["platform"] for s in first["storeSubscriptionsToCancel"]] == ["app_store"]
    assert _user_paths(store, uid) == []
    assert store.get(f"users/{uid}") == {
        "deleted": True,
        "deletedAt": store.get(f"users/{uid}")["deletedAt"],
        "wallet": store.get(f"users/{uid}")["wallet"],
    }
    assert get_wallet(store, uid).credits == 250
    assert store.query(query(collections.LEDGER, [("uid", "==", uid)])) == ledger_before
    assert uid not in _reconciles(api, store)
    assert store.get(deleted_path(uid))["status"] == "done"
    assert stripe.get(f"/v1/subscriptions/{sub['id']}")["status"] == "canceled"
    gone = httpx.get(f"{stripe.url}/v1/customers/{customer}", auth=(SECRET_KEY, ""))
    assert gone.status_code == 404 or gone.json().get("deleted") is True


def test_racing_deletions_agree(api, store, stripe, stores):
    uid = ids.uid()
    grant_sync(uid)
    api.result("device_register", {"deviceId": "phone", "name": "p", "platform": "ios"}, uid=uid)
    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(lambda _: api.call("delete_account", CONFIRM, uid=uid), range(4)))
    answers = [r.json()["result"] for r in responses if r.status_code == 200]
    # Those that arrive after the tombstone are refused as a deleted account's calls are.
    late = [r.json()["error"]["details"]["code"] for r in responses if r.status_code != 200]
    assert answers and all(a == answers[0] for a in answers), responses
    assert set(late) <= {"ERR_4032"}
    assert _user_paths(store, uid) == []


def test_deletion_batches_stay_under_500_writes(api, store, stripe, stores):
    uid = ids.uid()
    for start in range(0, 900, 450):
        batch = store.batch()
        for i in range(start, start + 450):
            batch.set(f"{collections.sync_entries(uid)}/e{i}", {"seq": i, "deleted": False})
        batch.commit()
    for start in range(0, 300, 150):
        batch = store.batch()
        for i in range(start, start + 150):
            batch.set(f"{collections.entitlements(uid)}/a{i}", {"addOn": f"a{i}"})
            batch.set(f"entitlement_expiries/{uid}:a{i}", {"uid": uid})
        batch.commit()

    answer = api.result("delete_account", CONFIRM, uid=uid)

    assert answer["removed"]["syncEntries"] == 900 and answer["removed"]["entitlements"] == 300
    assert _user_paths(store, uid) == []
    assert not [p for p in snapshot(store) if p.startswith(f"entitlement_expiries/{uid}:")]


def test_detach_keeps_the_stripe_customer_without_our_uid(api, store, stripe, stores, monkeypatch):
    monkeypatch.setenv("ACCOUNT_DELETE_STRIPE_CUSTOMER", "detach")
    monkeypatch.setenv("ACCOUNT_DELETE_STORE_BINDINGS", "keep")
    uid = ids.uid()
    api.result(
        "create_credits_purchase_intent",
        {"packId": "starter", "idempotencyKey": ids.key()},
        uid=uid,
    )
    customer = store.get(collections.customer(uid))["stripeId"]

    answer = api.result("delete_account", CONFIRM, uid=uid)

    assert answer["stripeCustomer"] == "detached" and "storeBindings" not in answer["removed"]
    kept = stripe.get(f"/v1/customers/{customer}")
    assert not kept.get("metadata", {}).get("firebaseUID")


def test_bad_requests_delete_nothing(api, store, stripe, stores):
    uid = ids.uid()
    grant_sync(uid)
    before = snapshot(store)
    assert api.error("delete_account", {"confirm": False}, uid=uid)[:2] == (400, "ERR_4603")
    assert api.error("delete_account", {}, uid=uid)[:2] == (400, "ERR_4000")
    assert api.error("delete_account", {"confirm": "yes"}, uid=uid)[:2] == (400, "ERR_4000")
    assert api.error("delete_account", CONFIRM)[:2] == (401, "ERR_4011")
    assert snapshot(store) == before


def test_a_late_stripe_event_brings_nothing_back(api, store, stripe, stores):
    uid = ids.uid()
    data = {"packId": "starter", "idempotencyKey": ids.key()}
    customer = api.result("create_credits_purchase_intent", data, uid=uid)["customerId"]
    sub = stripe.subscribe(customer, MONTHLY, uid)
    api.result("delete_account", CONFIRM, uid=uid)
    canceled = stripe.get(f"/v1/subscriptions/{sub['id']}")
    before = snapshot(store)

    late = event("customer.subscription.deleted", canceled)
    answer = stripe.deliver(api.http, late)

    assert answer.status_code == 200 and answer.json()["outcome"] == "ignored: deleted account"
    after = snapshot(store)
    assert set(after) - set(before) == {f"stripe_events/{late['id']}"}
    assert {path: after[path] for path in before} == before
    assert _user_paths(store, uid) == []


def test_a_stripe_outage_fails_the_deletion_before_anything_is_deleted(api, store, stripe, stores):
    uid = ids.uid()
    data = {"packId": "starter", "idempotencyKey": ids.key()}
    customer = api.result("create_credits_purchase_intent", data, uid=uid)["customerId"]
    stripe.subscribe(customer, MONTHLY, uid)
    grant_sync(uid)
    before = snapshot(store)
    stripe.standin.outage = True

    status, code, _ = api.error("delete_account", CONFIRM, uid=uid)

    stripe.standin.outage = False
    assert (status, code) == (503, "ERR_5201") and snapshot(store) == before
    assert api.result("delete_account", CONFIRM, uid=uid)["stripeCustomer"] == "deleted"
    assert _user_paths(store, uid) == []


def test_generation_prompts_and_results_are_erased_and_others_kept(api, store, stripe, stores):
    uid, other = ids.uid(), ids.uid()
    for owner, job_id in ((uid, "j1"), (uid, "j2"), (other, "j3")):
        store.set(
            f"{collections.GENERATION_JOBS}/{job_id}",
            {"uid": owner, "status": "completed", "prompt": "my secret", "resultUrls": ["u"]},
        )

    answer = api.result("delete_account", CONFIRM, uid=uid)

    assert answer["removed"]["generationJobsErased"] == 2
    for job_id in ("j1", "j2"):
        job = store.get(f"{collections.GENERATION_JOBS}/{job_id}")
        assert (job["prompt"], job["resultUrls"], job["deleted"]) == ("", [], True)
    assert store.get(f"{collections.GENERATION_JOBS}/j3")["prompt"] == "my secret"
    assert delete_account(uid).model_dump(mode="json", by_alias=True) == answer
