"""Purchase fixtures: Apple's signing chain and Google's keys generated per session, local
stand-ins for every store endpoint, and settings pointing at them."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from shared import config, wiring
from tests.purchases.apple_fakes import (
    APP_APPLE_ID,
    BUNDLE_ID,
    AppleApiServer,
    AppleCA,
    ReceiptServer,
    new_api_key,
)
from tests.purchases.play_fakes import (
    PACKAGE,
    OAuthServer,
    OidcSigner,
    PlayServer,
    ServiceAccount,
)
from tests.support.servers import serve_wsgi

SHARED_SECRET = "test-shared-secret"
PUSH_AUDIENCE = "https://example.test/google_play_push"
PUSH_ACCOUNT = "pubsub-push@demo-test.iam.gserviceaccount.com"


@dataclass
class Stores:
    """Every stand-in, its URL, and the keys behind them."""

    ca: AppleCA
    apple_api: AppleApiServer
    apple_api_url: str
    receipts: ReceiptServer
    receipts_url: str
    account: ServiceAccount
    oauth: OAuthServer
    oauth_url: str
    play: PlayServer
    play_url: str
    oidc: OidcSigner
    oidc_certs_url: str
    root_path: Path
    api_key_pem: str


@pytest.fixture(scope="session")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stores]:
    ca = AppleCA()
    root_path = tmp_path_factory.mktemp("apple") / "AppleRootCA-G3.cer"
    root_path.write_bytes(ca.root_der)
    key_pem, public_key = new_api_key()
    apple_api = AppleApiServer(ca, public_key, "KEY123ABCD", "issuer-uuid", wiring.now)
    receipts = ReceiptServer(SHARED_SECRET)
    account = ServiceAccount.new()
    oauth = OAuthServer(account)
    play = PlayServer(oauth)
    oidc = OidcSigner.new()
    with (
        serve_wsgi(apple_api) as apple_api_url,
        serve_wsgi(receipts) as receipts_url,
        serve_wsgi(oauth) as oauth_url,
        serve_wsgi(play) as play_url,
        serve_wsgi(oidc.certs_app()) as oidc_url,
    ):
        yield Stores(
            ca,
            apple_api,
            apple_api_url,
            receipts,
            receipts_url,
            account,
            oauth,
            oauth_url,
            play,
            play_url,
            oidc,
            f"{oidc_url}/oauth2/v1/certs",
            root_path,
            key_pem,
        )


@pytest.fixture(autouse=True)
def purchase_settings(
    app_env: None, stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Settings pointing at the stand-ins; their state emptied for each test."""
    env = {
        "APPLE_BUNDLE_ID": BUNDLE_ID,
        "APPLE_APP_APPLE_ID": str(APP_APPLE_ID),
        "APPLE_ENVIRONMENT": "Production",
        "APPLE_ACCEPT_SANDBOX": "false",
        "APPLE_ROOT_CERTIFICATES": str(stores.root_path),
        "APPLE_API_BASE_URL": stores.apple_api_url,
        "APPLE_API_SANDBOX_BASE_URL": stores.apple_api_url + "/sandbox",
        "APPLE_API_KEY_ID": stores.apple_api.key_id,
        "APPLE_API_ISSUER_ID": stores.apple_api.issuer_id,
        "APPLE_API_PRIVATE_KEY": stores.api_key_pem,
        "APPLE_SHARED_SECRET": SHARED_SECRET,
        "APPLE_VERIFY_RECEIPT_URL": f"{stores.receipts_url}/prod/verifyReceipt",
        "APPLE_VERIFY_RECEIPT_SANDBOX_URL": f"{stores.receipts_url}/sandbox/verifyReceipt",
        "PLAY_PACKAGE_NAME": PACKAGE,
        "PLAY_SERVICE_ACCOUNT_JSON": json.dumps(stores.account.info("https://unused.test")),
        "PLAY_API_BASE_URL": stores.play_url,
        "PLAY_TOKEN_URL": f"{stores.oauth_url}/token",
        "PUBSUB_PUSH_AUDIENCE": PUSH_AUDIENCE,
        "PUBSUB_PUSH_SERVICE_ACCOUNT": PUSH_ACCOUNT,
        "PUBSUB_CERTS_URL": stores.oidc_certs_url,
        "STORE_HTTP_RETRY_INITIAL_SECONDS": "0.01",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config.reset()
    for stand_in in (stores.apple_api, stores.receipts, stores.play):
        stand_in.reset()
    yield
