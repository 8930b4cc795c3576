"""admin_resync: bring one store object up to date now, through the usual handlers.

- Stripe `sub_`, `pi_`, `cus_`: the object is fetched and applied as a synthetic event
  (`resync_<id>_<second>`) through `webhooks.apply_event`; a customer resyncs its
  subscriptions and payment intents. Fulfilment stays keyed by the PaymentIntent, so a
  resync never credits a pack twice.
- Apple original transaction id, Play purchase token: the store's current state (as
  verify_purchase reads it) applied as a store event of type RESYNC to the purchase's owner.
"""

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from shared import wiring
from shared.errors import AppError
from shared.models import WireModel
from shared.purchases import catalog
from shared.purchases.events import StoreEvent, apply_store_event
from shared.purchases.grants import binding_path
from shared.purchases.purchase import StorePurchase, token_digest
from shared.purchases.recovery import apple_history, stripe_history
from shared.purchases.stripe import client
from shared.purchases.verify import acknowledge, confirm_purchase
from shared.purchases.views import VerifyPurchase

Source = Literal["stripe", "app_store", "play_store"]
STRIPE_PREFIXES = ("sub_", "pi_", "cus_")


class ResyncObject(WireModel):
    """Stripe: id is sub_/pi_/cus_. App Store: id is an original transaction id. Play: id is
    a purchase token (productId optional once the purchase is bound)."""

    source: Source
    id: str = Field(min_length=1, max_length=4096)
    product_id: str | None = Field(default=None, min_length=1, max_length=200)
    # Stripe only: false reads the object with the test-mode key (STRIPE_TEST_SECRET_KEY).
    livemode: bool | None = None

    @model_validator(mode="after")
    def _shape(self) -> "ResyncObject":
        if self.livemode is not None and self.source != "stripe":
            raise ValueError("livemode is for stripe")
        if self.source == "stripe" and not self.id.startswith(STRIPE_PREFIXES):
            raise ValueError("a Stripe id starts with sub_, pi_ or cus_")
        if self.source == "app_store" and not (self.id.isdigit() and len(self.id) <= 32):
            raise ValueError("an original transaction id is digits")
        if self.product_id and self.source != "play_store":
            raise ValueError("productId is for play_store")
        return self


class ResyncResult(WireModel):
    source: Source
    id: str
    outcomes: dict[str, str]  # object id -> what applying it did


def resync_object(request: ResyncObject) -> ResyncResult:
    """Fetch the object from its store and apply it; say what each object's handler did."""
    if request.source == "stripe":
        if not stripe_history.stripe_configured():
            raise AppError("ERR_4602", source="stripe")
        with client.mode(request.livemode):
            outcomes = _resync_stripe(request.id)
    elif request.source == "app_store":
        if not apple_history.apple_configured():
            raise AppError("ERR_4602", source="app_store")
        purchase = confirm_purchase(
            VerifyPurchase(platform="app_store", transaction_id=request.id), wiring.now()
        )
        outcomes = {request.id: _apply_store(purchase, f"appstore_resync_{request.id}")}
    else:
        outcomes = {"purchaseToken": _resync_play(request.id, request.product_id)}
    return ResyncResult(source=request.source, id=request.id, outcomes=outcomes)


# --- Stripe -----------------------------------------------------------------------------


def _fetch_stripe(object_id: str) -> dict[str, Any]:
    kind = object_id.split("_", 1)[0]
    retrieve = {
        "sub": lambda c: c.v1.subscriptions.retrieve(object_id),
        "pi": lambda c: c.v1.payment_intents.retrieve(object_id),
        "cus": lambda c: c.v1.customers.retrieve(object_id),
    }[kind]
    found = client.fetch(retrieve)
    if found is None or found.get("deleted"):
        raise AppError("ERR_4601", objectId=object_id)
    return found


def _event_type(obj: dict[str, Any]) -> str:
    if obj.get("object") == "subscription":
        return "customer.subscription.updated"
    status = obj.get("status")
    if status in ("succeeded", "canceled"):
        return f"payment_intent.{status}"
    return "payment_intent.payment_failed"  # mirrors whatever status it has now


def _apply_stripe(obj: dict[str, Any], now: datetime) -> str:
    second = int(now.timestamp())
    event = {
        "id": f"resync_{obj['id']}_{second}",
        "object": "event",
        "type": _event_type(obj),
        "created": second,
        "livemode": bool(obj.get("livemode")),
        "data": {"object": obj},
    }
    return stripe_history.replay_event(event)


def _resync_stripe(object_id: str) -> dict[str, str]:
    obj, now = _fetch_stripe(object_id), wiring.now()
    if not object_id.startswith("cus_"):
        return {object_id: _apply_stripe(obj, now)}
    params = {"customer": object_id, "limit": 100}
    subs = client.call(lambda c: c.v1.subscriptions.list(params={**params, "status": "all"}))
    intents = client.call(lambda c: c.v1.payment_intents.list(params=params))
    found = [client.as_dict(o) for o in [*subs.data, *intents.data]]
    return {o["id"]: _apply_stripe(o, now) for o in found}


# --- App Store and Play -----------------------------------------------------------------


def _apply_store(purchase: StorePurchase, prefix: str) -> str:
    now = wiring.now()
    event = StoreEvent(
        notification_id=f"{prefix}_{int(now.timestamp())}",
        platform=purchase.platform,
        type="RESYNC",
        signed_at=purchase.source_time,
        purchase=purchase,
        product=catalog.find_product(purchase.product_id),
        grants_credits=True,  # credited once ever: the ledger entry id is the transaction's
    )
    return wiring.store().transaction(lambda txn: apply_store_event(txn, event, now))


def _resync_play(token: str, product_id: str | None) -> str:
    digest = token_digest(token)
    if product_id is None:
        bound = wiring.store().get(binding_path(f"play_{digest}"))
        if bound is None:
            raise AppError("ERR_4600", reason="productId is needed for an unbound Play token")
        product_id = bound["productId"]
    request = VerifyPurchase(platform="play_store", product_id=product_id, purchase_token=token)
    purchase = confirm_purchase(request, wiring.now())
    outcome = _apply_store(purchase, f"play_resync_{digest}")
    product = catalog.find_product(purchase.product_id)
    if outcome in ("applied", "stale") and product is not None:
        acknowledge(purchase, product)
    return outcome
