"""The one HTTP client factory, with timeouts, and the one retry policy for outbound calls."""

from collections.abc import Callable
from dataclasses import dataclass

import httpx
from tenacity import (
    Retrying,
    retry_if_exception,
    retry_if_result,
    stop_after_attempt,
    wait_exponential_jitter,
)

from shared import config

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def client(base_url: str = "", *, timeout: float | None = None, **options) -> httpx.Client:
    """An httpx client with the configured timeout; `base_url` comes from settings."""
    seconds = timeout if timeout is not None else config.platform().http_timeout_seconds
    return httpx.Client(base_url=base_url, timeout=httpx.Timeout(seconds), **options)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: `initial`, doubling, at most `maximum` seconds."""

    retries: int = 3
    initial: float = 2.0
    maximum: float = 30.0
    jitter: float = 1.0


def send_with_retry(
    send: Callable[[], httpx.Response], policy: RetryPolicy = RetryPolicy()
) -> httpx.Response:
    """Call `send` until it answers something other than 408/429/5xx or a transport error.

    Returns the last response (which may still be a retryable status once retries run out);
    re-raises the last transport error (httpx.TimeoutException, httpx.TransportError).
    """
    retrying = Retrying(
        stop=stop_after_attempt(policy.retries + 1),
        wait=wait_exponential_jitter(
            initial=policy.initial, max=policy.maximum, jitter=policy.jitter
        ),
        retry=retry_if_exception(lambda e: isinstance(e, httpx.TransportError))
        | retry_if_result(lambda r: r.status_code in RETRY_STATUSES),
        retry_error_callback=lambda state: state.outcome.result(),
        reraise=True,
    )
    return retrying(send)
