"""Settings of App Store and Google Play purchases (documented in .env.example)."""

import uuid
from typing import Literal

from pydantic import Field

from shared import http
from shared.config import AppSettings, load
from shared.purchases.catalog import DEFAULT_PRODUCTS

AppleEnvironment = Literal["Production", "Sandbox", "Xcode", "LocalTesting"]


class PurchaseSettings(AppSettings):
    """App Store and Google Play settings; every external base URL is configurable."""

    purchase_products: str = DEFAULT_PRODUCTS
    # The app derives appAccountToken / obfuscatedAccountId as uuid5(namespace, uid).
    app_account_namespace: uuid.UUID = uuid.UUID("6f1c2a4e-9d8b-4c1e-a0f3-2b7d5e8c9a10")

    apple_bundle_id: str = "com.example.app"
    apple_app_apple_id: int | None = None
    apple_environment: AppleEnvironment = "Production"
    # In Production, also accept Sandbox purchases (App Review buys in the sandbox).
    apple_accept_sandbox: bool = False
    # Comma-separated paths of Apple's root certificates (DER .cer or PEM).
    apple_root_certificates: str = ""
    # Apple's online revocation (OCSP) checks of the signing chain, as of now rather than the
    # data's signedDate: auto turns them on when APP_ENV=prod only.
    apple_online_checks: Literal["auto", "on", "off"] = "auto"
    apple_api_base_url: str = "https://api.storekit.apple.com"
    apple_api_sandbox_base_url: str = "https://api.storekit-sandbox.apple.com"
    apple_api_key_id: str = ""
    apple_api_issuer_id: str = ""
    apple_api_private_key: str = Field(default="", repr=False)
    apple_shared_secret: str = Field(default="", repr=False)
    apple_verify_receipt_url: str = "https://buy.itunes.apple.com/verifyReceipt"
    apple_verify_receipt_sandbox_url: str = "https://sandbox.itunes.apple.com/verifyReceipt"

    play_package_name: str = "com.example.app"
    play_service_account_json: str = Field(default="", repr=False)
    play_api_base_url: str = "https://androidpublisher.googleapis.com"
    play_token_url: str = "https://oauth2.googleapis.com/token"
    # Accept purchases by license testers (Play's test purchases) as sandbox purchases.
    play_accept_test_purchases: bool = False
    # Who consumes a Play credit pack once it is credited (Play sells a consumable again only
    # after that): server (we call purchases.products.consume) or app (BillingClient.consume).
    play_consume_credit_packs: Literal["server", "app"] = "server"

    pubsub_push_audience: str = ""
    pubsub_push_service_account: str = ""
    pubsub_certs_url: str = "https://www.googleapis.com/oauth2/v1/certs"

    # Upstream retries while an app waits: a few quick attempts, not minutes of backoff.
    store_http_retries: int = 2
    store_http_retry_initial_seconds: float = 0.2

    def apple_online_checks_on(self, app_env: str) -> bool:
        if self.apple_online_checks == "auto":
            return app_env == "prod"
        return self.apple_online_checks == "on"

    def store_retry_policy(self) -> http.RetryPolicy:
        """Backoff for calls to Apple's and Google's APIs."""
        return http.RetryPolicy(
            retries=self.store_http_retries,
            initial=self.store_http_retry_initial_seconds,
            maximum=2.0,
            jitter=0.1,
        )


def settings() -> PurchaseSettings:
    return load(PurchaseSettings)
