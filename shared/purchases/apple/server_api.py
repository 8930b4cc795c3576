"""The App Store Server API (Get Transaction Info, Get All Subscription Statuses).

Requests are authorized as Apple's library does it: an ES256 JWT signed with the in-app
purchase key (kid), issued by the issuer id for our bundle id, audience appstoreconnect-v1.
Base URLs are configurable. In Production, a transaction Apple does not know is looked up in
the Sandbox too when APPLE_ACCEPT_SANDBOX allows it (as Apple recommends for App Review).
"""

import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from shared import http, log, wiring
from shared.errors import AppError
from shared.purchases.settings import PurchaseSettings, settings

AUDIENCE = "appstoreconnect-v1"


@dataclass(frozen=True)
class SubscriptionStatus:
    """One entry of `lastTransactions`: Apple's status code and the signed data."""

    status: int | None
    original_transaction_id: str | None
    signed_transaction_info: str
    signed_renewal_info: str | None


class AppStoreServerApi:
    def __init__(self, s: PurchaseSettings) -> None:
        if not (s.apple_api_key_id and s.apple_api_issuer_id and s.apple_api_private_key):
            raise AppError("ERR_6003")
        self._s = s
        self._http = http.client()
        self._policy = s.store_retry_policy()

    def _base_urls(self) -> list[str]:
        s = self._s
        if s.apple_environment == "Sandbox":
            return [s.apple_api_sandbox_base_url]
        sandbox = [s.apple_api_sandbox_base_url] if s.apple_accept_sandbox else []
        return [s.apple_api_base_url, *sandbox]

    def _token(self) -> str:
        now = int(time.time())
        claims = {
            "iss": self._s.apple_api_issuer_id,
            "iat": now,
            "exp": now + 300,
            "aud": AUDIENCE,
            "bid": self._s.apple_bundle_id,
            "nonce": uuid.uuid4().hex,
        }
        headers = {"kid": self._s.apple_api_key_id, "typ": "JWT"}
        return jwt.encode(claims, self._s.apple_api_private_key, algorithm="ES256", headers=headers)

    def _get(self, path: str) -> dict[str, Any]:
        for base in self._base_urls():
            response = self._send(f"{base.rstrip('/')}{path}")
            if response.status_code == 404:
                continue  # not in this environment; try the next
            if response.status_code == 400:
                raise AppError("ERR_4207")
            if response.status_code in (401, 403):
                log.event("App Store refused our credentials", logging.ERROR, status=401)
                raise AppError("ERR_5103", status=response.status_code)
            if response.status_code != 200:
                raise AppError("ERR_5101")
            try:
                return response.json()
            except ValueError:
                raise AppError("ERR_5101") from None
        raise AppError("ERR_4207")

    def _send(self, url: str) -> httpx.Response:
        def send() -> httpx.Response:
            headers = {"Authorization": f"Bearer {self._token()}", "Accept": "application/json"}
            return self._http.get(url, headers=headers)

        try:
            return http.send_with_retry(send, self._policy)
        except httpx.HTTPError:
            raise AppError("ERR_5101") from None

    def transaction_info(self, transaction_id: str) -> str:
        """The signedTransactionInfo of one transaction (GET /inApps/v1/transactions/{id})."""
        body = self._get(f"/inApps/v1/transactions/{transaction_id}")
        signed = body.get("signedTransactionInfo")
        if not isinstance(signed, str):
            raise AppError("ERR_5101")
        return signed

    def subscription_statuses(self, transaction_id: str) -> list[SubscriptionStatus]:
        """Every subscription's latest state (GET /inApps/v1/subscriptions/{id})."""
        body = self._get(f"/inApps/v1/subscriptions/{transaction_id}")
        return [
            SubscriptionStatus(
                item.get("status"),
                item.get("originalTransactionId"),
                item["signedTransactionInfo"],
                item.get("signedRenewalInfo"),
            )
            for group in body.get("data") or []
            for item in group.get("lastTransactions") or []
            if isinstance(item.get("signedTransactionInfo"), str)
        ]


def api() -> AppStoreServerApi:
    return wiring.part("apple_server_api", lambda: AppStoreServerApi(settings()))
