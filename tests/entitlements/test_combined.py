"""Per-source records and the combined record, end to end over HTTP: an App Store and a Stripe
subscription for one add-on, bundles, the sweep, and two sources racing from threads."""

import json
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from shared.purchases.entitlements import (
    Entitlement,
    EntitlementStatus,
    combine,
    expiry_path,
    is_entitled,
    list_sources,
    record_entitlement,
)
from shared.purchases.sweep import sweep_entitlements
from tests.entitlements.helpers import (
    after,
    buy_apple,
    combined,
    deliver_stripe,
    notify_apple,
    renewal,
    sources,
    stripe_customer,
    stripe_subscription,
    sub_transaction,
)
from tests.support.ids import uid as new_uid


def test_app_store_expiring_keeps_stripe_access(api, store, clock, stores, stripe, claims):
    uid = new_uid()
    buy_apple(api, stores, uid, sub_transaction("3100000001", clock(), days=10))
    customer = stripe_customer(api, store, uid)
    sub = stripe_subscription(uid, customer, days=30)
    assert deliver_stripe(api, stripe, sub) == "subscription active written"

    mine = sources(store, uid)
    assert set(mine) == {"sync__app_store__3100000001", f"sync__stripe__{sub['id']}"}
    both = combined(store, uid)
    assert both.platform == "stripe" and len(both.sources) == 2  # the later end is shown
    assert store.get(expiry_path(uid, "sync"))["endsAt"] == both.expires_at

    clock.advance(days=11)
    assert sweep_entitlements() == 0  # the marker is at Stripe's end, not Apple's
    assert is_entitled(store, uid, "sync", clock())
    assert claims.of(uid) == [["sync"]]  # granted once; Apple's lapse changed nothing


def test_stripe_ending_keeps_app_store_access(api, store, clock, stores, stripe):
    uid = new_uid()
    buy_apple(api, stores, uid, sub_transaction("3100000002", clock(), days=20))
    customer = stripe_customer(api, store, uid)
    sub = stripe_subscription(uid, customer, days=30)
    deliver_stripe(api, stripe, sub)
    ended = {**sub, "status": "canceled", "ended_at": int(clock().timestamp())}
    deliver_stripe(api, stripe, ended, "deleted")

    assert sources(store, uid)[f"sync__stripe__{sub['id']}"].status == "expired"
    now = combined(store, uid)
    assert now.platform == "app_store" and now.grants_access(clock())
    clock.advance(days=21)
    assert sweep_entitlements() == 1
    assert combined(store, uid).status == "expired"
    assert {s.status for s in sources(store, uid).values()} == {"expired"}


def test_a_bundle_product_grants_each_of_its_add_ons(api, store, clock, stores, monkeypatch):
    products = {
        "bundle.monthly": {"addOns": ["sync", "ai"], "tier": "bundle"},
        "sync.monthly": {"addOn": "sync", "tier": "monthly"},
    }
    monkeypatch.setenv("PURCHASE_PRODUCTS", json.dumps(products))
    uid = new_uid()
    tx = sub_transaction("3100000003", clock(), product_id="bundle.monthly")

    result = buy_apple(api, stores, uid, tx)

    assert result["refreshToken"] is True
    for add_on in ("sync", "ai"):
        assert is_entitled(store, uid, add_on, clock())
        assert combined(store, uid, add_on).tier == "bundle"
    listed = api.result("get_entitlements", {}, uid=uid)["entitlements"]
    assert sorted(e["addOn"] for e in listed) == ["ai", "sync"]
    # A repeat grants nothing more and asks for no token refresh.
    assert buy_apple(api, stores, uid, tx)["refreshToken"] is False
    # Renewing into sync-only ends the bundle's ai (same subscription, fewer add-ons).
    clock.advance(days=1)
    renewed = sub_transaction("3100000004", clock(), otid="3100000003", product_id="sync.monthly")
    buy_apple(api, stores, uid, renewed)
    assert is_entitled(store, uid, "sync", clock()) and not is_entitled(store, uid, "ai", clock())


