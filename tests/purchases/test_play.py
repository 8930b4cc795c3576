"""Google Play end to end over HTTP: verify_purchase, real-time developer notifications by
Pub/Sub push (OIDC-authenticated) and by CloudEvent, against local Google stand-ins."""

import random

import pytest

from shared.purchases.entitlements import is_entitled
from shared.purchases.purchase import token_digest
from tests.purchases.apple_fakes import after
from tests.purchases.conftest import PUSH_ACCOUNT, PUSH_AUDIENCE, Stores
from tests.purchases.helpers import (
    credits,
    entitlement,
    snapshot,
    subscribe_on_play,
    token_of,
)
from tests.purchases.play_fakes import (
    OidcSigner,
    cloud_event,
    developer_notification,
    product_purchase,
    push_body,
    subscription_purchase,
)
from tests.support.ids import uid as new_uid

ACKED = "ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED"


def verify(api, uid: str, token: str, product_id: str, **extra):
    data = {"platform": "play_store", "purchaseToken": token, "productId": product_id, **extra}
    return api.result("verify_purchase", data, uid=uid)


def push(api, stores: Stores, data: bytes, *, token: str | None = "valid"):
    headers = {"Content-Type": "application/json"}
    if token == "valid":
        token = stores.oidc.token(PUSH_AUDIENCE, PUSH_ACCOUNT)
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return api.http.post("/google_play_push", content=push_body(data), headers=headers)


def sub_notification(token: str, kind: int, product_id: str = "sync.monthly") -> bytes:
    return developer_notification(
        subscriptionNotification={
            "version": "1.0",
            "notificationType": kind,
            "purchaseToken": token,
            "subscriptionId": product_id,
        }
    )


def test_subscription_is_verified_and_acknowledged(api, store, clock, stores: Stores) -> None:
    uid, token = new_uid(), "sub-token-1"
    body = subscription_purchase(
        product_id="sync.monthly",
        start=clock(),
        expiry=after(clock(), days=30),
        account_id=token_of(uid),
    )
    stores.play.add_subscription(token, body)

    result = verify(api, uid, token, "sync.monthly")

    assert result["entitlement"]["active"] is True and result["entitlement"]["autoRenew"] is True
    stored = entitlement(store, uid)
    assert stored.platform == "play_store" and stored.expires_at == after(clock(), days=30)
    assert store.get(f"purchases/play_{token_digest(token)}")["uid"] == uid
    assert body["acknowledgementState"] == ACKED
    assert stores.oauth.requests == 1 or stores.oauth.requests >= 1


def test_credit_pack_is_credited_once_and_consumed(api, store, clock, stores: Stores) -> None:
    uid, token = new_uid(), "pack-token-1"
    body = product_purchase(purchased_at=clock(), order_id="GPA.1111-0000-0000-00001", quantity=3)
    stores.play.add_product(token, "credits.100", body)

    first = verify(api, uid, token, "credits.100")
    again = verify(api, uid, token, "credits.100")

    assert (first["creditsAdded"], again["creditsAdded"]) == (300, 0)
    assert credits(store, uid) == 300
    assert store.get("ledger/play_GPA.1111-0000-0000-00001")["amount"] == 300
    # Consumed (which acknowledges too) once, after the credits landed: Play sells it again.
    assert (body["consumptionState"], body["acknowledgementState"]) == (1, 1)
    posts = [c[1].rsplit(":", 1)[-1] for c in stores.play.calls if c[0] == "POST"]
    assert posts == ["consume"]
    assert store.get(f"purchases/play_{token_digest(token)}")["consumedAt"] is not None


def test_a_failed_consume_is_retried_by_the_next_verify(api, store, clock, stores: Stores) -> None:
    uid, token = new_uid(), "pack-token-retry"
    body = product_purchase(purchased_at=clock(), order_id="GPA.1111-0000-0000-00009")
    stores.play.add_product(token, "credits.100", body)
    stores.play.fail_consumes = 3  # the first try and both retries

    assert verify(api, uid, token, "credits.100")["creditsAdded"] == 100
    consumes = [c for c in stores.play.calls if c[1].endswith(":consume")]
    assert len(consumes) == 3 and body["consumptionState"] == 0
    assert "consumedAt" not in store.get(f"purchases/play_{token_digest(token)}")

    assert verify(api, uid, token, "credits.100")["alreadyApplied"] is True
    assert body["consumptionState"] == 1
    assert store.get(f"purchases/play_{token_digest(token)}")["consumedAt"] is not None
    assert credits(store, uid) == 100


