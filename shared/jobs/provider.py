"""The generation provider's queue API, fal-style.

- submit: `POST {base}/{providerModelId}[?fal_webhook=<url>?jobId=<job>]` with the input as
  JSON, `Authorization: Key <key>` and `Idempotency-Key: <job id>` → `{"request_id": ...}`.
- status: `GET {base}/{app}/requests/{id}/status` → `{"status": "IN_QUEUE" | "IN_PROGRESS" |
  "COMPLETED"}` (`app` is the first two segments of the model id, as fal names apps).
- result: `GET {base}/{app}/requests/{id}` → the output, or an error status with `detail`.

Submits retry 408, 429, 5xx and transport errors with exponential backoff and jitter
(`shared.http.send_with_retry`); what still fails becomes a `ProviderFailure` with the code the
caller sees: ERR_5001 timeout, ERR_5002 unavailable, ERR_5003 refused. Every attempt for one
job carries the same `Idempotency-Key` (the job id), so a provider that accepted a job but
answered after our timeout answers the retry with that same job instead of starting (and
billing) another; and the webhook URL names the job, so even a job whose submit we gave up
on is settled by its late webhook (shared/jobs/webhook.py).
"""

from dataclasses import dataclass
from typing import Any

import httpx

from shared import http, wiring
from shared.http import RETRY_STATUSES, RetryPolicy
from shared.jobs.settings import JobSettings, settings

_TIMEOUT_STATUSES = frozenset({408, 504})
# The query parameter of our webhook URL that names the job a provider request belongs to.
JOB_PARAM = "jobId"


class ProviderFailure(Exception):
    """The provider failed for good; `code` is ERR_5001, ERR_5002 or ERR_5003."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Outcome:
    """What the provider says about a request: still going, done with outputs, or failed."""

    status: str  # IN_QUEUE, IN_PROGRESS, COMPLETED, FAILED
    output: dict[str, Any] | None = None
    error: str | None = None


def _app_id(provider_model_id: str) -> str:
    return "/".join(provider_model_id.split("/")[:2])


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    detail = body.get("detail") if isinstance(body, dict) else body
    return str(detail)[:200]


def _failure_of(response: httpx.Response) -> ProviderFailure:
    status = response.status_code
    if status in _TIMEOUT_STATUSES:
        return ProviderFailure("ERR_5001", f"HTTP {status}")
    if status in RETRY_STATUSES or status >= 500:
        return ProviderFailure("ERR_5002", f"HTTP {status}")
    return ProviderFailure("ERR_5003", f"HTTP {status}: {_detail(response)}")


class ProviderClient:
    def __init__(self, s: JobSettings) -> None:
        key = s.provider_api_key.get_secret_value()
        self._http = http.client(
            s.provider_base_url.rstrip("/"),
            timeout=s.provider_timeout_seconds,
            headers={"Authorization": f"Key {key}"} if key else {},
        )
        self._webhook_url = s.provider_webhook_url
        self._policy = s.retry_policy

    def _send(self, send, policy: RetryPolicy) -> httpx.Response:
        try:
            response = http.send_with_retry(send, policy)
        except httpx.TimeoutException as e:
            raise ProviderFailure("ERR_5001", type(e).__name__) from e
        except httpx.TransportError as e:
            raise ProviderFailure("ERR_5002", type(e).__name__) from e
        if response.status_code >= 400:
            raise _failure_of(response)
        return response

    def submit(self, provider_model_id: str, payload: dict[str, Any], job_id: str) -> str:
        """Queue the job's request, at most once however often this is retried; its provider
        request id. Raises ProviderFailure."""
        params = None
        if self._webhook_url:
            hook = httpx.URL(self._webhook_url).copy_merge_params({JOB_PARAM: job_id})
            params = {"fal_webhook": str(hook)}
        headers = {"Idempotency-Key": job_id}
        response = self._send(
            lambda: self._http.post(
                f"/{provider_model_id}", json=payload, params=params, headers=headers
            ),
            self._policy,
        )
        request_id = _json(response).get("request_id")
        if not isinstance(request_id, str) or not request_id:
            raise ProviderFailure("ERR_5002", "no request_id in the answer")
        return request_id

    def outcome(self, provider_model_id: str, request_id: str) -> Outcome:
        """Where a request stands (one attempt each: a status poll must answer quickly)."""
        once = RetryPolicy(retries=0)
        base = f"/{_app_id(provider_model_id)}/requests/{request_id}"
        status = str(
            _json(self._send(lambda: self._http.get(f"{base}/status"), once)).get("status")
        )
        if status != "COMPLETED":
            return Outcome(status)
        try:
            output = _json(self._send(lambda: self._http.get(base), once))
        except ProviderFailure as e:
            if e.code != "ERR_5003":
                raise
            return Outcome("FAILED", error=e.detail)
        return Outcome("COMPLETED", output=output)

    def close(self) -> None:
        self._http.close()


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise ProviderFailure("ERR_5002", "the answer is not JSON") from None
    if not isinstance(body, dict):
        raise ProviderFailure("ERR_5002", "the answer is not a JSON object")
    return body


def client() -> ProviderClient:
    return wiring.part("provider_client", lambda: ProviderClient(settings()))


def result_urls(output: Any) -> list[str]:
    """Every `url` in a provider output (images[].url, video.url, ...), in order, once each."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            url = value.get("url")
            if isinstance(url, str) and url.startswith(("https://", "http://")):
                found.append(url)
            for key, inner in value.items():
                if key != "url":
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(output)
    return list(dict.fromkeys(found))[:50]
