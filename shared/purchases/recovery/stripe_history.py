"""Stripe's event list, replayed through the webhook's own dispatch.

GET /v1/events?created[gte]=..&created[lte]=..&limit=..&starting_after=.. answers newest
first; a fixed window pages stably, so the last event id of a page is a resumable cursor.
Each event goes through `webhooks.apply_event` (the path a signed delivery takes after its
signature check): one already applied answers "duplicate".
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from shared import log
from shared.errors import AppError
from shared.purchases.stripe import client
from shared.purchases.stripe.objects import StripeEvent
from shared.purchases.stripe.settings import StripeSettings
from shared.purchases.stripe.settings import settings as stripe_settings
from shared.purchases.stripe.webhooks import apply_event

# Upstream or system failures stop the replay at the last finished page.
UPSTREAM = ("ERR_5", "ERR_6")


@dataclass(frozen=True)
class EventPage:
    events: list[dict[str, Any]]
    next_cursor: str | None  # None: this was the last page


def list_events(since: datetime, until: datetime, cursor: str | None, limit: int) -> EventPage:
    """One page of the events Stripe created in [since, until], newest first."""
    params: dict[str, Any] = {
        "created": {"gte": int(since.timestamp()), "lte": int(until.timestamp())},
        "limit": limit,
    }
    if cursor:
        params["starting_after"] = cursor
    page = client.call(lambda c: c.v1.events.list(params=params))
    events = [client.as_dict(e) for e in page.data]
    more = bool(page.has_more) and bool(events)
    return EventPage(events, events[-1]["id"] if more else None)


def stripe_configured() -> bool:
    try:
        StripeSettings()
    except ValidationError:
        return False
    return True


def test_mode_configured() -> bool:
    """Whether a test-mode key runs beside the main one (its events are listed separately)."""
    return stripe_settings().stripe_test_secret_key is not None


def replay_event(raw: dict[str, Any]) -> str:
    """Apply one listed event; its outcome, or why it could not apply."""
    try:
        event = StripeEvent.model_validate(raw)
    except ValidationError:
        return "refused ERR_4307"
    try:
        return apply_event(event)
    except AppError as e:
        if e.code.startswith(UPSTREAM):
            raise  # the store or the database is in trouble: the next run retries this page
        # The webhook would answer 4xx/5xx and Stripe retry; the replay moves on and says so.
        log.event("replayed Stripe event refused", logging.WARNING, eventId=event.id, code=e.code)
        return f"refused {e.code}"
