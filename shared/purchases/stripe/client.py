"""The one Stripe API client (the `stripe` library), and Stripe failures as AppErrors.

Built lazily through `wiring` so nothing reads the secret key at import; `STRIPE_API_BASE`
points it at localstripe or a stand-in in tests. The library retries connection errors, 409
and 5xx itself (`STRIPE_MAX_NETWORK_RETRIES`), with idempotency keys on POSTs.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import stripe

from shared import config, log, wiring
from shared.errors import AppError
from shared.purchases.stripe.settings import settings

T = TypeVar("T")


# The mode of the event being applied: False routes calls to the test key, when there is one.
_livemode: ContextVar[bool | None] = ContextVar("stripe_livemode", default=None)


@contextmanager
def mode(livemode: bool | None) -> Iterator[None]:
    """Stripe calls inside use the key of `livemode` (the event's)."""
    token = _livemode.set(livemode)
    try:
        yield
    finally:
        _livemode.reset(token)


def _build(test: bool = False) -> stripe.StripeClient:
    s = settings()
    key = s.stripe_test_secret_key if test and s.stripe_test_secret_key else s.stripe_secret_key
    return stripe.StripeClient(
        key.get_secret_value(),
        base_addresses={"api": s.stripe_api_base},
        max_network_retries=s.stripe_max_network_retries,
        http_client=stripe.RequestsClient(timeout=config.platform().http_timeout_seconds),
    )


def client() -> stripe.StripeClient:
    if _livemode.get() is False and settings().stripe_test_secret_key is not None:
        return wiring.part("stripe_test_client", lambda: _build(test=True))
    return wiring.part("stripe_client", _build)


def _translate(e: stripe.StripeError) -> AppError:
    if isinstance(e, stripe.RateLimitError):
        return AppError("ERR_5204")
    if isinstance(e, stripe.AuthenticationError | stripe.PermissionError):
        return AppError("ERR_5203")
    if isinstance(e, stripe.CardError | stripe.InvalidRequestError | stripe.IdempotencyError):
        return AppError("ERR_5202", reason=e.user_message or e.code or "invalid request")
    return AppError("ERR_5201")  # connection errors and Stripe's own 5xx


def call(action: Callable[[stripe.StripeClient], T]) -> T:
    """Run `action(client)`; Stripe's failures become ERR_52xx (logged without secrets)."""
    try:
        return action(client())
    except stripe.StripeError as e:
        log.event(
            "stripe call failed",
            logging.WARNING,
            stripeError=type(e).__name__,
            httpStatus=e.http_status,
            stripeCode=e.code,
            requestId=e.request_id,
        )
        raise _translate(e) from e


def fetch(action: Callable[[stripe.StripeClient], Any]) -> dict[str, Any] | None:
    """A Stripe object as a plain dict, or None if Stripe says it does not exist (404)."""
    try:
        return call(action).to_dict()
    except AppError as e:
        cause = e.__cause__
        if isinstance(cause, stripe.InvalidRequestError) and cause.http_status == 404:
            return None
        raise


def as_dict(obj: Any) -> dict[str, Any]:
    return obj.to_dict() if isinstance(obj, stripe.StripeObject) else dict(obj)
