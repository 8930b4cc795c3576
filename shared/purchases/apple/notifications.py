"""App Store Server Notifications V2: verify, then apply once per notificationUUID.

The signedPayload and the signed transaction and renewal info inside it are each verified with
Apple's library before anything is read. The state written is ordered by the notification's
signedDate (`sourceTime`), so a late or repeated older notification never overwrites newer
state. The user is the one the purchase is bound to, or the one its appAccountToken names.
"""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, ValidationError

from shared import log, wiring
from shared.errors import AppError
from shared.purchases import claims
from shared.purchases.apple import MAX_JWS_LENGTH, consumption
from shared.purchases.apple.signed_data import (
    verify_notification,
    verify_renewal_info,
    verify_transaction,
)
from shared.purchases.apple.transactions import from_millis, purchase_from_transaction
from shared.purchases.catalog import find_product
from shared.purchases.events import StoreEvent, apply_store_event

# Only these credit a credit pack (a consumable bought, e.g. while the app was not running).
CREDITING = {"ONE_TIME_CHARGE"}
# Noted, never applied: Apple asks for consumption data, or declined a refund request.
RECORD_ONLY = {"CONSUMPTION_REQUEST", "REFUND_DECLINED"}


class NotificationBody(BaseModel):
    """The POST body Apple sends."""

    model_config = ConfigDict(extra="ignore")

    signedPayload: str


def parse_body(raw: bytes) -> str:
    """The signedPayload of Apple's request body; ERR_4211 if there is none."""
    try:
        body = NotificationBody.model_validate_json(raw)
    except ValidationError:
        raise AppError("ERR_4211", reason='expected {"signedPayload": "..."}') from None
    if not body.signedPayload or len(body.signedPayload) > 4 * MAX_JWS_LENGTH:
        raise AppError("ERR_4211", reason="signedPayload is empty or too long")
    return body.signedPayload


def read_notification(signed_payload: str, now: datetime) -> StoreEvent:
    """The verified notification as an event to apply (every JWS in it verified)."""
    payload, verifier = verify_notification(signed_payload)
    kind, subtype = payload.rawNotificationType or "UNKNOWN", payload.rawSubtype
    if not payload.notificationUUID:
        raise AppError("ERR_4211", reason="no notificationUUID")
    signed_at = from_millis(payload.signedDate) or now
    event = StoreEvent(
        notification_id=f"appstore_{payload.notificationUUID}",
        platform="app_store",
        type=kind,
        subtype=subtype,
        signed_at=signed_at,
        effect="record" if kind in RECORD_ONLY else "apply",
        grants_credits=kind in CREDITING,
    )
    data = payload.data
    if data is None or not data.signedTransactionInfo:
        return event  # TEST, summaries, external purchase tokens: recorded only
    transaction = verify_transaction(data.signedTransactionInfo, verifier)
    renewal = None
    if data.signedRenewalInfo:
        renewal = verify_renewal_info(data.signedRenewalInfo, verifier)
    event.purchase = purchase_from_transaction(
        transaction,
        renewal,
        source_time=signed_at,
        now=now,
        notification_type=kind,
        subtype=subtype,
    )
    event.product = find_product(event.purchase.product_id)
    if data.rawConsumptionRequestReason:
        event.details["consumptionRequestReason"] = data.rawConsumptionRequestReason
    return event


def handle_apple_notification(raw_body: bytes) -> str:
    """Verify and apply one notification; return its outcome (duplicate, applied, ...)."""
    now = wiring.now()
    event = read_notification(parse_body(raw_body), now)
    consumption.note_request(event)  # recorded with the event, in its transaction
    with claims.publishing():
        outcome = wiring.store().transaction(lambda txn: apply_store_event(txn, event, now))
    if outcome != "duplicate":
        consumption.answer_request(event)  # Apple's API only after the commit
    log.event(
        "App Store notification",
        type=event.type,
        subtype=event.subtype,
        outcome=outcome,
        notificationId=event.notification_id,
    )
    return outcome
