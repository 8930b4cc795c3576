"""Concurrent and repeated purchase writes: threads over HTTP, and transaction bodies run twice."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from shared import wiring
from shared.store.sqlite import SqliteStore
from tests.purchases.apple_fakes import notification
from tests.purchases.conftest import Stores
from tests.purchases.helpers import credits, entitlement, pack_transaction, post_apple, snapshot
from tests.purchases.play_fakes import product_purchase
from tests.support.ids import uid as new_uid

THREADS = 12


def _verify(api, uid: str, data: dict):
    return api.call("verify_purchase", data, uid=uid)


def test_same_transaction_verified_by_many_threads_credits_once(
    api, store, clock, stores: Stores
) -> None:
    uid = new_uid()
    data = {
        "platform": "app_store",
        "signedTransaction": stores.ca.sign(pack_transaction("1", clock())),
    }

    with ThreadPoolExecutor(THREADS) as pool:
        responses = list(pool.map(lambda _: _verify(api, uid, data), range(THREADS)))

    results = [r.json()["result"] for r in responses]
    assert all(r.status_code == 200 for r in responses)
    assert sorted(r["creditsAdded"] for r in results) == [0] * (THREADS - 1) + [100]
    assert credits(store, uid) == 100
    assert [p for p in snapshot(store) if p.startswith("ledger/")] == ["ledger/appstore_1"]


def test_same_transaction_claimed_by_many_users_binds_one(
    api, store, clock, stores: Stores
) -> None:
    data = {
        "platform": "app_store",
        "signedTransaction": stores.ca.sign(pack_transaction("2", clock())),
    }
    users = [new_uid() for _ in range(THREADS)]

    with ThreadPoolExecutor(THREADS) as pool:
        responses = list(pool.map(lambda u: _verify(api, u, data), users))

    winners = [u for u, r in zip(users, responses, strict=True) if r.status_code == 200]
    codes = [r.json()["error"]["details"]["code"] for r in responses if r.status_code != 200]
    assert len(winners) == 1 and codes == ["ERR_4206"] * (THREADS - 1)
    assert store.get("purchases/appstore_2")["uid"] == winners[0]
    assert sum(credits(store, u) for u in users) == 100


def test_play_pack_verified_by_many_threads_credits_once(api, store, clock, stores: Stores) -> None:
    uid = new_uid()
    stores.play.add_product("tok", "credits.100", product_purchase(purchased_at=clock()))
    data = {"platform": "play_store", "purchaseToken": "tok", "productId": "credits.100"}

    with ThreadPoolExecutor(THREADS) as pool:
        responses = list(pool.map(lambda _: _verify(api, uid, data), range(THREADS)))

    assert all(r.status_code == 200 for r in responses)
    assert credits(store, uid) == 100


def test_refund_delivered_concurrently_claws_back_once(api, store, clock, stores: Stores) -> None:
    uid = new_uid()
    tx = pack_transaction("3", clock())
    _verify(api, uid, {"platform": "app_store", "signedTransaction": stores.ca.sign(tx)})
    refunded = {**tx, "revocationDate": int(clock().timestamp() * 1000), "revocationReason": 0}
    body = notification(stores.ca, "REFUND", signed_date=clock(), transaction=refunded)

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(lambda _: post_apple(api, body).json()["outcome"], range(THREADS)))

    assert sorted(outcomes) == ["applied"] + ["duplicate"] * (THREADS - 1)
    assert credits(store, uid) == 0
    clawbacks = [p for p in snapshot(store) if p.endswith("_clawback")]
    assert clawbacks == ["ledger/appstore_3_clawback"]


@pytest.fixture
def rerun_store(tmp_path):
    """A store that runs every transaction body twice (the first run discarded), as
    Firestore may retry them."""
    rerun = SqliteStore(str(tmp_path / "rerun.sqlite3"), rerun_transactions=True)
    wiring.use(store=rerun)
    return rerun


def test_purchase_and_notification_bodies_are_safe_to_rerun(
    api, rerun_store, clock, stores: Stores
) -> None:
    uid = new_uid()
    pack = pack_transaction("4", clock())
    sub = {
        **pack_transaction("5", clock(), product_id="sync.monthly"),
        "type": "Auto-Renewable Subscription",
    }
    sub["expiresDate"] = int(clock().timestamp() * 1000) + 30 * 86_400_000

    for tx in (pack, sub, pack):
        r = _verify(api, uid, {"platform": "app_store", "signedTransaction": stores.ca.sign(tx)})
        assert r.status_code == 200, r.json()
    refunded = {**pack, "revocationDate": int(clock().timestamp() * 1000), "revocationReason": 0}
    post_apple(api, notification(stores.ca, "REFUND", signed_date=clock(), transaction=refunded))

    assert credits(rerun_store, uid) == 0
    assert entitlement(rerun_store, uid).status == "active"
    ledger = sorted(p for p in snapshot(rerun_store) if p.startswith("ledger/"))
    assert ledger == ["ledger/appstore_4", "ledger/appstore_4_clawback"]
