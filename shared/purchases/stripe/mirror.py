"""Mirrored Stripe objects keep the newest state: each carries the time it was observed.

Stripe objects carry no version, so a webhook re-fetches the object and stamps it with the
time the fetch was *sent*: a fetch sent later sees every change an earlier one saw. The event
that follows each change re-fetches again, so the mirror converges on Stripe's state whatever
the order of deliveries, retries and backfill pages. A mirrored document is written only if
its `sourceTime` is not older than the stored one.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

import stripe

from shared import wiring
from shared.purchases.stripe import client
from shared.store import Transaction

Outcome = Literal["written", "stale", "exists"]


def decide(stored: dict[str, Any] | None, new: dict[str, Any], only_new: bool = False) -> Outcome:
    """Whether `new` replaces `stored`: never an older state; with `only_new`, never at all."""
    if stored is None:
        return "written"
    if only_new:
        return "exists"
    if stored.get("sourceTime") is not None and stored["sourceTime"] > new["sourceTime"]:
        return "stale"
    return "written"


def fetch(action: Callable[[stripe.StripeClient], Any]) -> tuple[dict[str, Any] | None, datetime]:
    """The object as Stripe has it now (None if gone), and the time the fetch was sent."""
    sent = wiring.now()
    return client.fetch(action), sent


def write(txn: Transaction, path: str, new: dict[str, Any], only_new: bool = False) -> Outcome:
    """Read `path` and write `new` there if `decide` says so (one read, then one write)."""
    outcome = decide(txn.get(path), new, only_new)
    if outcome == "written":
        txn.set(path, new)
    return outcome
