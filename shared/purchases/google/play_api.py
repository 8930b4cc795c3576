"""The Google Play Developer API (androidpublisher v3), as a service account.

The service account's key comes from PLAY_SERVICE_ACCOUNT_JSON; google-auth signs the JWT
assertion and exchanges it at the (configurable) token URL for an access token, refreshed when
it expires. Calls go through the shared httpx client with quick retries.
"""

import json
import logging
import threading
from typing import Any
from urllib.parse import quote

import google.auth.exceptions
import google.auth.transport.requests
import httpx
from google.oauth2 import service_account

from shared import http, log, wiring
from shared.errors import AppError
from shared.purchases.google.models import ProductPurchase, SubscriptionPurchaseV2
from shared.purchases.settings import PurchaseSettings, settings

SCOPE = "https://www.googleapis.com/auth/androidpublisher"
# Google's reason when a token was issued for another package.
WRONG_PACKAGE_REASONS = {"purchaseTokenDoesNotMatchPackage", "packageNameMismatch"}


class PlayApi:
    def __init__(self, s: PurchaseSettings) -> None:
        try:
            info = json.loads(s.play_service_account_json)
            credentials = service_account.Credentials.from_service_account_info(
                info, scopes=[SCOPE]
            )
        except (ValueError, KeyError, TypeError):
            log.event("PLAY_SERVICE_ACCOUNT_JSON is missing or invalid", logging.ERROR)
            raise AppError("ERR_6003") from None
        self._credentials = credentials.with_token_uri(s.play_token_url)
        self._lock = threading.Lock()
        self._package = quote(s.play_package_name, safe="")
        self._base = s.play_api_base_url.rstrip("/") + "/androidpublisher/v3/applications/"
        self._http = http.client()
        self._policy = s.store_retry_policy()

    def _access_token(self) -> str:
        with self._lock:
            if not self._credentials.valid:
                try:
                    self._credentials.refresh(google.auth.transport.requests.Request())
                except google.auth.exceptions.TransportError:
                    raise AppError("ERR_5102") from None
                except google.auth.exceptions.RefreshError as e:
                    log.event("Google refused the service account", logging.ERROR, error=str(e))
                    raise AppError("ERR_5104", status="token") from None
            return self._credentials.token

    def _call(self, method: str, path: str) -> dict[str, Any]:
        url = f"{self._base}{self._package}/purchases/{path}"

        def send() -> httpx.Response:
            headers = {"Authorization": f"Bearer {self._access_token()}"}
            return self._http.request(
                method, url, headers=headers, json={} if method == "POST" else None
            )

        try:
            response = http.send_with_retry(send, self._policy)
        except httpx.HTTPError:
            raise AppError("ERR_5102") from None
        return _answer(response)

    def subscription(self, purchase_token: str) -> SubscriptionPurchaseV2:
        """purchases.subscriptionsv2.get."""
        body = self._call("GET", f"subscriptionsv2/tokens/{quote(purchase_token, safe='')}")
        return SubscriptionPurchaseV2.model_validate(body)

    def product(self, product_id: str, purchase_token: str) -> ProductPurchase:
        """purchases.products.get."""
        path = f"products/{quote(product_id, safe='')}/tokens/{quote(purchase_token, safe='')}"
        return ProductPurchase.model_validate(self._call("GET", path))

    def acknowledge(self, product_id: str, purchase_token: str, *, subscription: bool) -> None:
        """purchases.subscriptions.acknowledge or purchases.products.acknowledge."""
        kind = "subscriptions" if subscription else "products"
        token = quote(purchase_token, safe="")
        self._call("POST", f"{kind}/{quote(product_id, safe='')}/tokens/{token}:acknowledge")

    def consume(self, product_id: str, purchase_token: str) -> None:
        """purchases.products.consume (which acknowledges too)."""
        token = quote(purchase_token, safe="")
        self._call("POST", f"products/{quote(product_id, safe='')}/tokens/{token}:consume")


def _reasons(response: httpx.Response) -> set[str]:
    try:
        error = response.json().get("error") or {}
        return {str(e.get("reason")) for e in error.get("errors") or []}
    except (ValueError, AttributeError):
        return set()


def _answer(response: httpx.Response) -> dict[str, Any]:
    status = response.status_code
    if status == 200:
        try:
            body = response.json() if response.content else {}
        except ValueError:
            raise AppError("ERR_5102") from None
        return body if isinstance(body, dict) else {}
    if status == 400 and _reasons(response) & WRONG_PACKAGE_REASONS:
        raise AppError("ERR_4204")
    if status in (400, 404, 410):
        raise AppError("ERR_4207")
    if status in (401, 403):
        log.event("Google Play refused our request", logging.ERROR, status=status)
        raise AppError("ERR_5104", status=status)
    raise AppError("ERR_5102")


def play_api() -> PlayApi:
    return wiring.part("play_api", lambda: PlayApi(settings()))
