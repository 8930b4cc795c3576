"""Apple's Get Notification History, replayed through the notification handler.

POST /inApps/v1/notifications/history?paginationToken=... with {startDate, endDate} in
milliseconds, authorized by the same ES256 JWT as every App Store Server API call. Each
signedPayload goes through `handle_apple_notification`, so it is verified and applied exactly
as if Apple had delivered it (a notification already applied answers "duplicate").
"""

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from shared import log, wiring
from shared.errors import AppError
from shared.purchases.apple.consumption import AppStoreApi
from shared.purchases.apple.notifications import handle_apple_notification
from shared.purchases.settings import settings as purchase_settings

# Upstream or system failures stop the replay at the last finished page.
UPSTREAM = ("ERR_5", "ERR_6")


@dataclass(frozen=True)
class HistoryPage:
    signed_payloads: list[str]
    next_token: str | None  # None: this was the last page


class AppStoreHistoryApi(AppStoreApi):
    """The App Store Server API client with Get Notification History."""

    def notification_history(
        self, start: datetime, end: datetime, token: str | None
    ) -> HistoryPage:
        """One page of the notifications Apple sent (or tried to send) in [start, end)."""
        path = "/inApps/v1/notifications/history"
        if token:
            path += f"?paginationToken={token}"
        body = {"startDate": _millis(start), "endDate": _millis(end)}
        response = self.send_json("POST", path, body)
        if response.status_code != 200:
            raise AppError("ERR_5101")
        try:
            answer = response.json()
        except ValueError:
            raise AppError("ERR_5101") from None
        payloads = [
            item["signedPayload"]
            for item in answer.get("notificationHistory") or []
            if isinstance(item.get("signedPayload"), str)
        ]
        more = bool(answer.get("hasMore")) and answer.get("paginationToken")
        return HistoryPage(payloads, answer["paginationToken"] if more else None)


def _millis(when: datetime) -> int:
    return int(when.timestamp() * 1000)


def history_api() -> AppStoreHistoryApi:
    return wiring.part("apple_history_api", lambda: AppStoreHistoryApi(purchase_settings()))


def apple_configured() -> bool:
    s = purchase_settings()
    return bool(s.apple_api_key_id and s.apple_api_issuer_id and s.apple_api_private_key)


def replay_notification(signed_payload: str) -> str:
    """Apply one notification from the history; its outcome, or why it could not apply."""
    body = json.dumps({"signedPayload": signed_payload}).encode()
    try:
        return handle_apple_notification(body)
    except AppError as e:
        if e.code.startswith(UPSTREAM):
            raise  # the store or the database is in trouble: the next run retries this page
        if e.code == "ERR_4213":
            return "unknown user"  # Apple keeps retrying the delivery itself
        log.event("replayed App Store notification refused", logging.WARNING, code=e.code)
        return f"refused {e.code}"
