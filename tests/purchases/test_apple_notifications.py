"""App Store Server Notifications V2 end to end over HTTP: renewals, grace, refunds,
revocations, redelivery and out-of-order delivery."""

import random

import pytest

from shared.purchases.entitlements import is_entitled
from shared.purchases.sweep import sweep_entitlements
from tests.purchases.apple_fakes import AppleCA, after, notification, renewal_info
from tests.purchases.conftest import Stores
from tests.purchases.helpers import (
    credits,
    entitlement,
    pack_transaction,
    post_apple,
    snapshot,
    sub_transaction,
    token_of,
)
from tests.support.ids import uid as new_uid


def _buy(api, stores: Stores, uid: str, tx: dict) -> None:
    api.result(
        "verify_purchase",
        {"platform": "app_store", "signedTransaction": stores.ca.sign(tx)},
        uid=uid,
    )


def _renewal(stores: Stores, otid: str, when, **kw) -> dict:
    return renewal_info(
        original_transaction_id=otid, product_id="sync.monthly", signed_date=when, **kw
    )


def test_renewal_extends(api, store, clock, stores: Stores) -> None:
    uid, start = new_uid(), clock()
    _buy(api, stores, uid, sub_transaction("100", start))
    renewed = sub_transaction("101", after(start, days=30), otid="100")
    clock.advance(days=30)

    response = post_apple(
        api,
        notification(
            stores.ca,
            "DID_RENEW",
            signed_date=clock(),
            transaction=renewed,
            renewal=_renewal(stores, "100", clock()),
        ),
    )

    assert response.status_code == 200 and response.json() == {"outcome": "applied"}
    assert entitlement(store, uid).expires_at == after(start, days=60)
    clock.advance(days=29)
    assert is_entitled(store, uid, "sync", clock())


def test_grace_period_keeps_access_until_it_ends(api, store, clock, stores: Stores) -> None:
    uid, start = new_uid(), clock()
    tx = sub_transaction("200", start)
    _buy(api, stores, uid, tx)
    clock.advance(days=30, minutes=1)
    grace_end = after(clock(), days=16)
    body = notification(
        stores.ca,
        "DID_FAIL_TO_RENEW",
        subtype="GRACE_PERIOD",
        signed_date=clock(),
        transaction=tx,
        renewal=_renewal(
            stores, "200", clock(), billing_retry=True, grace_period_expires=grace_end
        ),
    )

    assert post_apple(api, body).json()["outcome"] == "applied"

    stored = entitlement(store, uid)
    assert stored.status == "grace_period" and stored.grace_expires_at == grace_end
    assert is_entitled(store, uid, "sync", clock())
    assert sweep_entitlements() == 0
    clock.advance(days=16, seconds=1)
    assert not is_entitled(store, uid, "sync", clock())
    assert sweep_entitlements() == 1
    assert entitlement(store, uid).status == "expired"


def test_billing_retry_without_grace_removes_access(api, store, clock, stores: Stores) -> None:
    uid, start = new_uid(), clock()
    tx = sub_transaction("250", start)
    _buy(api, stores, uid, tx)
    clock.advance(days=30, minutes=1)
    body = notification(
        stores.ca,
        "DID_FAIL_TO_RENEW",
        signed_date=clock(),
        transaction=tx,
        renewal=_renewal(stores, "250", clock(), billing_retry=True),
    )
    post_apple(api, body)
    assert entitlement(store, uid).status == "billing_retry"
    assert not is_entitled(store, uid, "sync", clock())


