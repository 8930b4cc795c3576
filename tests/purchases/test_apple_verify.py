"""verify_purchase for the App Store, end to end over HTTP against local stand-ins."""

from datetime import UTC, datetime

import pytest

from shared.purchases.entitlements import is_entitled
from tests.purchases.apple_fakes import (
    NON_CONSUMABLE,
    AppleCA,
    after,
    receipt_item,
    renewal_info,
    transaction,
)
from tests.purchases.conftest import Stores
from tests.purchases.helpers import (
    credits,
    entitlement,
    pack_transaction,
    snapshot,
    sub_transaction,
    token_of,
)
from tests.support.ids import uid as new_uid


def verify(api, uid: str, **data):
    return api.result("verify_purchase", {"platform": "app_store", **data}, uid=uid)


def test_signed_subscription_grants_the_add_on(api, store, clock, stores: Stores) -> None:
    uid = new_uid()
    jws = stores.ca.sign(sub_transaction("2000000001", clock(), app_account_token=token_of(uid)))

    result = verify(api, uid, signedTransaction=jws)

    assert result["kind"] == "add_on" and result["productId"] == "sync.monthly"
    assert result["entitlement"]["active"] is True
    assert result["entitlement"]["tier"] == "monthly"
    stored = entitlement(store, uid)
    assert stored.status == "active" and stored.auto_renew is True
    assert stored.platform == "app_store" and stored.original_transaction_id == "2000000001"
    assert is_entitled(store, uid, "sync", clock())
    assert store.get("purchases/appstore_2000000001")["uid"] == uid
    listed = api.result("get_entitlements", {}, uid=uid)
    assert listed["appAccountToken"] == token_of(uid)
    assert [e["addOn"] for e in listed["entitlements"]] == ["sync"]


def test_the_same_signed_subscription_again_is_already_applied(
    api, store, clock, stores: Stores
) -> None:
    uid = new_uid()
    jws = stores.ca.sign(sub_transaction("2000000011", clock(), app_account_token=token_of(uid)))

    first = verify(api, uid, signedTransaction=jws)
    before = snapshot(store)
    again = verify(api, uid, signedTransaction=jws)

    assert (first["alreadyApplied"], again["alreadyApplied"]) == (False, True)
    assert again["entitlement"]["active"] is True
    assert snapshot(store) == before  # nothing rewritten


def test_signed_renewal_info_sets_auto_renew(api, store, clock, stores: Stores) -> None:
    uid = new_uid()
    tx = sub_transaction("2000000002", clock())
    info = renewal_info(
        original_transaction_id="2000000002",
        product_id="sync.monthly",
        signed_date=clock(),
        auto_renew=False,
    )
    verify(api, uid, signedTransaction=stores.ca.sign(tx), signedRenewalInfo=stores.ca.sign(info))
    assert entitlement(store, uid).auto_renew is False


def test_credit_pack_credits_once(api, store, clock, stores: Stores) -> None:
    uid = new_uid()
    jws = stores.ca.sign(pack_transaction("3000000001", clock(), quantity=2))

    first = verify(api, uid, signedTransaction=jws)
    again = verify(api, uid, signedTransaction=jws)

    assert first["creditsAdded"] == 200 and first["alreadyApplied"] is False
    assert again["creditsAdded"] == 0 and again["alreadyApplied"] is True
    assert credits(store, uid) == 200
    entry = store.get("ledger/appstore_3000000001")
    assert entry["type"] == "credits_purchase" and entry["amount"] == 200


def test_lifetime_add_on_never_expires(api, store, clock, stores: Stores) -> None:
    uid = new_uid()
    tx = transaction(
        transaction_id="3500000001",
        product_id="supporter.lifetime",
        purchase_date=clock(),
        type=NON_CONSUMABLE,
    )
    verify(api, uid, signedTransaction=stores.ca.sign(tx))
    clock.advance(days=3650)
    assert is_entitled(store, uid, "supporter", clock())


