"""Firebase Cloud Messaging, HTTP v1 API: one message per device token.

`send` POSTs `{"message": {...}}` to `{FCM_API_BASE_URL}/v1/projects/{project}/messages:send`
with an OAuth access token for the `firebase.messaging` scope: from `FCM_SERVICE_ACCOUNT_JSON`
when set (google-auth signs the assertion and exchanges it at the key's `token_uri`), from the
function's own service account (Application Default Credentials) otherwise. FCM's answer is
reduced to what a sender acts on: sent, the token is dead (UNREGISTERED, or a token FCM says is
invalid: forget it), or failed (retry another time). `send_to_devices` sends to the tokens of
a user's devices (`users/{uid}/devices/*.fcmToken`) and removes dead ones: the one way the
job notifier (`shared.jobs.notify`) and sync pokes (`shared.sync.pokes`) reach devices.
"""

import json
import logging
import threading
from collections.abc import Callable, Collection
from enum import StrEnum
from typing import Any

import google.auth
import google.auth.exceptions
import google.auth.transport.requests
import httpx
from google.oauth2 import service_account
from pydantic import SecretStr

from shared import collections, config, http, log, wiring
from shared.config import AppSettings
from shared.devices.registry import device_path
from shared.store import query
from shared.store.values import DELETE_FIELD

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
DEAD_TOKEN_CODES = frozenset({"UNREGISTERED", "INVALID_ARGUMENT"})


class FcmSettings(AppSettings):
    fcm_api_base_url: str = "https://fcm.googleapis.com"
    # A service account key (JSON) allowed to send; empty: the function's own account.
    fcm_service_account_json: SecretStr = SecretStr("")


class Delivery(StrEnum):
    SENT = "sent"
    DEAD_TOKEN = "dead_token"  # UNREGISTERED (or invalid): remove the token
    FAILED = "failed"  # anything else: nothing to do but try again later


class FcmClient:
    def __init__(self, s: FcmSettings) -> None:
        raw = s.fcm_service_account_json.get_secret_value()
        if raw:
            info = json.loads(raw)
            self._credentials = service_account.Credentials.from_service_account_info(
                info, scopes=[SCOPE]
            )
        else:
            self._credentials, _ = google.auth.default(scopes=[SCOPE])
        self._lock = threading.Lock()
        project = config.platform().firebase_project_id
        self._url = f"{s.fcm_api_base_url.rstrip('/')}/v1/projects/{project}/messages:send"
        self._http = http.client()

    def _access_token(self) -> str:
        with self._lock:
            if not self._credentials.valid:
                self._credentials.refresh(google.auth.transport.requests.Request())
            return self._credentials.token

    def send(self, message: dict[str, Any]) -> Delivery:
        """Send one v1 `message` (with its `token`); never raises."""
        try:
            headers = {"Authorization": f"Bearer {self._access_token()}"}
            response = self._http.post(self._url, headers=headers, json={"message": message})
        except (httpx.HTTPError, google.auth.exceptions.GoogleAuthError) as e:
            log.event("fcm send failed", logging.WARNING, error=repr(e))
            return Delivery.FAILED
        if response.status_code == 200:
            return Delivery.SENT
        code = _fcm_error_code(response)
        if code in DEAD_TOKEN_CODES:
            return Delivery.DEAD_TOKEN
        log.event("fcm send failed", logging.WARNING, status=response.status_code, code=code)
        return Delivery.FAILED


def _fcm_error_code(response: httpx.Response) -> str | None:
    """FcmError.errorCode from a v1 error body (details[].errorCode), else the status."""
    try:
        error = response.json()["error"]
        for detail in error.get("details") or []:
            if detail.get("@type", "").endswith("google.firebase.fcm.v1.FcmError"):
                return detail.get("errorCode")
        return error.get("status")
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def client() -> FcmClient:
    """The FCM client, built on first use (credentials are found lazily)."""
    return wiring.part("fcm", lambda: FcmClient(config.load(FcmSettings)))


def data_message(token: str, data: dict[str, str]) -> dict[str, Any]:
    """A data-only message the app handles silently: high priority on Android, a background
    (content-available) push on Apple platforms."""
    return {
        "token": token,
        "data": data,
        "android": {"priority": "HIGH"},
        "apns": {
            "headers": {"apns-push-type": "background", "apns-priority": "5"},
            "payload": {"aps": {"content-available": 1}},
        },
    }


def send_to_devices(
    uid: str, message_for: Callable[[str], dict[str, Any]], skip: Collection[str] = ()
) -> int:
    """Send `message_for(token)` to each of `uid`'s devices with a token, except those in
    `skip`; forget the tokens FCM calls dead. The number sent. Call it after a commit, never
    inside a transaction."""
    sent = 0
    for doc in wiring.store().query(query(collections.devices(uid))):
        token = doc.data.get("fcmToken")
        if doc.id in skip or not isinstance(token, str) or not token:
            continue
        delivery = client().send(message_for(token))
        sent += delivery == Delivery.SENT
        if delivery == Delivery.DEAD_TOKEN:
            _forget_token(uid, doc.id, token)
    return sent


def _forget_token(uid: str, device_id: str, token: str) -> None:
    """Remove a dead token, unless the device registered a new one meanwhile."""
    path = device_path(uid, device_id)

    def body(txn) -> None:
        device = txn.get(path)
        if device is not None and device.get("fcmToken") == token:
            txn.update(path, {"fcmToken": DELETE_FIELD})

    wiring.store().transaction(body)
    log.event("dead fcm token removed", uid=uid, deviceId=device_id)
