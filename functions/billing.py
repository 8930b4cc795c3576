"""Stripe: credit packs, subscriptions, the webhook, and the backfill of an existing account.

(Named billing.py: a module called stripe.py here would shadow the `stripe` library.)
"""

import flask
from cloudevents.http import CloudEvent

from shared import config
from shared.errors import AppError
from shared.models import Empty
from shared.purchases.stripe import backfill, payments, subscriptions
from shared.purchases.stripe.backfill import (
    BackfillList,
    BackfillRef,
    BackfillView,
    ListBackfills,
    StartBackfill,
)
from shared.purchases.stripe.customers import Email
from shared.purchases.stripe.payments import CreateCreditsPurchaseIntent, CreditsPurchaseIntent
from shared.purchases.stripe.publisher import BACKFILL_TOPIC
from shared.purchases.stripe.subscriptions import (
    BillingPortalSessionView,
    CheckoutSessionView,
    CreateCheckoutSession,
)
from shared.purchases.stripe.webhooks import handle_webhook
from shared.web.functions import (
    CallContext,
    callable_function,
    event_function,
    http_function,
    pubsub_message,
    scheduled_job,
)


def _email(ctx: CallContext) -> Email | None:
    claims = ctx.auth.claims if ctx.auth else {}
    address = claims.get("email")
    verified = claims.get("email_verified") is True
    return Email(address, verified) if isinstance(address, str) and address else None


@callable_function(CreateCreditsPurchaseIntent)
def create_credits_purchase_intent(
    request: CreateCreditsPurchaseIntent, ctx: CallContext
) -> CreditsPurchaseIntent:
    """A PaymentIntent for a credit pack; retries with the same idempotencyKey get the same."""
    return payments.create_credits_purchase_intent(ctx.uid, request, _email(ctx))


@callable_function(CreateCheckoutSession)
def create_checkout_session(
    request: CreateCheckoutSession, ctx: CallContext
) -> CheckoutSessionView:
    """A Stripe Checkout session for a subscription plan and interval."""
    return subscriptions.create_checkout_session(ctx.uid, request, _email(ctx))


@callable_function(Empty)
def create_billing_portal_session(request: Empty, ctx: CallContext) -> BillingPortalSessionView:
    """A Stripe billing portal session for the caller's own customer."""
    return subscriptions.create_billing_portal_session(ctx.uid)


@http_function
def stripe_webhook(request: flask.Request) -> flask.Response:
    """Stripe's events, verified by signature and applied once each."""
    limit = config.platform().max_body_bytes
    if request.method != "POST":
        raise AppError("ERR_4010", reason="use POST")
    if (request.content_length or 0) > limit:
        raise AppError("ERR_4015", limit=limit)
    receipt = handle_webhook(request.get_data(), request.headers.get("Stripe-Signature"))
    return flask.jsonify(receipt.model_dump(by_alias=True))


@callable_function(StartBackfill, auth="admin")
def stripe_backfill_start(request: StartBackfill, ctx: CallContext) -> BackfillView:
    """Start importing an existing Stripe account (runs on in slices)."""
    return backfill.start_backfill(ctx.uid, request)


@callable_function(BackfillRef, auth="admin")
def stripe_backfill_get(request: BackfillRef, ctx: CallContext) -> BackfillView:
    """A backfill's status and progress per entity type."""
    return backfill.get_backfill(request.backfill_id)


@callable_function(ListBackfills, auth="admin")
def stripe_backfill_list(request: ListBackfills, ctx: CallContext) -> BackfillList:
    """The latest Stripe backfills, newest first."""
    return backfill.list_backfills(request)


@callable_function(BackfillRef, auth="admin")
def stripe_backfill_cancel(request: BackfillRef, ctx: CallContext) -> BackfillView:
    """Stop a running backfill."""
    return backfill.cancel_backfill(ctx.uid, request.backfill_id)


@event_function(BACKFILL_TOPIC, timeout_seconds=540)
def stripe_backfill_continue(event: CloudEvent) -> None:
    """One slice of a backfill, then the next is published (a failure is redelivered)."""
    data, _ = pubsub_message(event)
    backfill.run_backfill_slice(BackfillRef.model_validate_json(data).backfill_id)


@scheduled_job(every_minutes=15)
def stripe_backfill_watchdog(event: CloudEvent) -> None:
    """Restart backfills whose slices stopped without being redelivered."""
    backfill.resume_stale_backfills()