@pytest.mark.parametrize(
    ("kind", "subtype", "status"),
    [
        ("EXPIRED", "VOLUNTARY", "expired"),
        ("GRACE_PERIOD_EXPIRED", None, "expired"),
        ("REVOKE", None, "revoked"),
        ("DID_CHANGE_RENEWAL_STATUS", "AUTO_RENEW_DISABLED", "active"),
        ("DID_CHANGE_RENEWAL_PREF", "DOWNGRADE", "active"),
        ("OFFER_REDEEMED", "UPGRADE", "active"),
        ("SUBSCRIBED", "RESUBSCRIBE", "active"),
    ],
)
def test_subscription_notifications(
    kind: str, subtype: str | None, status: str, api, store, clock, stores: Stores
) -> None:
    uid, start = new_uid(), clock()
    tx = sub_transaction("300", start)
    _buy(api, stores, uid, tx)
    clock.advance(days=1)
    if kind == "REVOKE":
        tx = {**tx, "revocationDate": int(clock().timestamp() * 1000)}
    if kind in ("EXPIRED", "GRACE_PERIOD_EXPIRED"):
        clock.advance(days=30)
    auto_renew = subtype != "AUTO_RENEW_DISABLED" and kind not in ("EXPIRED", "REVOKE")
    body = notification(
        stores.ca,
        kind,
        subtype=subtype,
        signed_date=clock(),
        transaction=tx,
        renewal=_renewal(stores, "300", clock(), auto_renew=auto_renew),
    )

    assert post_apple(api, body).json()["outcome"] == "applied"

    stored = entitlement(store, uid)
    assert stored.status == status
    assert stored.auto_renew is auto_renew
    assert is_entitled(store, uid, "sync", clock()) is (status == "active")


def test_refund_revokes_the_add_on(api, store, clock, stores: Stores) -> None:
    uid, start = new_uid(), clock()
    tx = sub_transaction("400", start)
    _buy(api, stores, uid, tx)
    clock.advance(days=3)
    refunded = {**tx, "revocationDate": int(clock().timestamp() * 1000), "revocationReason": 0}

    body = notification(stores.ca, "REFUND", signed_date=clock(), transaction=refunded)
    assert post_apple(api, body).json()["outcome"] == "applied"

    assert entitlement(store, uid).status == "refunded"
    assert not is_entitled(store, uid, "sync", clock())
    # The app replaying its old (pre-refund) transaction does not bring access back.
    replay = api.result(
        "verify_purchase",
        {"platform": "app_store", "signedTransaction": stores.ca.sign(tx)},
        uid=uid,
    )
    assert replay["entitlement"]["status"] == "refunded" and not replay["entitlement"]["active"]
    assert entitlement(store, uid).status == "refunded"


def test_refund_of_a_credit_pack_claws_credits_back(api, store, clock, stores: Stores) -> None:
    uid = new_uid()
    tx = pack_transaction("500", clock(), product_id="credits.500")
    _buy(api, stores, uid, tx)
    assert credits(store, uid) == 550
    clock.advance(days=2)
    refunded = {**tx, "revocationDate": int(clock().timestamp() * 1000), "revocationReason": 1}
    body = notification(stores.ca, "REFUND", signed_date=clock(), transaction=refunded)

    for _ in range(3):
        post_apple(api, body)

    assert credits(store, uid) == 0
    entry = store.get("ledger/appstore_500_clawback")
    assert entry["type"] == "credits_clawback" and entry["amount"] == 550
    assert store.get("purchases/appstore_500")["refundedAt"] is not None
    # The stale pre-refund transaction cannot credit again.
    status, code, _ = api.error(
        "verify_purchase",
        {"platform": "app_store", "signedTransaction": stores.ca.sign(tx)},
        uid=uid,
    )
    assert (status, code) == (400, "ERR_4210") and credits(store, uid) == 0


def test_refund_after_credits_were_spent_leaves_a_debt(api, store, clock, stores: Stores) -> None:
    from shared.ledger import EntryType, NewEntry, get_wallet, post_entries

    uid = new_uid()
    tx = pack_transaction("510", clock())
    _buy(api, stores, uid, tx)
    spend = NewEntry(id="spend_1", type=EntryType.CREDITS_SPEND, amount=60)
    store.transaction(lambda txn: post_entries(txn, uid, [spend], clock()))
    refunded = {**tx, "revocationDate": int(clock().timestamp() * 1000), "revocationReason": 0}
    post_apple(api, notification(stores.ca, "REFUND", signed_date=clock(), transaction=refunded))
    wallet = get_wallet(store, uid)
    assert (wallet.credits, wallet.debt) == (0, 60)