def test_the_app_consumes_when_configured(api, store, clock, stores: Stores, monkeypatch) -> None:
    from shared import config

    monkeypatch.setenv("PLAY_CONSUME_CREDIT_PACKS", "app")
    config.reset()
    uid, token = new_uid(), "pack-token-app"
    body = product_purchase(purchased_at=clock(), order_id="GPA.1111-0000-0000-00002")
    stores.play.add_product(token, "credits.100", body)

    assert verify(api, uid, token, "credits.100")["creditsAdded"] == 100

    assert (body["consumptionState"], body["acknowledgementState"]) == (0, 1)
    posts = [c[1].rsplit(":", 1)[-1] for c in stores.play.calls if c[0] == "POST"]
    assert posts == ["acknowledge"]


def _bad(stores: Stores, clock, kind: str) -> tuple[dict, str]:
    now = clock()
    sub = subscription_purchase(product_id="sync.monthly", start=now, expiry=after(now, days=30))
    if kind == "token for another package":
        stores.play.add_subscription("t", sub, package="com.other.app")
    elif kind == "pending purchase":
        stores.play.add_product("t", "credits.100", product_purchase(purchased_at=now, state=2))
        return {"purchaseToken": "t", "productId": "credits.100"}, "ERR_4209"
    elif kind == "canceled purchase":
        stores.play.add_product("t", "credits.100", product_purchase(purchased_at=now, state=1))
        return {"purchaseToken": "t", "productId": "credits.100"}, "ERR_4210"
    elif kind == "expired subscription":
        expired = subscription_purchase(
            product_id="sync.monthly",
            start=after(now, days=-60),
            expiry=after(now, days=-30),
            state="SUBSCRIPTION_STATE_EXPIRED",
        )
        stores.play.add_subscription("t", expired)
    elif kind == "test purchase":
        test = subscription_purchase(
            product_id="sync.monthly", start=now, expiry=after(now, days=30), test=True
        )
        stores.play.add_subscription("t", test)
    elif kind == "another user's account id":
        other = subscription_purchase(
            product_id="sync.monthly", start=now, expiry=after(now, days=30), account_id="someone"
        )
        stores.play.add_subscription("t", other)
    cases = {
        "token for another package": "ERR_4204",
        "package name of another app": "ERR_4204",
        "unknown token": "ERR_4207",
        "unknown product": "ERR_4201",
        "expired subscription": "ERR_4210",
        "test purchase": "ERR_4205",
        "another user's account id": "ERR_4206",
        "apple fields": "ERR_4000",
        "no product id": "ERR_4000",
    }
    data = {"purchaseToken": "t", "productId": "sync.monthly"}
    if kind == "package name of another app":
        data["packageName"] = "com.other.app"
    if kind == "unknown product":
        data["productId"] = "gems.9000"
    if kind == "apple fields":
        data["transactionId"] = "1"
    if kind == "no product id":
        del data["productId"]
    return data, cases[kind]


@pytest.mark.parametrize(
    "kind",
    [
        "token for another package",
        "package name of another app",
        "unknown token",
        "unknown product",
        "pending purchase",
        "canceled purchase",
        "expired subscription",
        "test purchase",
        "another user's account id",
        "apple fields",
        "no product id",
    ],
)
def test_bad_play_purchases_are_refused_and_write_nothing(
    kind: str, api, store, clock, stores: Stores
) -> None:
    data, code = _bad(stores, clock, kind)
    _, got, _ = api.error("verify_purchase", {"platform": "play_store", **data}, uid=new_uid())
    assert got == code
    assert snapshot(store) == {}
    if kind in ("package name of another app", "unknown product", "apple fields"):
        assert stores.play.calls == []  # refused before asking Google


def test_play_down_is_an_upstream_error(api, store, stores: Stores) -> None:
    stores.play.fail_next = 10
    _, code, _ = api.error(
        "verify_purchase",
        {"platform": "play_store", "purchaseToken": "t", "productId": "credits.100"},
        uid=new_uid(),
    )
    assert code == "ERR_5102" and snapshot(store) == {}


