"""Acting as the App Store, Google Play and Stripe would, over HTTP against the dev server."""

import time
from datetime import datetime
from typing import Any

from shared import collections
from shared.purchases.entitlements import Entitlement, get_entitlement, list_sources
from tests.purchases.apple_fakes import after, notification, renewal_info
from tests.purchases.conftest import PUSH_ACCOUNT, PUSH_AUDIENCE, Stores
from tests.purchases.helpers import post_apple, sub_transaction
from tests.purchases.play_fakes import developer_notification, push_body, subscription_purchase
from tests.stripe.helpers import MONTHLY, event
from tests.support import ids

__all__ = ["after", "sub_transaction", "subscription_purchase"]


def buy_apple(api, stores: Stores, uid: str, tx: dict, **kw: Any) -> dict:
    data = {"platform": "app_store", "signedTransaction": stores.ca.sign(tx), **kw}
    return api.result("verify_purchase", data, uid=uid)


def notify_apple(api, stores: Stores, kind: str, tx: dict, when: datetime, **kw: Any) -> str:
    renewal = kw.pop("renewal", None)
    response = post_apple(
        api,
        notification(stores.ca, kind, signed_date=when, transaction=tx, renewal=renewal, **kw),
    )
    assert response.status_code == 200, response.text
    return response.json()["outcome"]


def renewal(otid: str, product_id: str, when: datetime, **kw: Any) -> dict:
    return renewal_info(original_transaction_id=otid, product_id=product_id, signed_date=when, **kw)


def verify_play(api, uid: str, token: str, product_id: str) -> dict:
    data = {"platform": "play_store", "purchaseToken": token, "productId": product_id}
    return api.result("verify_purchase", data, uid=uid)


def push_play(api, stores: Stores, token: str, kind: int, product_id: str) -> str:
    data = developer_notification(
        subscriptionNotification={
            "version": "1.0",
            "notificationType": kind,
            "purchaseToken": token,
            "subscriptionId": product_id,
        }
    )
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {stores.oidc.token(PUSH_AUDIENCE, PUSH_ACCOUNT)}",
    }
    response = api.http.post("/google_play_push", content=push_body(data), headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["outcome"]


def stripe_customer(api, store, uid: str) -> str:
    """The user's Stripe customer, made as Checkout makes it."""
    api.result("create_checkout_session", {"plan": "individual", "interval": "month"}, uid=uid)
    return store.get(collections.customer(uid))["stripeId"]


def stripe_subscription(
    uid: str, customer: str, status: str = "active", price: str = MONTHLY, days: int = 30, **kw
) -> dict:
    """A subscription Stripe no longer has (only the event's copy is known), ending in `days`."""
    end = int(time.time()) + days * 86400
    return {
        "id": kw.pop("sub_id", None) or "sub_ent" + ids.key()[:10],
        "object": "subscription",
        "status": status,
        "customer": customer,
        "metadata": {"firebaseUID": uid},
        "cancel_at_period_end": False,
        "created": int(time.time()) - 100,
        "livemode": kw.pop("livemode", False),
        "items": {
            "data": [
                {
                    "price": {"id": p, "recurring": {"interval": "month"}},
                    "current_period_start": end - 30 * 86400,
                    "current_period_end": end,
                }
                for p in ([price] if isinstance(price, str) else price)
            ]
        },
        **kw,
    }


def deliver_stripe(api, stripe, sub: dict, kind: str = "updated", created: int | None = None):
    answer = stripe.deliver(api.http, event(f"customer.subscription.{kind}", sub, created=created))
    assert answer.status_code == 200, answer.text
    return answer.json()["outcome"]


def combined(store, uid: str, add_on: str = "sync") -> Entitlement | None:
    return get_entitlement(store, uid, add_on)


def sources(store, uid: str, add_on: str = "sync") -> dict[str, Entitlement]:
    return {s.key: s for s in list_sources(store, uid, add_on)}
