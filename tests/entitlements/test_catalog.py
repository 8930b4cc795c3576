"""The product -> entitlements map in configuration: bundles, and bad maps refused."""

import json

import pytest

from shared.config import ConfigError
from shared.purchases import catalog
from shared.purchases.entitlements import is_entitled
from tests.entitlements.helpers import deliver_stripe, stripe_customer, stripe_subscription
from tests.stripe.helpers import MONTHLY
from tests.support.ids import uid as new_uid


def test_a_product_maps_to_several_add_ons(monkeypatch) -> None:
    products = {
        "bundle": {"addOns": ["sync", "ai"], "tier": "bundle"},
        "one": {"addOn": "sync"},
        "both_forms": {"addOn": "ai", "addOns": ["sync", "ai"]},
        "price_pro_monthly": {"addOns": ["ai"], "tier": "pro"},
    }
    monkeypatch.setenv("PURCHASE_PRODUCTS", json.dumps(products))
    assert catalog.product("bundle").entitlements == ["sync", "ai"]
    assert catalog.product("one").entitlements == ["sync"]
    assert catalog.product("both_forms").entitlements == ["sync", "ai"]
    assert catalog.product("bundle").is_subscription


@pytest.mark.parametrize(
    "bad",
    [
        {"x": {"addOns": ["sync", "AI!"]}},
        {"x": {"addOn": "ai", "addOns": ["sync"]}},
        {"x": {"addOns": ["sync"], "credits": 5}},
        {"x": {"addOns": "sync"}},
    ],
)
def test_a_bad_map_is_a_configuration_error(bad: dict, monkeypatch) -> None:
    monkeypatch.setenv("PURCHASE_PRODUCTS", json.dumps(bad))
    with pytest.raises(ConfigError, match="PURCHASE_PRODUCTS"):
        catalog.catalog()


def test_a_stripe_price_listed_in_the_catalog_uses_its_add_ons(
    api, store, clock, stripe, monkeypatch
) -> None:
    products = {MONTHLY: {"addOns": ["sync", "ai"], "tier": "bundle"}}
    monkeypatch.setenv("PURCHASE_PRODUCTS", json.dumps(products))
    uid = new_uid()
    deliver_stripe(api, stripe, stripe_subscription(uid, stripe_customer(api, store, uid)))
    assert is_entitled(store, uid, "ai", clock()) and is_entitled(store, uid, "sync", clock())
