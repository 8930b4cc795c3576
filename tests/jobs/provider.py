"""A local stand-in for a fal-style queue API, with scripted failures, and its signed webhook."""

import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Request, Response

from shared.jobs.webhook import sign

API_KEY = "test-provider-key"
WEBHOOK_SECRET = "whsec_" + "dGVzdC13ZWJob29rLXNlY3JldC0zMi1ieXRlcy1sb25n"


@dataclass
class ProviderRequest:
    request_id: str
    model: str
    input: dict[str, Any]
    webhook: str | None
    status: str = "IN_QUEUE"
    output: dict[str, Any] | None = None
    error: str | None = None


@dataclass
class FakeProvider:
    """Answers submits (or the next scripted status codes), status polls and results.

    A submit with an `Idempotency-Key` the stand-in has seen answers the request that key
    started, as idempotent APIs do. A request is accepted before the (optional) delay of its
    answer, as a slow provider accepts a job and answers late; `slow_submits` limits the
    delay to the first n submits (None: all of them).
    """

    submits: list[dict[str, Any]] = field(default_factory=list)
    requests: dict[str, ProviderRequest] = field(default_factory=dict)
    status_polls: int = 0
    script: deque = field(default_factory=deque)  # HTTP statuses for the next submits
    delay_seconds: float = 0.0
    slow_submits: int | None = None
    honours_keys: bool = True  # false: a provider that ignores Idempotency-Key
    by_key: dict[str, str] = field(default_factory=dict)  # Idempotency-Key -> request id
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.submits.clear()
            self.requests.clear()
            self.script.clear()
            self.status_polls = 0
            self.delay_seconds = 0.0
            self.slow_submits = None
            self.honours_keys = True
            self.by_key.clear()

    def fail_next(self, *statuses: int) -> None:
        self.script.extend(statuses)

    def finish(self, request_id: str, urls: list[str] | None = None, error: str | None = None):
        request = self.requests[request_id]
        if error is None:
            request.status = "COMPLETED"
            request.output = {
                "images": [{"url": u, "content_type": "image/png"} for u in urls or []]
            }
        else:
            request.status, request.error = "COMPLETED", error

    def only_request_id(self) -> str:
        (request_id,) = self.requests
        return request_id

    def __call__(self, environ, start_response):
        return self._app(environ, start_response)

    @Request.application
    def _app(self, request: Request) -> Response:
        if request.headers.get("Authorization") != f"Key {API_KEY}":
            return _json({"detail": "Unauthorized"}, 401)
        path = request.path.strip("/")
        if request.method == "POST":
            return self._submit(path, request)
        parts = path.split("/")
        if len(parts) >= 4 and parts[-1] == "status" and parts[-3] == "requests":
            return self._status(parts[-2])
        if len(parts) >= 3 and parts[-2] == "requests":
            return self._result(parts[-1])
        return _json({"detail": "Not Found"}, 404)

    def _submit(self, model: str, request: Request) -> Response:
        key = request.headers.get("Idempotency-Key") if self.honours_keys else None
        with self.lock:
            self.submits.append(
                {"model": model, "body": request.get_json(), "at": time.monotonic(), "key": key}
            )
            scripted = self.script.popleft() if self.script else 200
            slow = self.slow_submits is None or len(self.submits) <= self.slow_submits
            request_id = self.by_key.get(key) if key else None
            if request_id is None and scripted == 200:
                request_id = uuid.uuid4().hex
                self.requests[request_id] = ProviderRequest(
                    request_id, model, request.get_json(), request.args.get("fal_webhook")
                )
                if key:
                    self.by_key[key] = request_id
        if self.delay_seconds and slow:
            time.sleep(self.delay_seconds)
        if scripted != 200 or request_id is None:
            return _json({"detail": f"scripted {scripted}"}, scripted)
        app = "/".join(model.split("/")[:2])
        base = f"{request.host_url.rstrip('/')}/{app}/requests/{request_id}"
        return _json(
            {"request_id": request_id, "status_url": f"{base}/status", "response_url": base}
        )

    def _status(self, request_id: str) -> Response:
        request = self.requests.get(request_id)
        if request is None:
            return _json({"detail": "Request not found"}, 404)
        with self.lock:
            self.status_polls += 1
        return _json({"status": request.status, "request_id": request_id})

    def _result(self, request_id: str) -> Response:
        request = self.requests.get(request_id)
        if request is None or request.status != "COMPLETED":
            return _json({"detail": "Request is still in progress"}, 400)
        if request.error is not None:
            return _json({"detail": request.error}, 422)
        return _json(request.output or {})


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def webhook(
    request_id: str,
    *,
    ok: bool = True,
    urls: list[str] | None = None,
    error: str | None = None,
    event_id: str | None = None,
    timestamp: int | None = None,
    secret: str = WEBHOOK_SECRET,
) -> tuple[dict[str, str], bytes]:
    """(headers, body) of a webhook as the provider sends it, signed with `secret`."""
    body = {
        "request_id": request_id,
        "gateway_request_id": request_id,
        "status": "OK" if ok else "ERROR",
        "payload": {"images": [{"url": u} for u in urls or []]} if ok else None,
        "error": None if ok else error or "Internal error",
    }
    raw = json.dumps(body).encode()
    event_id = event_id or f"evt_{uuid.uuid4().hex}"
    ts = int(timestamp if timestamp is not None else time.time())
    headers = {
        "Content-Type": "application/json",
        "webhook-id": event_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": sign(secret, event_id, ts, raw),
    }
    return headers, raw
