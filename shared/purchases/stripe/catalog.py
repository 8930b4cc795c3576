"""The product catalog mirrored in `products/{id}` and `products/{id}/prices/{id}`, as the Stripe
Firebase extension lays it out. A deleted product or price stays as a tombstone (`deleted`,
inactive) so an older copy arriving later cannot bring it back."""

from datetime import datetime
from typing import Any

from shared import collections, wiring
from shared.purchases.stripe import events, mirror
from shared.purchases.stripe.objects import Price, Product, StripeEvent, timestamp
from shared.store import Transaction


def product_path(product_id: str) -> str:
    return f"{collections.PRODUCTS}/{product_id}"


def price_path(product_id: str, price_id: str) -> str:
    return f"{collections.product_prices(product_id)}/{price_id}"


def product_document(
    product: Product, source_time: datetime, deleted: bool = False
) -> dict[str, Any]:
    return {
        "id": product.id,
        "name": product.name,
        "description": product.description,
        "active": product.active and not deleted,
        "images": product.images,
        "metadata": product.metadata,
        "created": timestamp(product.created),
        "deleted": deleted,
        "sourceTime": source_time,
        "updatedAt": wiring.now(),
    }


def price_document(price: Price, source_time: datetime, deleted: bool = False) -> dict[str, Any]:
    recurring = price.recurring or {}
    return {
        "id": price.id,
        "product": price.product,
        "active": price.active and not deleted,
        "currency": price.currency,
        "unitAmount": price.unit_amount,
        "type": price.type,
        "interval": recurring.get("interval"),
        "intervalCount": recurring.get("interval_count"),
        "trialPeriodDays": recurring.get("trial_period_days"),
        "nickname": price.nickname,
        "metadata": price.metadata,
        "created": timestamp(price.created),
        "deleted": deleted,
        "sourceTime": source_time,
        "updatedAt": wiring.now(),
    }


def path_of(kind: str, doc: dict[str, Any]) -> str:
    return product_path(doc["id"]) if kind == "product" else price_path(doc["product"], doc["id"])


def sync_catalog(event: StripeEvent) -> str:
    """product.* and price.*: mirror the object as Stripe has it now (a tombstone if gone)."""
    kind = event.type.split(".")[0]
    object_id = event.object_id or ""
    if kind == "product":
        data, sent = mirror.fetch(lambda c: c.v1.products.retrieve(object_id))
        doc_of, model = product_document, Product
    else:
        data, sent = mirror.fetch(lambda c: c.v1.prices.retrieve(object_id))
        doc_of, model = price_document, Price
    gone = data is None or bool(data.get("deleted"))
    source = event.object if gone else data
    doc = doc_of(model.model_validate(source), sent, gone or event.type.endswith(".deleted"))

    def effect(txn: Transaction) -> str:
        return f"{kind} {mirror.write(txn, path_of(kind, doc), doc)}"

    return events.commit(event, effect)
