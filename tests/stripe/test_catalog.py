"""The catalog mirror: products and prices as Stripe has them, deleted ones kept as tombstones."""

import time

from tests.stripe.helpers import MONTHLY, PRODUCT, event
from tests.support import ids


def test_product_and_price_events_mirror_the_catalog(api, stripe, store):
    product = stripe.get(f"/v1/products/{PRODUCT}")
    assert stripe.deliver(api.http, event("product.updated", product)).status_code == 200
    mirrored = store.get(f"products/{PRODUCT}")
    assert (mirrored["name"], mirrored["active"], mirrored["deleted"]) == (
        "Individual",
        True,
        False,
    )
    price = stripe.standin.prices[MONTHLY]
    stripe.deliver(api.http, event("price.created", price))
    stored = store.get(f"products/{PRODUCT}/prices/{MONTHLY}")
    assert (stored["unitAmount"], stored["currency"], stored["interval"]) == (900, "usd", "month")


def test_a_deleted_price_stays_deleted_whatever_arrives_late(api, stripe, store):
    price = stripe.standin.add_price("price_" + ids.key()[:12], PRODUCT, 500, None)
    created = event("price.created", price, created=int(time.time()) - 30)
    stripe.deliver(api.http, created)
    assert store.get(f"products/{PRODUCT}/prices/{price['id']}")["active"] is True
    del stripe.standin.prices[price["id"]]
    stripe.deliver(api.http, event("price.deleted", price))
    # A retry of the older event (new id): Stripe no longer has the price, so it stays deleted.
    stripe.deliver(api.http, {**created, "id": "evt_" + ids.key()})
    stored = store.get(f"products/{PRODUCT}/prices/{price['id']}")
    assert (stored["deleted"], stored["active"]) == (True, False)


def test_a_deleted_product_becomes_a_tombstone(api, stripe, store):
    product = stripe.post("/v1/products", {"name": "Old pack"})
    stripe.deliver(api.http, event("product.created", product))
    stripe.ok(stripe.http.delete(f"/v1/products/{product['id']}"))
    stripe.deliver(api.http, event("product.deleted", product))
    stored = store.get(f"products/{product['id']}")
    assert (stored["deleted"], stored["active"], stored["name"]) == (True, False, "Old pack")