def test_service_account_refused_by_google(api, store, stores: Stores, monkeypatch) -> None:
    import json

    from tests.purchases.play_fakes import ServiceAccount

    stranger = ServiceAccount.new()
    monkeypatch.setenv("PLAY_SERVICE_ACCOUNT_JSON", json.dumps(stranger.info("https://x.test")))
    _, code, _ = api.error(
        "verify_purchase",
        {"platform": "play_store", "purchaseToken": "t", "productId": "credits.100"},
        uid=new_uid(),
    )
    assert code == "ERR_5104" and snapshot(store) == {}


def _subscribed(api, clock, stores: Stores, uid: str, token: str) -> dict:
    return subscribe_on_play(api, stores, clock(), uid, token, "GPA.5555-0000-0000-00001")


def test_renewal_notification_extends(api, store, clock, stores: Stores) -> None:
    uid, token = new_uid(), "renew-token"
    body = _subscribed(api, clock, stores, uid, token)
    clock.advance(days=30)
    body["lineItems"][0]["expiryTime"] = after(clock(), days=30).strftime("%Y-%m-%dT%H:%M:%SZ")
    body["lineItems"][0]["latestSuccessfulOrderId"] = "GPA.5555-0000-0000-00001..0"

    response = push(api, stores, sub_notification(token, 2))

    assert response.status_code == 200 and response.json()["outcome"] == "applied"
    stored = entitlement(store, uid)
    assert stored.expires_at == after(clock(), days=30)
    assert stored.original_transaction_id == "GPA.5555-0000-0000-00001"
    clock.advance(days=29)
    assert is_entitled(store, uid, "sync", clock())


def test_grace_period_notification_keeps_access(api, store, clock, stores: Stores) -> None:
    uid, token = new_uid(), "grace-token"
    body = _subscribed(api, clock, stores, uid, token)
    clock.advance(days=30)
    body["subscriptionState"] = "SUBSCRIPTION_STATE_IN_GRACE_PERIOD"
    body["lineItems"][0]["expiryTime"] = after(clock(), days=7).strftime("%Y-%m-%dT%H:%M:%SZ")

    push(api, stores, sub_notification(token, 6))

    stored = entitlement(store, uid)
    assert stored.status == "grace_period" and stored.grace_expires_at == after(clock(), days=7)
    assert is_entitled(store, uid, "sync", clock())
    body["subscriptionState"] = "SUBSCRIPTION_STATE_ON_HOLD"
    clock.advance(days=7)
    push(api, stores, sub_notification(token, 5))
    assert entitlement(store, uid).status == "billing_retry"
    assert not is_entitled(store, uid, "sync", clock())


def test_revoked_subscription(api, store, clock, stores: Stores) -> None:
    uid, token = new_uid(), "revoke-token"
    body = _subscribed(api, clock, stores, uid, token)
    body["subscriptionState"] = "SUBSCRIPTION_STATE_EXPIRED"
    clock.advance(hours=1)
    push(api, stores, sub_notification(token, 12))
    assert entitlement(store, uid).status == "revoked"
    assert not is_entitled(store, uid, "sync", clock())


def test_voided_subscription_is_refunded(api, store, clock, stores: Stores) -> None:
    uid, token = new_uid(), "void-sub-token"
    _subscribed(api, clock, stores, uid, token)
    clock.advance(hours=1)
    voided = developer_notification(
        voidedPurchaseNotification={
            "purchaseToken": token,
            "orderId": "GPA.5555-0000-0000-00001",
            "productType": 1,
            "refundType": 1,
        }
    )
    push(api, stores, voided)
    assert entitlement(store, uid).status == "refunded"


def test_voided_credit_pack_is_clawed_back(api, store, clock, stores: Stores) -> None:
    uid, token = new_uid(), "void-pack-token"
    body = product_purchase(purchased_at=clock(), order_id="GPA.7777-0000-0000-00001")
    stores.play.add_product(token, "credits.500", body)
    verify(api, uid, token, "credits.500")
    assert credits(store, uid) == 550
    body["purchaseState"] = 1  # what Play answers once the order is refunded
    voided = developer_notification(
        voidedPurchaseNotification={
            "purchaseToken": token,
            "orderId": "GPA.7777-0000-0000-00001",
            "productType": 2,
            "refundType": 1,
        }
    )

    outcomes = [push(api, stores, voided).json()["outcome"] for _ in range(3)]

    assert outcomes == ["applied", "duplicate", "duplicate"]
    assert credits(store, uid) == 0
    entry = store.get("ledger/play_GPA.7777-0000-0000-00001_clawback")
    assert entry["type"] == "credits_clawback" and entry["amount"] == 550