def test_transaction_id_uses_the_latest_subscription_state(
    api, store, clock, stores: Stores
) -> None:
    uid = new_uid()
    start = after(clock(), days=-40)
    first = sub_transaction("4000000001", start)
    renewed = sub_transaction("4000000002", after(start, days=30), otid="4000000001")
    stores.apple_api.add(first)
    stores.apple_api.transactions["4000000002"] = renewed
    stores.apple_api.subscriptions["4000000001"].latest = renewed
    stores.apple_api.subscriptions["4000000001"].renewal = renewal_info(
        original_transaction_id="4000000001",
        product_id="sync.monthly",
        signed_date=clock(),
        auto_renew=False,
    )

    result = verify(api, uid, transactionId="4000000001")

    assert result["transactionId"] == "4000000002"
    stored = entitlement(store, uid)
    assert stored.expires_at == after(start, days=60) and stored.auto_renew is False
    assert stores.apple_api.calls == [
        "/inApps/v1/transactions/4000000001",
        "/inApps/v1/subscriptions/4000000001",
    ]


def test_unknown_transaction_id(api, store, stores: Stores) -> None:
    status, code, _ = api.error(
        "verify_purchase", {"platform": "app_store", "transactionId": "999"}, uid=new_uid()
    )
    assert (status, code) == (404, "ERR_4207")
    assert snapshot(store) == {}


def test_apple_api_down_is_an_upstream_error(api, store, stores: Stores) -> None:
    stores.apple_api.fail_next = 10
    status, code, _ = api.error(
        "verify_purchase", {"platform": "app_store", "transactionId": "1"}, uid=new_uid()
    )
    assert (status, code) == (503, "ERR_5101")
    assert snapshot(store) == {}


def test_legacy_receipt(api, store, clock, stores: Stores) -> None:
    uid = new_uid()
    start = clock()
    sub = receipt_item(
        transaction_id="5000000001",
        product_id="sync.yearly",
        purchase_date=start,
        expires_date=after(start, days=365),
    )
    pack = receipt_item(
        transaction_id="5000000002", product_id="credits.500", purchase_date=after(start, hours=-1)
    )
    stores.receipts.add(
        "receipt-1",
        [sub, pack],
        latest=[sub],
        pending_renewal=[
            {
                "original_transaction_id": "5000000001",
                "product_id": "sync.yearly",
                "auto_renew_status": "1",
            }
        ],
    )

    subscription = verify(api, uid, receipt="receipt-1")
    credit_pack = verify(api, uid, receipt="receipt-1", productId="credits.500")

    assert subscription["productId"] == "sync.yearly"
    assert entitlement(store, uid).tier == "yearly" and entitlement(store, uid).auto_renew
    assert credit_pack["creditsAdded"] == 550 and credits(store, uid) == 550
    assert stores.receipts.calls == ["/prod/verifyReceipt", "/prod/verifyReceipt"]


def test_sandbox_receipt_retried_in_the_sandbox_when_accepted(
    api, store, clock, stores: Stores, monkeypatch
) -> None:
    monkeypatch.setenv("APPLE_ACCEPT_SANDBOX", "true")
    item = receipt_item(
        transaction_id="5100000001", product_id="credits.100", purchase_date=clock()
    )
    stores.receipts.add("sandbox-receipt", [item], environment="Sandbox")
    uid = new_uid()

    assert verify(api, uid, receipt="sandbox-receipt")["creditsAdded"] == 100
    assert stores.receipts.calls == ["/prod/verifyReceipt", "/sandbox/verifyReceipt"]
    assert store.get("purchases/appstore_5100000001")["environment"] == "sandbox"


def test_transaction_bound_to_another_user_is_refused(api, store, clock, stores: Stores) -> None:
    jws = stores.ca.sign(pack_transaction("6000000001", clock()))
    owner, other = new_uid(), new_uid()
    verify(api, owner, signedTransaction=jws)
    before = snapshot(store)

    status, code, _ = api.error(
        "verify_purchase", {"platform": "app_store", "signedTransaction": jws}, uid=other
    )

    assert (status, code) == (409, "ERR_4206")
    assert snapshot(store) == before and credits(store, other) == 0


def test_app_account_token_of_another_user_is_refused(api, store, clock, stores: Stores) -> None:
    jws = stores.ca.sign(sub_transaction("6100000001", clock(), app_account_token=token_of("u1")))
    status, code, _ = api.error(
        "verify_purchase", {"platform": "app_store", "signedTransaction": jws}, uid="u2"
    )
    assert (status, code) == (409, "ERR_4206")
    assert snapshot(store) == {}


NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)


