"""Short helpers for the purchase tests."""

from datetime import datetime
from typing import Any

import httpx

from shared.ledger import get_wallet
from shared.purchases.accounts import account_token
from shared.purchases.entitlements import Entitlement, get_entitlement
from shared.store import Store
from tests.purchases.apple_fakes import AUTO_RENEWABLE, CONSUMABLE, after, transaction
from tests.purchases.play_fakes import subscription_purchase
from tests.support.api import Api
from tests.support.store import all_documents


def sub_transaction(
    tid: str, start: datetime, *, days: float = 30, otid: str | None = None, **kw: Any
) -> dict[str, Any]:
    """An auto-renewable `sync.monthly` transaction starting at `start`."""
    return transaction(
        transaction_id=tid,
        original_transaction_id=otid,
        product_id=kw.pop("product_id", "sync.monthly"),
        purchase_date=start,
        expires_date=after(start, days=days),
        type=AUTO_RENEWABLE,
        **kw,
    )


def pack_transaction(tid: str, when: datetime, **kw: Any) -> dict[str, Any]:
    """A consumable `credits.100` transaction."""
    return transaction(
        transaction_id=tid,
        product_id=kw.pop("product_id", "credits.100"),
        purchase_date=when,
        type=CONSUMABLE,
        **kw,
    )


def post_apple(api: Api, signed_payload: str) -> httpx.Response:
    return api.http.post("/apple_notifications", json={"signedPayload": signed_payload})


def entitlement(store: Store, uid: str, add_on: str = "sync") -> Entitlement | None:
    return get_entitlement(store, uid, add_on)


def credits(store: Store, uid: str) -> int:
    return get_wallet(store, uid).credits


def token_of(uid: str) -> str:
    return account_token(uid)


def snapshot(store: Store) -> dict[str, str]:
    return all_documents(store)


def iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def subscribe_on_play(api: Api, stores: Any, now: datetime, uid: str, token: str, order_id: str):
    """`uid` bought a 30-day `sync.monthly` Play subscription now and verified it; answers the
    purchase as the Play stand-in serves it (change it to change what Play answers)."""
    body = subscription_purchase(
        product_id="sync.monthly",
        start=now,
        expiry=after(now, days=30),
        order_id=order_id,
        account_id=token_of(uid),
    )
    stores.play.add_subscription(token, body)
    data = {"platform": "play_store", "purchaseToken": token, "productId": "sync.monthly"}
    api.result("verify_purchase", data, uid=uid)
    return body
