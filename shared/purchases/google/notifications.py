"""Google Play real-time developer notifications: re-fetch, then apply once.

A notification only says that something changed; the purchase is always fetched again from
the Play Developer API and that answer is applied. Each message is recorded under a digest of
its content (`store_notifications/play_<digest>`) in the transaction of its effect, so a
redelivery, or the same message by both the topic and the push endpoint, applies once.
A message for another package is ignored and logged, and writes nothing.
"""

import base64
import binascii
import hashlib
import logging
from datetime import UTC, datetime

from pydantic import ValidationError

from shared import log, wiring
from shared.errors import AppError
from shared.purchases import catalog, claims
from shared.purchases.entitlements import EntitlementStatus
from shared.purchases.events import StoreEvent, apply_store_event, notification_path
from shared.purchases.google.models import (
    DeveloperNotification,
    OneTimeProductNotification,
    PushEnvelope,
    SubscriptionNotification,
    VoidedPurchaseNotification,
)
from shared.purchases.google.play_api import play_api
from shared.purchases.google.pubsub import verify_push
from shared.purchases.google.purchases import purchase_from_product, purchase_from_subscription
from shared.purchases.grants import binding_path
from shared.purchases.purchase import token_digest
from shared.purchases.settings import settings
from shared.purchases.verify import acknowledge

SUBSCRIPTION_TYPES = {
    1: "SUBSCRIPTION_RECOVERED",
    2: "SUBSCRIPTION_RENEWED",
    3: "SUBSCRIPTION_CANCELED",
    4: "SUBSCRIPTION_PURCHASED",
    5: "SUBSCRIPTION_ON_HOLD",
    6: "SUBSCRIPTION_IN_GRACE_PERIOD",
    7: "SUBSCRIPTION_RESTARTED",
    8: "SUBSCRIPTION_PRICE_CHANGE_CONFIRMED",
    9: "SUBSCRIPTION_DEFERRED",
    10: "SUBSCRIPTION_PAUSED",
    11: "SUBSCRIPTION_PAUSE_SCHEDULE_CHANGED",
    12: "SUBSCRIPTION_REVOKED",
    13: "SUBSCRIPTION_EXPIRED",
    17: "SUBSCRIPTION_ITEMS_CHANGED",
    18: "SUBSCRIPTION_CANCELLATION_SCHEDULED",
    19: "SUBSCRIPTION_PRICE_CHANGE_UPDATED",
    20: "SUBSCRIPTION_PENDING_PURCHASE_CANCELED",
    22: "SUBSCRIPTION_PRICE_STEP_UP_CONSENT_UPDATED",
}
ONE_TIME_TYPES = {1: "ONE_TIME_PRODUCT_PURCHASED", 2: "ONE_TIME_PRODUCT_CANCELED"}
REVOKED = 12
# The purchase is not ours to apply (another app, unknown token, test purchase, bad data).
NOT_APPLICABLE = {"ERR_4203", "ERR_4204", "ERR_4205", "ERR_4207"}


def _parse(data: bytes) -> DeveloperNotification | None:
    try:
        return DeveloperNotification.model_validate_json(data)
    except ValidationError as e:
        log.event("Play notification malformed; dropped", logging.WARNING, error=str(e)[:300])
        return None


def _notification_id(data: bytes) -> str:
    return f"play_{hashlib.sha256(data).hexdigest()[:40]}"


def _event(notification: DeveloperNotification, data: bytes, kind: str) -> StoreEvent:
    millis = notification.event_time_millis
    return StoreEvent(
        notification_id=_notification_id(data),
        platform="play_store",
        type=kind,
        signed_at=datetime.fromtimestamp(millis / 1000, UTC) if millis else None,
    )


def _subscription(n: SubscriptionNotification, event: StoreEvent) -> None:
    sub = play_api().subscription(n.purchase_token)
    status = EntitlementStatus.REVOKED if n.notification_type == REVOKED else None
    product_id = (
        n.subscription_id
        if any(i.product_id == n.subscription_id for i in sub.line_items)
        else None
    )
    event.purchase = purchase_from_subscription(
        sub, n.purchase_token, product_id, wiring.now(), status
    )


def _one_time(n: OneTimeProductNotification, event: StoreEvent) -> None:
    product = play_api().product(n.sku, n.purchase_token)
    event.purchase = purchase_from_product(product, n.purchase_token, n.sku, wiring.now())
    event.grants_credits = n.notification_type == 1


