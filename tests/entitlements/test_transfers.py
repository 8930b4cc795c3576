"""Restores from another account under each transfer policy, over HTTP."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from shared import collections
from shared.purchases.entitlements import is_entitled
from shared.purchases.sweep import sweep_entitlements
from shared.store import query
from tests.entitlements.helpers import buy_apple, combined, notify_apple, sources, sub_transaction
from tests.purchases.helpers import pack_transaction, snapshot
from tests.support.ids import uid as new_uid

OTID = "3600000001"


def events(store, uid: str) -> list[dict]:
    return [d.data for d in store.query(query(collections.entitlement_events(uid)))]


def restore(api, stores, uid: str, tx: dict):
    data = {"platform": "app_store", "signedTransaction": stores.ca.sign(tx)}
    return api.call("verify_purchase", data, uid=uid)


def test_keep_leaves_the_purchase_with_its_owner(api, store, clock, stores, monkeypatch):
    monkeypatch.setenv("ENTITLEMENT_TRANSFER_POLICY", "keep")
    owner, other = new_uid(), new_uid()
    tx = sub_transaction(OTID, clock())
    buy_apple(api, stores, owner, tx)
    before = snapshot(store)

    response = restore(api, stores, other, tx)

    assert (response.status_code, response.json()["error"]["details"]["code"]) == (
        409,
        "ERR_4206",
    )
    assert snapshot(store) == before
    assert is_entitled(store, owner, "sync", clock())


def test_transfer_moves_the_purchase_and_records_it_on_both(
    api, store, clock, stores, monkeypatch, claims
):
    monkeypatch.setenv("ENTITLEMENT_TRANSFER_POLICY", "transfer")
    owner, other = new_uid(), new_uid()
    tx = sub_transaction(OTID, clock())
    buy_apple(api, stores, owner, tx)
    clock.advance(minutes=1)

    result = restore(api, stores, other, tx).json()["result"]

    assert result["entitlement"]["active"] and result["refreshToken"] is True
    assert is_entitled(store, other, "sync", clock())
    assert not is_entitled(store, owner, "sync", clock())
    assert sources(store, owner)[f"sync__app_store__{OTID}"].status == "transferred"
    binding = store.get(f"purchases/appstore_{OTID}")
    assert (binding["uid"], binding["transferredFrom"]) == (other, owner)
    assert [e["type"] for e in events(store, owner)] == ["transfer_out"]
    assert [e["type"] for e in events(store, other)] == ["transfer_in"]
    assert events(store, other)[0]["fromUid"] == owner
    assert claims.of(owner) == [["sync"], []] and claims.of(other) == [["sync"]]
    # Later notifications for the purchase reach its new owner.
    clock.advance(days=30)
    renewed = sub_transaction("3600000002", clock(), otid=OTID)
    assert notify_apple(api, stores, "DID_RENEW", renewed, clock()) == "applied"
    assert combined(store, other).expires_at > clock()
    assert not is_entitled(store, owner, "sync", clock())


@pytest.mark.parametrize("owner_active", [True, False])
def test_transfer_if_inactive_needs_the_owner_to_have_lost_access(
    api, store, clock, stores, monkeypatch, owner_active
):
    monkeypatch.setenv("ENTITLEMENT_TRANSFER_POLICY", "transfer_if_inactive")
    owner, other = new_uid(), new_uid()
    buy_apple(api, stores, owner, sub_transaction(OTID, clock(), days=10))
    if not owner_active:
        clock.advance(days=11)
        assert sweep_entitlements() == 1
    renewed = sub_transaction("3600000003", clock(), otid=OTID, days=30)

    response = restore(api, stores, other, renewed)

    if owner_active:
        assert response.json()["error"]["details"]["code"] == "ERR_4206"
        assert events(store, owner) == [] and combined(store, other) is None
        assert is_entitled(store, owner, "sync", clock())
    else:
        assert response.status_code == 200
        assert is_entitled(store, other, "sync", clock())
        assert [e["policy"] for e in events(store, owner)] == ["transfer_if_inactive"]
        assert store.get(f"purchases/appstore_{OTID}")["uid"] == other


def test_credit_packs_never_move(api, store, clock, stores, monkeypatch):
    monkeypatch.setenv("ENTITLEMENT_TRANSFER_POLICY", "transfer")
    owner, other = new_uid(), new_uid()
    pack = pack_transaction("3600000010", clock())
    buy_apple(api, stores, owner, pack)
    before = snapshot(store)
    assert restore(api, stores, other, pack).json()["error"]["details"]["code"] == "ERR_4206"
    assert snapshot(store) == before


def test_racing_restores_leave_one_owner(api, store, clock, stores, monkeypatch):
    monkeypatch.setenv("ENTITLEMENT_TRANSFER_POLICY", "transfer")
    users = [new_uid() for _ in range(4)]
    tx = sub_transaction("3600000020", clock())
    buy_apple(api, stores, users[0], tx)
    barrier = threading.Barrier(3)

    def run(uid: str) -> int:
        barrier.wait()
        return restore(api, stores, uid, tx).status_code

    with ThreadPoolExecutor(3) as pool:
        assert set(pool.map(run, users[1:])) == {200}

    owner = store.get("purchases/appstore_3600000020")["uid"]
    entitled = [u for u in users if is_entitled(store, u, "sync", clock())]
    assert entitled == [owner]
    moves = [e for u in users for e in events(store, u) if e["type"] == "transfer_in"]
    assert len(moves) == 3  # each restore moved it once, in turn