def test_one_time_charge_credits_a_user_found_by_account_token(
    api, store, clock, stores: Stores
) -> None:
    uid = new_uid()
    token = api.result("get_entitlements", {}, uid=uid)["appAccountToken"]
    tx = pack_transaction("600", clock(), app_account_token=token)
    body = notification(stores.ca, "ONE_TIME_CHARGE", signed_date=clock(), transaction=tx)

    assert post_apple(api, body).json()["outcome"] == "applied"
    assert credits(store, uid) == 100
    # The app reporting the same purchase later credits nothing more.
    result = api.result(
        "verify_purchase",
        {"platform": "app_store", "signedTransaction": stores.ca.sign(tx)},
        uid=uid,
    )
    assert result["alreadyApplied"] is True and credits(store, uid) == 100


def test_subscribed_before_the_app_reports_it(api, store, clock, stores: Stores) -> None:
    uid = new_uid()
    api.result("get_entitlements", {}, uid=uid)
    tx = sub_transaction("650", clock(), app_account_token=token_of(uid))
    body = notification(
        stores.ca, "SUBSCRIBED", subtype="INITIAL_BUY", signed_date=clock(), transaction=tx
    )
    assert post_apple(api, body).json()["outcome"] == "applied"
    assert is_entitled(store, uid, "sync", clock())
    assert store.get("purchases/appstore_650")["uid"] == uid


def test_unmatched_notification_is_retried_until_the_purchase_is_linked(
    api, store, clock, stores: Stores
) -> None:
    uid = new_uid()
    tx = sub_transaction("700", clock())
    renewed = sub_transaction("701", after(clock(), days=30), otid="700")
    body = notification(
        stores.ca, "DID_RENEW", signed_date=after(clock(), days=30), transaction=renewed
    )

    early = post_apple(api, body)

    assert early.status_code == 503 and early.json()["error"]["code"] == "ERR_4213"
    assert snapshot(store) == {}
    _buy(api, stores, uid, tx)
    assert post_apple(api, body).json()["outcome"] == "applied"  # Apple's retry
    assert entitlement(store, uid).expires_at == after(clock(), days=60)


@pytest.mark.parametrize("kind", ["TEST", "CONSUMPTION_REQUEST"])
def test_recorded_notifications(kind: str, api, store, clock, stores: Stores) -> None:
    uid = new_uid()
    tx = pack_transaction("800", clock())
    _buy(api, stores, uid, tx)
    before = credits(store, uid)
    body = notification(
        stores.ca,
        kind,
        signed_date=clock(),
        transaction=tx if kind != "TEST" else None,
        extra_data={"consumptionRequestReason": "UNINTENDED_PURCHASE"}
        if kind == "CONSUMPTION_REQUEST"
        else None,
    )
    assert post_apple(api, body).json()["outcome"] == "recorded"
    records = [d for p, d in snapshot(store).items() if p.startswith("store_notifications/")]
    assert len(records) == 1 and f'"type":"{kind}"' in records[0]
    assert credits(store, uid) == before


