"""`stripe_events/{eventId}`: each Stripe event takes effect once, with its effect."""

from collections.abc import Callable
from typing import Any

from shared import collections, wiring
from shared.purchases.stripe.objects import StripeEvent, timestamp
from shared.store import Transaction

DUPLICATE = "duplicate"


def event_path(event_id: str) -> str:
    return f"{collections.STRIPE_EVENTS}/{event_id}"


def record(event: StripeEvent, outcome: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": event.type,
        "objectId": event.object_id,
        "created": timestamp(event.created),
        "livemode": event.livemode,
        "apiVersion": event.api_version,
        "outcome": outcome,
        "processedAt": wiring.now(),
        **extra,
    }


def seen(event_id: str) -> bool:
    """Whether the event already took effect (a cheap check before any Stripe call)."""
    return wiring.store().get(event_path(event_id)) is not None


def commit(event: StripeEvent, effect: Callable[[Transaction], str]) -> str:
    """Run `effect(txn)` and record the event in one transaction, unless it is recorded already.

    `effect` reads (after the event record was read) and writes, and returns the outcome.
    """

    def attempt(txn: Transaction) -> str:
        if txn.get(event_path(event.id)) is not None:
            return DUPLICATE
        outcome = effect(txn)
        txn.create(event_path(event.id), record(event, outcome))
        return outcome

    return wiring.store().transaction(attempt)