def _source(clock, platform: str, otid: str, days: float, source_minutes: int) -> Entitlement:
    status = EntitlementStatus.ACTIVE if days > 0 else EntitlementStatus.EXPIRED
    return Entitlement(
        add_on="sync",
        status=status,
        expires_at=clock() + timedelta(days=days),
        platform=platform,
        product_id="sync.monthly",
        original_transaction_id=otid,
        source_time=clock() + timedelta(minutes=source_minutes),
    )


def test_two_sources_updating_from_threads_converge(store, clock):
    uid, rng = new_uid(), random.Random(7)
    updates = [
        _source(clock, platform, otid, rng.choice([-1, 5, 20, 40]), minute)
        for minute in range(12)
        for platform, otid in (("app_store", "3200000001"), ("stripe", "sub_race"))
    ]
    rng.shuffle(updates)
    barrier = threading.Barrier(len(updates))

    def run(entitlement: Entitlement) -> None:
        barrier.wait()
        store.transaction(lambda txn: record_entitlement(txn, uid, entitlement, clock()))

    threads = [threading.Thread(target=run, args=(u,)) for u in updates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    newest = {}
    for u in updates:
        if u.key not in newest or u.source_time > newest[u.key].source_time:
            newest[u.key] = u
    stored = {s.key: s for s in list_sources(store, uid, "sync")}
    assert {k: s.expires_at for k, s in stored.items()} == {
        k: s.expires_at for k, s in newest.items()
    }
    expected = combine(list(newest.values()), clock())
    got = combined(store, uid)
    assert (got.status, got.expires_at, got.platform) == (
        expected.status,
        expected.expires_at,
        expected.platform,
    )
    assert is_entitled(store, uid, "sync", clock()) is any(
        s.grants_access(clock()) for s in newest.values()
    )


def test_legacy_combined_record_becomes_a_source(store, clock):
    """A record written before source records existed still orders by its sourceTime."""
    uid = new_uid()
    legacy = _source(clock, "app_store", "3300000001", 30, 5)
    store.set(f"users/{uid}/entitlements/sync", legacy.model_dump(by_alias=True))
    older = _source(clock, "app_store", "3300000001", -1, 1)
    assert not store.transaction(lambda txn: record_entitlement(txn, uid, older, clock()))
    stripe = _source(clock, "stripe", "sub_legacy", 10, 6)
    assert store.transaction(lambda txn: record_entitlement(txn, uid, stripe, clock()))
    assert set(sources(store, uid)) == {"sync__app_store__3300000001", "sync__stripe__sub_legacy"}
    assert combined(store, uid).expires_at == after(clock(), days=30)


def test_app_store_and_stripe_deliveries_racing_over_http_converge(
    api, store, clock, stores, stripe, claims
):
    uid, otid, start = new_uid(), "3900000001", clock()
    buy_apple(api, stores, uid, sub_transaction(otid, start, days=30))
    customer = stripe_customer(api, store, uid)
    sub = stripe_subscription(uid, customer, days=90)
    t = int(clock().timestamp())
    renewals = [
        (sub_transaction(f"39000000{10 + n}", after(start, days=30 * n), otid=otid), n)
        for n in range(1, 4)
    ]
    ended = {**sub, "status": "canceled", "ended_at": t + 5}
    deliveries = [
        lambda s=s, c=c: deliver_stripe(api, stripe, s, created=c)
        for s, c in [(sub, t + 1), (ended, t + 9), (sub, t + 3), (ended, t + 9)]
    ]
    deliveries += [
        lambda tx=tx, n=n: notify_apple(
            api,
            stores,
            "DID_RENEW",
            tx,
            after(start, minutes=n),
            renewal=renewal(otid, "sync.monthly", after(start, minutes=n)),
        )
        for tx, n in renewals * 2
    ]
    random.Random(3).shuffle(deliveries)
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(lambda deliver: deliver(), deliveries))

    assert len(outcomes) == len(deliveries)  # every delivery answered 200
    mine = sources(store, uid)
    assert mine[f"sync__stripe__{sub['id']}"].status == "expired"
    apple = mine[f"sync__app_store__{otid}"]
    assert apple.expires_at == after(start, days=120)  # the latest renewal, whatever the order
    state = combined(store, uid)
    assert state.platform == "app_store" and state.expires_at == after(start, days=120)
    assert claims.of(uid) == [["sync"]]