def test_five_deliveries_out_of_order_leave_the_newest_state(
    api, store, clock, stores: Stores
) -> None:
    uid, start = new_uid(), clock()
    first = sub_transaction("900", start, app_account_token=token_of(uid))
    api.result("get_entitlements", {}, uid=uid)
    t = lambda days: after(start, days=days)  # noqa: E731
    # Apple carries the appAccountToken on renewals too, so every delivery finds the user.
    second = sub_transaction("901", t(30), otid="900", app_account_token=token_of(uid))
    sequence = [
        notification(stores.ca, "SUBSCRIBED", signed_date=t(0), transaction=first),
        notification(stores.ca, "DID_RENEW", signed_date=t(30), transaction=second),
        notification(
            stores.ca,
            "DID_FAIL_TO_RENEW",
            subtype="GRACE_PERIOD",
            signed_date=t(60),
            transaction=second,
            renewal=_renewal(stores, "900", t(60), billing_retry=True, grace_period_expires=t(76)),
        ),
        notification(
            stores.ca,
            "DID_CHANGE_RENEWAL_STATUS",
            subtype="AUTO_RENEW_DISABLED",
            signed_date=t(61),
            transaction=second,
            renewal=_renewal(
                stores,
                "900",
                t(61),
                auto_renew=False,
                billing_retry=True,
                grace_period_expires=t(76),
            ),
        ),
    ]
    deliveries = [body for body in sequence for _ in range(5)]
    random.Random(4).shuffle(deliveries)
    clock.advance(days=62)

    outcomes = []
    while deliveries:  # what Apple does: deliver, and retry whatever was not accepted
        responses = [(body, post_apple(api, body)) for body in deliveries]
        outcomes += [r.json()["outcome"] for _, r in responses if r.status_code == 200]
        deliveries = [body for body, r in responses if r.status_code == 503]

    assert len(outcomes) == 20 and outcomes.count("duplicate") == 16
    assert "stale" in outcomes  # an older notification arrived after a newer one
    stored = entitlement(store, uid)
    assert stored.auto_renew is False and stored.expires_at == t(60)
    assert stored.status == "grace_period" and stored.grace_expires_at == t(76)
    records = [p for p in snapshot(store) if p.startswith("store_notifications/")]
    assert len(records) == 4


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("unknown root", "ERR_4202"),
        ("nested transaction from unknown root", "ERR_4202"),
        ("another bundle id", "ERR_4204"),
        ("another app apple id", "ERR_4204"),
        ("sandbox in production", "ERR_4205"),
        ("not json", "ERR_4211"),
        ("no signedPayload", "ERR_4211"),
        ("malformed payload", "ERR_4203"),
    ],
)
def test_bad_notifications_are_refused_and_write_nothing(
    kind: str, code: str, api, store, clock, stores: Stores
) -> None:
    tx = sub_transaction("1000", clock())
    stranger = AppleCA()
    signed = {
        "unknown root": lambda: notification(
            stranger, "DID_RENEW", signed_date=clock(), transaction=tx
        ),
        "nested transaction from unknown root": lambda: _nested_forgery(
            stores, stranger, tx, clock()
        ),
        "another bundle id": lambda: notification(
            stores.ca, "DID_RENEW", signed_date=clock(), transaction=tx, bundle_id="com.other"
        ),
        "another app apple id": lambda: notification(
            stores.ca, "DID_RENEW", signed_date=clock(), transaction=tx, app_apple_id=1
        ),
        "sandbox in production": lambda: notification(
            stores.ca,
            "DID_RENEW",
            signed_date=clock(),
            transaction={**tx, "environment": "Sandbox"},
            environment="Sandbox",
        ),
    }
    if kind == "not json":
        response = api.http.post("/apple_notifications", content=b"{nope")
    elif kind == "no signedPayload":
        response = api.http.post("/apple_notifications", json={"payload": "x"})
    elif kind == "malformed payload":
        response = post_apple(api, "x.y.z")
    else:
        response = post_apple(api, signed[kind]())
    assert response.status_code in (400, 401)
    assert response.json()["error"]["code"] == code
    assert snapshot(store) == {}


def _nested_forgery(stores: Stores, stranger: AppleCA, tx: dict, when) -> str:
    """A genuine envelope around a transaction signed by someone else."""
    import uuid

    from tests.purchases.apple_fakes import APP_APPLE_ID, BUNDLE_ID, millis

    payload = {
        "notificationType": "DID_RENEW",
        "notificationUUID": str(uuid.uuid4()),
        "version": "2.0",
        "signedDate": millis(when),
        "data": {
            "appAppleId": APP_APPLE_ID,
            "bundleId": BUNDLE_ID,
            "environment": "Production",
            "signedTransactionInfo": stranger.sign(tx),
        },
    }
    return stores.ca.sign(payload)


def test_refund_reversed_restores_the_add_on(api, store, clock, stores: Stores) -> None:
    uid, start = new_uid(), clock()
    tx = sub_transaction("1100", start)
    _buy(api, stores, uid, tx)
    clock.advance(days=1)
    refunded = {**tx, "revocationDate": int(clock().timestamp() * 1000), "revocationReason": 0}
    post_apple(api, notification(stores.ca, "REFUND", signed_date=clock(), transaction=refunded))
    assert not is_entitled(store, uid, "sync", clock())
    clock.advance(days=1)
    post_apple(api, notification(stores.ca, "REFUND_REVERSED", signed_date=clock(), transaction=tx))
    assert entitlement(store, uid).status == "active"
    assert is_entitled(store, uid, "sync", clock())