def test_voided_purchase_that_play_still_reports_purchased_is_not_clawed_back(
    api, store, clock, stores: Stores
) -> None:
    uid, token = new_uid(), "void-pack-2"
    stores.play.add_product(token, "credits.100", product_purchase(purchased_at=clock()))
    verify(api, uid, token, "credits.100")
    voided = developer_notification(
        voidedPurchaseNotification={"purchaseToken": token, "productType": 2, "refundType": 1}
    )
    assert push(api, stores, voided).json()["outcome"] == "recorded"
    assert credits(store, uid) == 100


def test_one_time_purchase_notification_credits_the_account_owner(
    api, store, clock, stores: Stores
) -> None:
    uid, token = new_uid(), "otp-token"
    account = api.result("get_entitlements", {}, uid=uid)["appAccountToken"]
    body = product_purchase(
        purchased_at=clock(), order_id="GPA.8888-0000-0000-00001", account_id=account
    )
    stores.play.add_product(token, "credits.100", body)
    purchased = developer_notification(
        oneTimeProductNotification={
            "version": "1.0",
            "notificationType": 1,
            "purchaseToken": token,
            "sku": "credits.100",
        }
    )

    assert push(api, stores, purchased).json()["outcome"] == "applied"

    assert credits(store, uid) == 100 and body["acknowledgementState"] == 1
    assert verify(api, uid, token, "credits.100")["alreadyApplied"] is True
    assert credits(store, uid) == 100


def test_cloud_event_route_then_push_of_the_same_message(api, store, clock, stores: Stores) -> None:
    uid, token = new_uid(), "ce-token"
    body = _subscribed(api, clock, stores, uid, token)
    clock.advance(days=30)
    body["lineItems"][0]["expiryTime"] = after(clock(), days=30).strftime("%Y-%m-%dT%H:%M:%SZ")
    data = sub_notification(token, 2)
    headers, event = cloud_event(data)

    response = api.http.post("/google_play_notifications", content=event, headers=headers)

    assert response.status_code == 204
    assert entitlement(store, uid).expires_at == after(clock(), days=30)
    calls = len(stores.play.calls)
    assert push(api, stores, data).json()["outcome"] == "duplicate"
    assert len(stores.play.calls) == calls  # a known message costs no Play call


def test_notification_for_another_package_is_ignored(api, store, clock, stores: Stores) -> None:
    data = developer_notification(
        package="com.other.app",
        subscriptionNotification={"notificationType": 4, "purchaseToken": "x"},
    )
    response = push(api, stores, data)
    assert response.status_code == 200 and response.json()["outcome"] == "ignored"
    assert snapshot(store) == {} and stores.play.calls == []


def test_test_notification_is_recorded(api, store, stores: Stores) -> None:
    response = push(api, stores, developer_notification(testNotification={"version": "1.0"}))
    assert response.json()["outcome"] == "recorded"
    assert [p.split("/")[0] for p in snapshot(store)] == ["store_notifications"]


def test_malformed_message_is_acknowledged_and_dropped(api, store, stores: Stores) -> None:
    assert push(api, stores, b"{not json").json()["outcome"] == "malformed"
    assert snapshot(store) == {}


def test_five_deliveries_out_of_order_apply_the_current_state(
    api, store, clock, stores: Stores
) -> None:
    uid, token = new_uid(), "many-token"
    body = _subscribed(api, clock, stores, uid, token)
    messages = [sub_notification(token, kind) for kind in (4, 2, 6, 3, 1)]
    deliveries = [m for m in messages for _ in range(5)]
    random.Random(7).shuffle(deliveries)
    clock.advance(days=31)
    body["subscriptionState"] = "SUBSCRIPTION_STATE_CANCELED"
    body["lineItems"][0]["autoRenewingPlan"]["autoRenewEnabled"] = False
    body["lineItems"][0]["expiryTime"] = after(clock(), days=29).strftime("%Y-%m-%dT%H:%M:%SZ")

    outcomes = [push(api, stores, m).json()["outcome"] for m in deliveries]

    assert outcomes.count("duplicate") == 20
    stored = entitlement(store, uid)
    assert stored.status == "active" and stored.auto_renew is False
    assert stored.expires_at == after(clock(), days=29)
    records = [p for p in snapshot(store) if p.startswith("store_notifications/")]
    assert len(records) == 5


