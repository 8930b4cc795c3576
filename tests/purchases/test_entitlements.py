"""The shared entitlement model on the real store: ordering, other sources, expiry sweep."""

import json
from datetime import timedelta

import pytest

from shared.config import ConfigError
from shared.purchases import catalog
from shared.purchases.entitlements import (
    Entitlement,
    EntitlementStatus,
    expiry_path,
    get_entitlement,
    is_entitled,
    record_entitlement,
)
from shared.purchases.sweep import sweep_entitlements
from tests.support.ids import uid as new_uid


def _entitlement(clock, status="active", days=30, source_days=0, **kw) -> Entitlement:
    now = clock()
    return Entitlement(
        add_on="sync",
        status=EntitlementStatus(status),
        expires_at=now + timedelta(days=days),
        platform=kw.pop("platform", "app_store"),
        product_id="sync.monthly",
        original_transaction_id=kw.pop("otid", "1"),
        source_time=now + timedelta(days=source_days),
        **kw,
    )


def _record(store, uid, entitlement, clock, **kw) -> bool:
    return store.transaction(lambda txn: record_entitlement(txn, uid, entitlement, clock(), **kw))


def test_older_information_never_overwrites_newer(store, clock) -> None:
    uid = new_uid()
    assert _record(store, uid, _entitlement(clock, "expired", source_days=2), clock)
    assert not _record(store, uid, _entitlement(clock, "active", source_days=1), clock)
    assert get_entitlement(store, uid, "sync").status == "expired"


def test_another_sources_end_does_not_end_access(store, clock) -> None:
    uid = new_uid()
    stripe = _entitlement(clock, platform="stripe", otid="sub_1", days=60)
    assert _record(store, uid, stripe, clock)
    ended = _entitlement(clock, "expired", days=-1, source_days=1)
    # The App Store source keeps its own (ended) record; the combined one keeps Stripe's access.
    assert _record(store, uid, ended, clock, keep_other_access=True)
    assert is_entitled(store, uid, "sync", clock())
    assert get_entitlement(store, uid, "sync").platform == "stripe"
    assert not _record(store, uid, ended, clock)  # the same state again: nothing to write
    assert is_entitled(store, uid, "sync", clock())


def test_expiry_marker_follows_the_entitlement(store, clock) -> None:
    uid = new_uid()
    _record(store, uid, _entitlement(clock, days=30), clock)
    assert store.get(expiry_path(uid, "sync"))["endsAt"] == clock() + timedelta(days=30)
    grace = _entitlement(
        clock, "grace_period", days=-1, source_days=1, grace_expires_at=clock() + timedelta(days=6)
    )
    _record(store, uid, grace, clock)
    assert store.get(expiry_path(uid, "sync"))["endsAt"] == clock() + timedelta(days=6)
    _record(store, uid, _entitlement(clock, "refunded", source_days=2), clock)
    assert store.get(expiry_path(uid, "sync")) is None


def test_sweep_expires_lapsed_entitlements_and_keeps_source_time(store, clock) -> None:
    users = [new_uid() for _ in range(5)]
    for i, uid in enumerate(users):
        _record(store, uid, _entitlement(clock, days=i + 1), clock)
    clock.advance(days=3, minutes=1)

    assert sweep_entitlements() == 3
    assert sweep_entitlements() == 0

    statuses = [get_entitlement(store, uid, "sync").status for uid in users]
    assert statuses == ["expired"] * 3 + ["active"] * 2
    swept = get_entitlement(store, users[0], "sync")
    assert swept.source_time == clock() - timedelta(days=3, minutes=1)
    # A renewal the store signed after the original state still applies after the sweep.
    renewed = _entitlement(clock, days=30, source_days=0)
    assert _record(store, users[0], renewed, clock)
    assert is_entitled(store, users[0], "sync", clock())


def test_sweep_over_http(api, store, clock) -> None:
    uid = new_uid()
    _record(store, uid, _entitlement(clock, days=1), clock)
    clock.advance(days=2)
    assert api.http.post("/__dev/run/entitlement_sweep").status_code == 200
    assert get_entitlement(store, uid, "sync").status == "expired"


def test_catalog_from_settings(monkeypatch) -> None:
    custom = {"pro.month": {"addOn": "ai", "tier": "pro"}, "coins": {"credits": 42}}
    monkeypatch.setenv("PURCHASE_PRODUCTS", json.dumps(custom))
    assert catalog.product("coins").credits == 42
    assert catalog.product("pro.month").is_subscription


@pytest.mark.parametrize(
    "bad",
    [
        {"x": {"addOn": "ai", "credits": 5}},
        {"x": {}},
        {"x": {"credits": 0}},
        {"x": {"credits": 5, "tier": "pro"}},
        {"x": {"addOn": "AI!"}},
        {"x": {"addOn": "ai", "price": 5}},
    ],
)
def test_invalid_catalog_is_a_configuration_error(bad: dict, monkeypatch) -> None:
    monkeypatch.setenv("PURCHASE_PRODUCTS", json.dumps(bad))
    with pytest.raises(ConfigError, match="PURCHASE_PRODUCTS"):
        catalog.catalog()


def test_every_setting_is_documented_in_env_example() -> None:
    from pathlib import Path

    from shared.purchases.settings import PurchaseSettings

    documented = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    missing = [
        n.upper() for n in PurchaseSettings.model_fields if f"{n.upper()}=" not in documented
    ]
    assert missing == []
