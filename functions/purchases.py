"""App Store and Google Play purchases: verify, entitlements, store notifications, sweep.

Each function is deployed alone and imports its area when it first runs (the request models
excepted), so no function's cold start pays for another's, and a request refused at the door
(no App Check token, invalid body) is answered before the store clients load.
"""

import flask
from cloudevents.http import CloudEvent

from shared import config
from shared.errors import AppError
from shared.models import Empty
from shared.purchases.views import EntitlementsView, PurchaseResult, VerifyPurchase
from shared.web.functions import (
    CallContext,
    callable_function,
    event_function,
    http_function,
    pubsub_message,
    scheduled_job,
)

PLAY_TOPIC = "play-notifications"


def _body(request: flask.Request) -> bytes:
    limit = config.platform().max_body_bytes
    if request.method != "POST":
        raise AppError("ERR_4010", reason="use POST")
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        raise AppError("ERR_4015", limit=limit)
    return raw


@callable_function(VerifyPurchase, app_check="enforced")
def verify_purchase(request: VerifyPurchase, ctx: CallContext) -> PurchaseResult:
    """Verify an App Store or Google Play purchase with its store and apply it, once."""
    from shared.purchases.recovery.play_recheck import watch_play_purchase
    from shared.purchases.verify import verify_purchase as verify

    result = verify(ctx.uid, request)
    watch_play_purchase(ctx.uid, request, result)  # re-checked near expiry (recovery)
    return result


@callable_function(Empty)
def get_entitlements(request: Empty, ctx: CallContext) -> EntitlementsView:
    """The caller's add-ons and the account token to attach to new purchases."""
    from shared.purchases.verify import read_entitlements

    return read_entitlements(ctx.uid)


@http_function
def apple_notifications(request: flask.Request) -> flask.Response:
    """App Store Server Notifications V2 (signed by Apple; verified before anything else)."""
    from shared.purchases.apple.notifications import handle_apple_notification

    outcome = handle_apple_notification(_body(request))
    return flask.jsonify({"outcome": outcome})


@http_function
def google_play_push(request: flask.Request) -> flask.Response:
    """Play notifications by Pub/Sub push (the OIDC token is verified before anything else)."""
    from shared.purchases.google.notifications import handle_play_push

    outcome = handle_play_push(request.headers.get("Authorization"), _body(request))
    return flask.jsonify({"outcome": outcome})


@event_function(PLAY_TOPIC)
def google_play_notifications(event: CloudEvent) -> None:
    """Play notifications from the Pub/Sub topic Google Play publishes to."""
    from shared.purchases.google.notifications import handle_play_message

    data, _ = pubsub_message(event)
    handle_play_message(data)


@scheduled_job(every_minutes=15)
def entitlement_sweep(event: CloudEvent) -> None:
    """Mark entitlements whose access ended (past expiry and grace) as expired."""
    from shared.purchases.sweep import sweep_entitlements

    sweep_entitlements()
