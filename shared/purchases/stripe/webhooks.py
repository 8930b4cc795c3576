"""Stripe webhooks: verify the signature first, then apply each event once.

Every handler records `stripe_events/{id}` in the transaction of its effect, so a duplicate
delivery is a no-op; fulfilment is also keyed by the PaymentIntent (ledger entry
`stripe_<pi>`), so the same payment under two event ids credits once. A failure raises, the
function answers 5xx and Stripe retries; an event type we do not handle is recorded and
answered 2xx so Stripe stops sending it.
"""

from collections.abc import Callable

import stripe
from pydantic import ValidationError

from shared import log
from shared.errors import AppError
from shared.models import WireModel
from shared.purchases import claims
from shared.purchases.stripe import client, events
from shared.purchases.stripe.catalog import sync_catalog
from shared.purchases.stripe.invoices import sync_invoice
from shared.purchases.stripe.linking import for_deleted_account, link_event_customer
from shared.purchases.stripe.objects import StripeEvent
from shared.purchases.stripe.payments import (
    claw_back_dispute,
    claw_back_refund,
    credit_payment,
    record_payment,
    settle_dispute,
)
from shared.purchases.stripe.settings import settings
from shared.purchases.stripe.subscriptions import complete_checkout, sync_subscription

Handler = Callable[[StripeEvent], str]

HANDLERS: dict[str, Handler] = {
    "payment_intent.succeeded": credit_payment,
    "payment_intent.payment_failed": record_payment,
    "payment_intent.canceled": record_payment,
    "checkout.session.completed": complete_checkout,
    "customer.subscription.created": sync_subscription,
    "customer.subscription.updated": sync_subscription,
    "customer.subscription.deleted": sync_subscription,
    "invoice.paid": sync_invoice,
    "invoice.payment_succeeded": sync_invoice,
    "invoice.payment_failed": sync_invoice,
    "charge.refunded": claw_back_refund,
    "charge.dispute.created": claw_back_dispute,
    "charge.dispute.closed": settle_dispute,
}
HANDLERS |= {
    f"{kind}.{change}": sync_catalog
    for kind in ("product", "price")
    for change in ("created", "updated", "deleted")
}


class WebhookReceipt(WireModel):
    received: bool = True
    event_id: str
    type: str
    outcome: str


def verify_event(payload: bytes, signature: str | None) -> StripeEvent:
    """The event, if Stripe signed it within the tolerance; ERR_4302/4303/4307 otherwise."""
    s = settings()
    secrets = [(s.stripe_webhook_secret, None)]
    if s.stripe_test_webhook_secret is not None:  # test mode's endpoint signs with its own
        secrets.append((s.stripe_test_webhook_secret, False))
    failure: AppError | None = None
    for secret, livemode in secrets:
        try:
            event = _construct(payload, signature, secret.get_secret_value())
        except AppError as e:
            failure = failure or e
            continue
        if livemode is not None and event.livemode != livemode:
            raise AppError("ERR_4302")  # a live event signed with the test secret
        return event
    assert failure is not None
    raise failure


def _construct(payload: bytes, signature: str | None, secret: str) -> StripeEvent:
    tolerance = settings().stripe_webhook_tolerance_seconds
    try:
        event = stripe.Webhook.construct_event(payload, signature or "", secret, tolerance)
    except stripe.SignatureVerificationError as e:
        if "tolerance" in str(e):
            raise AppError("ERR_4303", tolerance=tolerance) from None
        raise AppError("ERR_4302") from None
    except ValueError as e:  # signed, yet not a JSON Stripe event
        raise AppError("ERR_4307", reason=type(e).__name__) from None
    try:
        return StripeEvent.model_validate(event.to_dict())
    except ValidationError as e:
        raise AppError("ERR_4307", reason=str(e.errors()[0]["loc"])) from None


def handle_webhook(payload: bytes, signature: str | None) -> WebhookReceipt:
    """Verify and apply one delivery; answer what it did."""
    event = verify_event(payload, signature)
    outcome = apply_event(event)
    return WebhookReceipt(event_id=event.id, type=event.type, outcome=outcome)


def apply_event(event: StripeEvent) -> str:
    """Apply one verified (or fetched from Stripe) event once; the replay job uses it too."""
    if events.seen(event.id):
        outcome = events.DUPLICATE
    elif (handler := HANDLERS.get(event.type)) is not None:
        # Whatever the event changed about access reaches the custom claim after its commit.
        with claims.publishing(), client.mode(event.livemode):  # fetch with the event's key
            if for_deleted_account(event):
                outcome = events.commit(event, lambda txn: "ignored: deleted account")
            else:
                link_event_customer(event)  # a customer made outside the app (Payment Links)
                outcome = handler(event)
    else:
        outcome = events.commit(event, lambda txn: "ignored: unhandled type")
    log.event("stripe event", eventId=event.id, type=event.type, outcome=outcome)
    return outcome
