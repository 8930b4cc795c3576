"""Answers to Apple's CONSUMPTION_REQUEST (a customer asked for a refund of a consumable or a
subscription): Send Consumption Information, PUT /inApps/v1/transactions/consumption/{id}.

The request is recorded with the notification, in its transaction (`details.consumptionAnswer`
pending or why not); the answer goes to Apple only after that commit, since no external call
happens inside a transaction, and its outcome is written to the same record
(`consumptionAnswer`: sent, failed, skipped); a failed one is sent again by the replay job.
A redelivered notification is a duplicate and sends nothing again. What is sent is set by
APPLE_CONSUMPTION_POLICY (never | always) and APPLE_CONSUMPTION_CUSTOMER_CONSENTED: Apple
wants data only with the customer's consent.
"""

import logging
from typing import Any, Literal

import httpx

from shared import collections, config, http, log, wiring
from shared.config import AppSettings
from shared.errors import AppError
from shared.ledger import get_wallet
from shared.purchases.accounts import account_token
from shared.purchases.apple.server_api import AppStoreServerApi
from shared.purchases.events import StoreEvent, notification_path
from shared.purchases.settings import settings as purchase_settings
from shared.store import query

REQUEST = "CONSUMPTION_REQUEST"
PATH = "/inApps/v1/transactions/consumption/"


class ConsumptionSettings(AppSettings):
    apple_consumption_policy: Literal["never", "always"] = "never"
    apple_consumption_customer_consented: bool = False
    # Apple's refundPreference: 0 undeclared, 1 grant, 2 decline, 3 no preference.
    apple_consumption_refund_preference: int = 0


def settings() -> ConsumptionSettings:
    return config.load(ConsumptionSettings)


class AppStoreApi(AppStoreServerApi):
    """The App Store Server API client with calls that send a JSON body."""

    def send_json(self, method: str, path: str, body: dict[str, Any]) -> httpx.Response:
        """One authorized request to the primary environment, retried on 5xx/429."""
        url = f"{self._base_urls()[0].rstrip('/')}{path}"

        def send() -> httpx.Response:
            headers = {"Authorization": f"Bearer {self._token()}", "Accept": "application/json"}
            return self._http.request(method, url, headers=headers, json=body)

        try:
            response = http.send_with_retry(send, self._policy)
        except httpx.HTTPError:
            raise AppError("ERR_5101") from None
        if response.status_code in (401, 403):
            log.event("App Store refused our credentials", logging.ERROR, status=401)
            raise AppError("ERR_5103", status=response.status_code)
        return response


def api() -> AppStoreApi:
    return wiring.part("apple_json_api", lambda: AppStoreApi(purchase_settings()))


def note_request(event: StoreEvent) -> None:
    """Mark a consumption request in the event, so its transaction records it."""
    if event.type == REQUEST:
        policy = settings().apple_consumption_policy
        event.details["consumptionAnswer"] = "pending" if policy != "never" else "policy never"


def _consumption_status(record: dict[str, Any], uid: str) -> int:
    """0 undeclared, 1 not consumed, 2 partially, 3 fully: a credit pack against the wallet."""
    binding = wiring.store().get(f"purchases/{record.get('bindingId')}") or {}
    bought = binding.get("credits")
    if binding.get("kind") != "credits" or not bought:
        return 0
    left = get_wallet(wiring.store(), uid).credits
    return 1 if left >= bought else 3 if left == 0 else 2


def consumption_body(record: dict[str, Any], consented: bool) -> dict[str, Any]:
    """Apple's ConsumptionRequest for the transaction in `record`."""
    uid = record["uid"]
    return {
        "customerConsented": consented,
        "consumptionStatus": _consumption_status(record, uid),
        "platform": 1,  # Apple platform
        "sampleContentProvided": False,
        "deliveryStatus": 0,  # delivered and working
        "appAccountToken": account_token(uid),
        "accountTenure": 0,
        "playTime": 0,
        "lifetimeDollarsRefunded": 0,
        "lifetimeDollarsPurchased": 0,
        "userStatus": 1,  # active
        "refundPreference": settings().apple_consumption_refund_preference,
    }


def answer_request(event: StoreEvent) -> str | None:
    """After the notification committed: send the consumption data, record what happened."""
    if event.type != REQUEST or settings().apple_consumption_policy == "never":
        return None
    return send_answer(notification_path(event.notification_id))


def retry_failed_answers(limit: int = 50) -> int:
    """Send again the answers Apple could not take (the replay job calls this); how many
    went through. Apple takes answers for 12 hours after its request."""
    if settings().apple_consumption_policy == "never":
        return 0
    failed = [("consumptionAnswer.status", "==", "failed")]
    docs = wiring.store().query(query(collections.STORE_NOTIFICATIONS, failed, limit=limit))
    return sum(send_answer(doc.path) == "sent" for doc in docs)


def send_answer(path: str) -> str:
    """Send the consumption data of the request recorded at `path`; record the outcome."""
    record = wiring.store().get(path) or {}
    if not record.get("uid") or not record.get("transactionId"):
        return _record(path, "skipped: no user or transaction")
    if not settings().apple_consumption_customer_consented:
        return _record(path, "skipped: no customer consent")
    body = consumption_body(record, consented=True)
    try:
        response = api().send_json("PUT", f"{PATH}{record['transactionId']}", body)
    except AppError as e:
        log.event("consumption answer failed", logging.WARNING, code=e.code)
        return _record(path, "failed", error=e.code)
    status = "sent" if response.status_code == 202 else "failed"
    return _record(path, status, httpStatus=response.status_code, body=body)


def _record(path: str, status: str, **extra: Any) -> str:
    answer = {"status": status, "at": wiring.now(), **extra}
    wiring.store().set(path, {"consumptionAnswer": answer}, merge=True)
    return status