def _voided(n: VoidedPurchaseNotification, event: StoreEvent) -> None:
    if n.product_type == 1:
        sub = play_api().subscription(n.purchase_token)
        event.purchase = purchase_from_subscription(
            sub, n.purchase_token, None, wiring.now(), EntitlementStatus.REFUNDED
        )
        return
    # The product id is not in the notification: the binding remembers it.
    bound = wiring.store().get(binding_path(f"play_{token_digest(n.purchase_token)}"))
    if bound is None:
        event.details["reason"] = "no purchase bound to this token"
        return
    fetched = play_api().product(bound["productId"], n.purchase_token)
    purchase = purchase_from_product(fetched, n.purchase_token, bound["productId"], wiring.now())
    if purchase.status != EntitlementStatus.REFUNDED:
        # Only claw back what Google confirms is no longer purchased.
        event.details["reason"] = "Play still reports the purchase as purchased"
        log.event("voided purchase still purchased at Play", logging.WARNING)
        return
    event.purchase = purchase


def read_play_notification(notification: DeveloperNotification, data: bytes) -> StoreEvent:
    """The notification as an event to apply, with the purchase re-fetched from Play."""
    if n := notification.subscription_notification:
        event = _event(
            notification,
            data,
            SUBSCRIPTION_TYPES.get(n.notification_type, f"SUBSCRIPTION_{n.notification_type}"),
        )
        _subscription(n, event)
    elif n := notification.one_time_product_notification:
        event = _event(
            notification,
            data,
            ONE_TIME_TYPES.get(n.notification_type, f"ONE_TIME_{n.notification_type}"),
        )
        _one_time(n, event)
    elif n := notification.voided_purchase_notification:
        event = _event(notification, data, "VOIDED_PURCHASE")
        event.details = {"refundType": n.refund_type, "orderId": n.order_id}
        _voided(n, event)
    else:
        return _event(
            notification, data, "TEST" if notification.test_notification is not None else "UNKNOWN"
        )
    if event.purchase is not None:
        event.product = catalog.find_product(event.purchase.product_id)
    return event


def handle_play_message(data: bytes) -> str:
    """Apply one Play notification (the data of a Pub/Sub message); return the outcome."""
    notification = _parse(data)
    if notification is None:
        return "malformed"
    if notification.package_name != settings().play_package_name:
        log.event(
            "Play notification for another package; ignored",
            logging.WARNING,
            packageName=notification.package_name,
        )
        return "ignored"
    if wiring.store().get(notification_path(_notification_id(data))) is not None:
        return "duplicate"  # spares a Play API call; the transaction checks again
    try:
        event = read_play_notification(notification, data)
    except AppError as e:
        if e.code not in NOT_APPLICABLE:
            raise  # upstream trouble: let Pub/Sub redeliver
        log.event("Play notification not applicable", logging.WARNING, code=e.code)
        return "ignored"
    now = wiring.now()
    with claims.publishing():
        outcome = wiring.store().transaction(lambda txn: apply_store_event(txn, event, now))
    if outcome in ("applied", "stale") and _in_good_standing(event):
        acknowledge(event.purchase, event.product)  # type: ignore[arg-type]
    log.event(
        "Play notification", type=event.type, outcome=outcome, notificationId=event.notification_id
    )
    return outcome


def _in_good_standing(event: StoreEvent) -> bool:
    purchase = event.purchase
    return (
        purchase is not None
        and event.product is not None
        and purchase.status in (EntitlementStatus.ACTIVE, EntitlementStatus.GRACE_PERIOD)
    )


def message_data(envelope_body: bytes) -> bytes:
    """The data of a Pub/Sub push request body (base64 inside `message.data`)."""
    try:
        envelope = PushEnvelope.model_validate_json(envelope_body)
        return base64.b64decode(envelope.message.data, validate=True)
    except (ValidationError, binascii.Error):
        raise AppError("ERR_4211", reason="not a Pub/Sub push message") from None


def handle_play_push(authorization: str | None, body: bytes) -> str:
    """A Pub/Sub push request: authenticate its OIDC token first, then apply the message."""
    verify_push(authorization)
    return handle_play_message(message_data(body))