_FORGERS: dict[str, OidcSigner] = {}


def _forger(stores: Stores) -> OidcSigner:
    """Another key under the real key id (made once: RSA keys are slow to generate)."""
    if "forger" not in _FORGERS:
        forger = OidcSigner.new()
        forger.kid = stores.oidc.kid
        _FORGERS["forger"] = forger
    return _FORGERS["forger"]


@pytest.mark.parametrize(
    "kind",
    [
        "no token",
        "not bearer",
        "forged signature",
        "another audience",
        "another service account",
        "unverified email",
        "not issued by Google",
        "expired",
        "garbage",
    ],
)
def test_push_without_a_valid_oidc_token_is_refused(
    kind: str, api, store, clock, stores: Stores
) -> None:
    uid, token = new_uid(), "auth-token"
    stores.play.add_product(token, "credits.100", product_purchase(purchased_at=clock()))
    api.result("get_entitlements", {}, uid=uid)
    before, calls = snapshot(store), len(stores.play.calls)
    forger = _forger(stores)
    oidc = stores.oidc
    tokens = {
        "no token": None,
        "not bearer": "x",
        "forged signature": forger.token(PUSH_AUDIENCE, PUSH_ACCOUNT),
        "another audience": oidc.token("https://elsewhere.test", PUSH_ACCOUNT),
        "another service account": oidc.token(PUSH_AUDIENCE, "evil@attacker.test"),
        "unverified email": oidc.token(PUSH_AUDIENCE, PUSH_ACCOUNT, email_verified=False),
        "not issued by Google": oidc.token(PUSH_AUDIENCE, PUSH_ACCOUNT, issuer="https://evil"),
        "expired": oidc.token(PUSH_AUDIENCE, PUSH_ACCOUNT, lifetime=-600),
        "garbage": "a.b.c",
    }
    data = developer_notification(
        oneTimeProductNotification={
            "notificationType": 1,
            "purchaseToken": token,
            "sku": "credits.100",
        }
    )
    headers = {"Content-Type": "application/json"}
    if kind == "not bearer":
        headers["Authorization"] = "Basic abc"
    elif tokens[kind] is not None:
        headers["Authorization"] = f"Bearer {tokens[kind]}"

    response = api.http.post("/google_play_push", content=push_body(data), headers=headers)

    assert response.status_code == 401 and response.json()["error"]["code"] == "ERR_4212"
    assert snapshot(store) == before and len(stores.play.calls) == calls


def test_upgrade_inherits_the_owner_and_the_old_purchase_ending_keeps_access(
    api, store, clock, stores: Stores
) -> None:
    uid = new_uid()
    old_body = subscription_purchase(
        product_id="ai.monthly", start=clock(), expiry=after(clock(), days=30)
    )
    stores.play.add_subscription("old-token", old_body)
    verify(api, uid, "old-token", "ai.monthly")
    clock.advance(days=3)
    new_body = subscription_purchase(
        product_id="ai.pro.monthly",
        start=clock(),
        expiry=after(clock(), days=30),
        order_id="GPA.9999-0000-0000-00002",
    )
    new_body["linkedPurchaseToken"] = "old-token"
    stores.play.add_subscription("new-token", new_body)

    push(api, stores, sub_notification("new-token", 4, "ai.pro.monthly"))

    assert entitlement(store, uid, "ai").tier == "pro"
    assert new_body["acknowledgementState"] == ACKED
    old_body["subscriptionState"] = "SUBSCRIPTION_STATE_EXPIRED"
    clock.advance(minutes=1)
    push(api, stores, sub_notification("old-token", 13, "ai.monthly"))
    assert entitlement(store, uid, "ai").tier == "pro"
    assert is_entitled(store, uid, "ai", clock())


def test_purchase_of_an_unknown_user_is_redelivered_later(
    api, store, clock, stores: Stores
) -> None:
    uid, token = new_uid(), "early-token"
    body = subscription_purchase(
        product_id="sync.monthly", start=clock(), expiry=after(clock(), days=30)
    )
    stores.play.add_subscription(token, body)
    message = sub_notification(token, 4)

    early = push(api, stores, message)

    assert early.status_code == 503 and early.json()["error"]["code"] == "ERR_4213"
    assert snapshot(store) == {} and body["acknowledgementState"] != ACKED
    verify(api, uid, token, "sync.monthly")
    assert push(api, stores, message).json()["outcome"] in ("applied", "stale")