def _bad_inputs(stores: Stores) -> dict[str, tuple[dict, int, str]]:
    """kind -> (request data, http status, code)."""
    good = sub_transaction("7000000001", NOW)
    expired_leaf = stores.ca.with_leaf(
        leaf_valid=(datetime(2020, 1, 1, tzinfo=UTC), datetime(2021, 1, 1, tzinfo=UTC))
    )
    return {
        "unknown root": ({"signedTransaction": AppleCA().sign(good)}, 400, "ERR_4202"),
        "leaf without Apple's extension": (
            {"signedTransaction": stores.ca.with_leaf(leaf_oid=False).sign(good)},
            400,
            "ERR_4202",
        ),
        "expired signing certificate": (
            {"signedTransaction": expired_leaf.sign(good)},
            400,
            "ERR_4202",
        ),
        "another bundle id": (
            {"signedTransaction": stores.ca.sign({**good, "bundleId": "com.other.app"})},
            400,
            "ERR_4204",
        ),
        "sandbox in production": (
            {"signedTransaction": stores.ca.sign({**good, "environment": "Sandbox"})},
            400,
            "ERR_4205",
        ),
        "tampered payload": (
            {"signedTransaction": _tampered(stores.ca.sign(good))},
            400,
            "ERR_4202",
        ),
        "malformed": ({"signedTransaction": "not-a-jws"}, 400, "ERR_4203"),
        "malformed base64": ({"signedTransaction": "a.b.c"}, 400, "ERR_4203"),
        "expired subscription": (
            {
                "signedTransaction": stores.ca.sign(
                    sub_transaction("7000000002", after(NOW, days=-60))
                )
            },
            400,
            "ERR_4210",
        ),
        "refunded purchase": (
            {
                "signedTransaction": stores.ca.sign(
                    pack_transaction("7000000003", NOW, revocation_date=NOW, revocation_reason=0)
                )
            },
            400,
            "ERR_4210",
        ),
        "unknown product": (
            {"signedTransaction": stores.ca.sign({**good, "productId": "gems.9000"})},
            400,
            "ERR_4201",
        ),
        "two forms at once": (
            {"signedTransaction": stores.ca.sign(good), "transactionId": "1"},
            400,
            "ERR_4000",
        ),
        "play field on app_store": (
            {"purchaseToken": "x", "productId": "credits.100"},
            400,
            "ERR_4000",
        ),
        "transaction id not numeric": ({"transactionId": "12ab"}, 400, "ERR_4000"),
    }


def _tampered(jws: str) -> str:
    import base64
    import json

    header, payload, signature = jws.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["productId"] = "sync.yearly"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


BAD_KINDS = [
    "unknown root",
    "leaf without Apple's extension",
    "expired signing certificate",
    "another bundle id",
    "sandbox in production",
    "tampered payload",
    "malformed",
    "malformed base64",
    "expired subscription",
    "refunded purchase",
    "unknown product",
    "two forms at once",
    "play field on app_store",
    "transaction id not numeric",
]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_signed_input_is_refused_and_writes_nothing(
    kind: str, api, store, clock, stores: Stores
) -> None:
    data, http_status, code = _bad_inputs(stores)[kind]
    status, got, _ = api.error("verify_purchase", {"platform": "app_store", **data}, uid=new_uid())
    assert (status, got) == (http_status, code)
    assert snapshot(store) == {}


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("unknown product in receipt", "ERR_4201"),
        ("product not in receipt", "ERR_4207"),
        ("invalid receipt", "ERR_4208"),
        ("sandbox receipt in production", "ERR_4205"),
        ("another app's receipt", "ERR_4204"),
    ],
)
def test_bad_receipts_are_refused_and_write_nothing(
    kind: str, code: str, api, store, clock, stores: Stores
) -> None:
    item = receipt_item(transaction_id="8000000001", product_id="gems.9000", purchase_date=clock())
    known = receipt_item(
        transaction_id="8000000002", product_id="credits.100", purchase_date=clock()
    )
    stores.receipts.add("unknown", [item])
    stores.receipts.add("sandbox", [known], environment="Sandbox")
    stores.receipts.add("other-app", [known], bundle_id="com.other.app")
    data = {
        "unknown product in receipt": {"receipt": "unknown"},
        "product not in receipt": {"receipt": "unknown", "productId": "credits.100"},
        "invalid receipt": {"receipt": "garbage"},
        "sandbox receipt in production": {"receipt": "sandbox"},
        "another app's receipt": {"receipt": "other-app"},
    }[kind]
    _, got, _ = api.error("verify_purchase", {"platform": "app_store", **data}, uid=new_uid())
    assert got == code
    assert snapshot(store) == {}
