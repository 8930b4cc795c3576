"""Play purchases near expiry are re-fetched by recover_missed_events: a renewal whose
notification never came reaches the entitlement; an unchanged purchase changes nothing; a
purchase long ended stops being watched."""

from shared.purchases.purchase import token_digest
from tests.purchases.apple_fakes import after
from tests.purchases.helpers import entitlement, token_of
from tests.purchases.play_fakes import subscription_purchase
from tests.recovery.helpers import documents_but_state, last_report, run_job
from tests.support import ids


def _subscribed(api, stores, clock, token: str) -> tuple[str, dict]:
    uid, start = ids.uid(), clock()
    api.result("get_entitlements", uid=uid)  # remembers the account token
    body = {"product_id": "sync.monthly", "start": start, "account_id": token_of(uid)}
    stores.play.add_subscription(token, subscription_purchase(expiry=after(start, days=30), **body))
    data = {"platform": "play_store", "purchaseToken": token, "productId": "sync.monthly"}
    api.result("verify_purchase", data, uid=uid)
    return uid, body


def test_a_silent_play_renewal_is_found_before_access_lapses(api, store, clock, stores):
    token = f"recheck-{ids.key()}"
    uid, body = _subscribed(api, stores, clock, token)
    start = body["start"]
    assert store.get(f"play_watch/{token_digest(token)}")["endsAt"] == after(start, days=30)
    clock.advance(days=29)
    renewed = subscription_purchase(
        expiry=after(start, days=60), order_id="GPA.3333-4444-5555-66666..0", **body
    )
    stores.play.add_subscription(token, renewed)  # Play renewed it; no notification came

    run_job(api)

    assert entitlement(store, uid).expires_at == after(start, days=60)
    assert last_report(store)["play"]["applied"] == 1
    assert store.get(f"play_watch/{token_digest(token)}")["endsAt"] == after(start, days=60)
    before = documents_but_state(store)
    run_job(api)
    assert documents_but_state(store) == before


def test_an_ended_purchase_is_rechecked_without_change_then_dropped(api, store, clock, stores):
    token = f"recheck-{ids.key()}"
    _subscribed(api, stores, clock, token)
    clock.advance(days=31)  # Play still reports the same expiry: the user stopped paying

    run_job(api)
    first = last_report(store)["play"]
    before = documents_but_state(store)
    run_job(api)
    second = last_report(store)["play"]

    assert (first["checked"], second["checked"], second["duplicates"]) == (1, 1, 1)
    assert documents_but_state(store) == before
    clock.advance(days=3)
    run_job(api)
    assert last_report(store)["play"]["dropped"] == 1
    assert store.get(f"play_watch/{token_digest(token)}") is None
