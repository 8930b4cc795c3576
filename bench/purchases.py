"""Purchase scenarios: verify_purchase latency against local store stand-ins, and store
notifications processed per second with their store reads and writes."""

import json
import tempfile
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import Bench, scenario
from shared import wiring
from tests.purchases.apple_fakes import (
    APP_APPLE_ID,
    AUTO_RENEWABLE,
    BUNDLE_ID,
    CONSUMABLE,
    AppleApiServer,
    AppleCA,
    new_api_key,
    notification,
    transaction,
)
from tests.purchases.play_fakes import (
    PACKAGE,
    OAuthServer,
    OidcSigner,
    PlayServer,
    ServiceAccount,
    developer_notification,
    product_purchase,
    push_body,
    subscription_purchase,
)
from tests.support.servers import serve_wsgi

AUDIENCE, PUSH_ACCOUNT = "https://bench.test/google_play_push", "push@bench.iam.test"


def _stand_ins(bench: Bench, stack: ExitStack, tmp: Path) -> dict:
    ca = AppleCA()
    (tmp / "root.cer").write_bytes(ca.root_der)
    key_pem, public_key = new_api_key()
    apple_api = AppleApiServer(ca, public_key, "BENCHKEY", "bench-issuer", wiring.now)
    account = ServiceAccount.new()
    oauth = OAuthServer(account)
    play = PlayServer(oauth)
    oidc = OidcSigner.new()
    apple_url = stack.enter_context(serve_wsgi(apple_api))
    oauth_url = stack.enter_context(serve_wsgi(oauth))
    play_url = stack.enter_context(serve_wsgi(play))
    certs_url = stack.enter_context(serve_wsgi(oidc.certs_app()))
    bench.configure(
        apple_bundle_id=BUNDLE_ID,
        apple_app_apple_id=str(APP_APPLE_ID),
        apple_root_certificates=str(tmp / "root.cer"),
        apple_api_base_url=apple_url,
        apple_api_key_id="BENCHKEY",
        apple_api_issuer_id="bench-issuer",
        apple_api_private_key=key_pem,
        play_package_name=PACKAGE,
        play_service_account_json=json.dumps(account.info("https://unused.test")),
        play_api_base_url=play_url,
        play_token_url=f"{oauth_url}/token",
        pubsub_push_audience=AUDIENCE,
        pubsub_push_service_account=PUSH_ACCOUNT,
        pubsub_certs_url=f"{certs_url}/certs",
    )
    return {"ca": ca, "apple_api": apple_api, "play": play, "oidc": oidc}


def _pack(tid: str, when: datetime) -> dict:
    return transaction(
        transaction_id=tid, product_id="credits.100", purchase_date=when, type=CONSUMABLE
    )


def _sub(tid: str, start: datetime, otid: str | None = None) -> dict:
    return transaction(
        transaction_id=tid,
        original_transaction_id=otid,
        product_id="sync.monthly",
        purchase_date=start,
        expires_date=start + timedelta(days=30),
        type=AUTO_RENEWABLE,
    )


@scenario("purchases")
def run(bench: Bench) -> None:
    """verify_purchase p50/p95 per kind; notifications per second, reads/writes each."""
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="bench-purchases-") as tmp:
        s = _stand_ins(bench, stack, Path(tmp))
        ca, now = s["ca"], datetime.now(UTC)
        tokens: dict[str, str] = {}

        def call(name: str, data: dict, uid: str) -> dict:
            # ID tokens are signed ahead (client-side RSA signing would dominate the timings).
            token = tokens.get(uid) or bench.api.token(uid)
            return bench.api.result(name, data, token=token)

        for prefix, count in (("u", 1800), ("t", 400), ("p", 400)):
            tokens.update({f"{prefix}{i}": bench.api.token(f"{prefix}{i}") for i in range(count)})

        packs = [ca.sign(_pack(f"1{i:08d}", now)) for i in range(1800)]

        def verify_jws(i: int) -> None:
            jws = packs[i] if i < len(packs) else ca.sign(_pack(f"1{i:08d}", now))
            call(
                "verify_purchase", {"platform": "app_store", "signedTransaction": jws}, uid=f"u{i}"
            )

        call("health", {}, uid="warm")
        verify_jws(99_999_999)  # warm certificate and verifier caches
        bench.measure("verify_purchase app_store JWS (pack)", 1, 200, verify_jws)
        bench.measure(
            "verify_purchase app_store JWS (pack)", 8, 800, lambda i: verify_jws(i + 1000)
        )

        for i in range(400):
            s["apple_api"].add(_sub(f"2{i:08d}", now))

        def verify_tid(i: int) -> None:
            data = {"platform": "app_store", "transactionId": f"2{i:08d}"}
            call("verify_purchase", data, uid=f"t{i}")

        bench.measure("verify_purchase app_store transactionId", 8, 400, verify_tid)

        for i in range(400):
            body = product_purchase(purchased_at=now, order_id=f"GPA.{i:04d}-0000-0000-00000")
            s["play"].add_product(f"pack-{i}", "credits.100", body)

        def verify_play(i: int) -> None:
            data = {
                "platform": "play_store",
                "purchaseToken": f"pack-{i}",
                "productId": "credits.100",
            }
            call("verify_purchase", data, uid=f"p{i}")

        bench.measure("verify_purchase play_store (pack + ack)", 8, 400, verify_play)

        # Notifications: each renews a subscription its user already bought.
        for i in range(600):
            tx = _sub(f"3{i:08d}", now)
            call(
                "verify_purchase",
                {"platform": "app_store", "signedTransaction": ca.sign(tx)},
                uid=f"n{i}",
            )
        renewals = [
            notification(
                ca,
                "DID_RENEW",
                signed_date=now + timedelta(days=30),
                transaction=_sub(f"4{i:08d}", now + timedelta(days=30), otid=f"3{i:08d}"),
            )
            for i in range(600)
        ]
        post = bench.api.http.post

        def apple(i: int) -> None:
            response = post("/apple_notifications", json={"signedPayload": renewals[i]})
            assert response.json()["outcome"] == "applied"

        bench.measure("apple_notifications DID_RENEW", 8, 600, apple)
        bench.measure(
            "apple_notifications duplicate",
            8,
            600,
            lambda i: post("/apple_notifications", json={"signedPayload": renewals[i]}),
        )

        for i in range(400):
            body = subscription_purchase(
                product_id="sync.monthly", start=now, expiry=now + timedelta(days=30)
            )
            s["play"].add_subscription(f"sub-{i}", body)
            data = {
                "platform": "play_store",
                "purchaseToken": f"sub-{i}",
                "productId": "sync.monthly",
            }
            call("verify_purchase", data, uid=f"g{i}")
        messages = [
            push_body(
                developer_notification(
                    subscriptionNotification={
                        "notificationType": 2,
                        "purchaseToken": f"sub-{i}",
                        "subscriptionId": "sync.monthly",
                    }
                )
            )
            for i in range(400)
        ]
        oidc_token = s["oidc"].token(AUDIENCE, PUSH_ACCOUNT)
        headers = {"Authorization": f"Bearer {oidc_token}", "Content-Type": "application/json"}

        def play(i: int) -> None:
            response = post("/google_play_push", content=messages[i], headers=headers)
            assert response.json()["outcome"] == "applied"

        bench.measure("google_play_push RENEWED (re-fetch)", 8, 400, play)
