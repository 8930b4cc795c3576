"""Decorators that turn plain handlers into deployable functions, and render errors once.

- `callable_function`: the Firebase callable protocol (POST `{"data": ...}` with a Bearer ID
  token; answers `{"result": ...}` or `{"error": {"status", "message", "details"}}`).
- `http_function`: a plain HTTP endpoint (webhooks) that verifies its sender itself.
- `event_function` / `scheduled_job`: CloudEvent functions fed by Pub/Sub.

Each carries a `FunctionSpec` in `__deploy__`, which the dev server and deploy.sh read.
"""

import base64
import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, TypeVar

import flask
import functions_framework
from cloudevents.http import CloudEvent
from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from shared import config, log
from shared.admin.bans import refuse_banned
from shared.errors import LANGUAGES, AppError
from shared.store import Contention
from shared.web import ratelimit
from shared.web.auth import AuthToken, verifier

Kind = Literal["callable", "http", "event", "scheduled"]
AuthMode = Literal["required", "optional", "admin"]
R = TypeVar("R", bound=BaseModel)

_CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": (
        "Authorization, Content-Type, X-Firebase-AppCheck, Firebase-Instance-ID-Token"
    ),
    "Access-Control-Max-Age": "3600",
}


@dataclass(frozen=True)
class FunctionSpec:
    """How a function is triggered and deployed."""

    name: str
    kind: Kind
    topic: str | None = None
    every_minutes: int | None = None
    min_instances: int = 0
    memory: str = "256Mi"
    timeout_seconds: int = 60


@dataclass(frozen=True)
class CallContext:
    """What a callable handler knows about its caller."""

    auth: AuthToken | None
    language: str
    request_id: str
    ip: str
    headers: dict[str, str]

    @property
    def uid(self) -> str:
        if self.auth is None:
            raise AppError("ERR_4011")
        return self.auth.uid


def _json_response(body: dict[str, Any], status: int, extra: dict[str, str] | None = None):
    headers = dict(extra or {})
    return flask.Response(
        json.dumps(body), status=status, mimetype="application/json", headers=headers
    )


def _request_id(request: flask.Request) -> str:
    trace = request.headers.get("X-Cloud-Trace-Context", "").split("/")[0]
    return trace or request.headers.get("X-Request-Id") or uuid.uuid4().hex


def language_of(request: flask.Request) -> str:
    return request.accept_languages.best_match(LANGUAGES) or "en"


def validation_error(e: ValidationError) -> AppError:
    """ERR_4000 naming each field that failed and why."""
    problems = [
        {"field": ".".join(str(p) for p in err["loc"]) or "data", "problem": err["msg"]}
        for err in e.errors()
    ]
    reason = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
    return AppError("ERR_4000", reason=reason, fields=problems)


def _read_body(request: flask.Request) -> bytes:
    if request.method != "POST":
        raise AppError("ERR_4010", reason="use POST")
    if not request.headers.get("Content-Type", "").startswith("application/json"):
        raise AppError("ERR_4010", reason="the content type must be application/json")
    limit = config.platform().max_body_bytes
    if request.content_length is not None and request.content_length > limit:
        raise AppError("ERR_4015", limit=limit)
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        raise AppError("ERR_4015", limit=limit)
    return raw


@cache
def _envelope(model: type[BaseModel]) -> type[BaseModel]:
    """`{"data": model}` and nothing else, to parse a well-formed call in one JSON pass."""
    config_ = ConfigDict(extra="forbid", strict=True)
    return create_model(f"{model.__name__}Call", __config__=config_, data=(model, ...))


def _callable_request(request: flask.Request, model: type[R]) -> tuple[Any, R | None]:
    """The call's `data`, or the request model itself when the body is a valid call.

    A valid body is parsed once, straight from its bytes; any other takes the long way
    (decode, check the envelope, validate later) so its error is the one that path gives.
    """
    raw = _read_body(request)
    try:
        return None, _envelope(model).model_validate_json(raw, strict=True).data  # type: ignore[attr-defined]
    except ValidationError:
        pass
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise AppError("ERR_4010", reason="the body is not valid JSON") from None
    if not isinstance(body, dict) or set(body) != {"data"}:
        raise AppError("ERR_4010", reason='the body must be exactly {"data": ...}')
    return body["data"], None


def _authenticate(request: flask.Request, mode: AuthMode) -> AuthToken | None:
    header = request.headers.get("Authorization", "")
    if not header:
        if mode == "optional":
            return None
        raise AppError("ERR_4011")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AppError("ERR_4012")
    auth = verifier().verify(token.strip())
    if mode == "admin" and not auth.is_admin:
        raise AppError("ERR_4014")
    refuse_banned(auth.uid)  # ERR_4019 for a banned user, whatever the function
    return auth


def _error_of(e: Exception) -> AppError:
    if isinstance(e, AppError):
        return e
    if isinstance(e, ValidationError):
        return validation_error(e)
    if isinstance(e, Contention):
        return AppError("ERR_6002")
    return AppError("ERR_6001")


def _parse(model: type[R], data: Any) -> R:
    # Strict JSON validation: "5" or 5.5 is not an int, unknown fields are refused.
    return model.model_validate_json(json.dumps(data), strict=True)


def callable_function(
    request_model: type[BaseModel], *, auth: AuthMode = "required", min_instances: int = 0
) -> Callable[[Callable[[Any, CallContext], Any]], Callable[[flask.Request], flask.Response]]:
    """Serve `handler(request, ctx) -> model | dict | None` as a Firebase callable function."""

    def wrap(handler: Callable[[Any, CallContext], Any]):
        name = handler.__name__

        def entry(request: flask.Request) -> flask.Response:
            if request.method == "OPTIONS":
                return flask.Response(status=204, headers=_CORS_HEADERS)
            started = time.perf_counter()
            log.function_name.set(name)
            log.request_id.set(rid := _request_id(request))
            language, uid = language_of(request), None
            try:
                data, parsed = _callable_request(request, request_model)
                token = _authenticate(request, auth)
                uid = token.uid if token else None
                ratelimit.limit_call(
                    name, uid=uid, headers=request.headers, peer=request.remote_addr
                )
                ctx = CallContext(
                    token, language, rid, request.remote_addr or "", dict(request.headers)
                )
                if parsed is None:
                    parsed = _parse(request_model, data)
                result = handler(parsed, ctx)
                # A model is encoded straight to JSON text, without an intermediate dict.
                text = (
                    result.model_dump_json(by_alias=True)
                    if isinstance(result, BaseModel)
                    else json.dumps(result)
                )
                response = flask.Response(
                    '{"result":' + text + "}",
                    status=200,
                    mimetype="application/json",
                    headers=dict(_CORS_HEADERS),
                )
                status, code = 200, None
            except Exception as e:
                error = _error_of(e)
                if error is not e and not isinstance(e, ValidationError):
                    log.event("unhandled error", logging.ERROR, exc_info=e, error=repr(e))
                status, code = error.http_status, error.code
                body = {
                    "error": {
                        "status": error.status.value,
                        "message": error.message(language),
                        "details": error.details(),
                    }
                }
                response = _json_response(body, status, {**_CORS_HEADERS, **error.headers})
            log.event(
                "callable finished",
                logging.WARNING if status >= 500 else logging.INFO,
                status=status,
                code=code,
                uid=uid,
                latencyMs=round((time.perf_counter() - started) * 1000, 2),
            )
            return response

        entry.__name__ = entry.__qualname__ = name
        entry.__doc__ = handler.__doc__
        entry.__deploy__ = FunctionSpec(name, "callable", min_instances=min_instances)  # type: ignore[attr-defined]
        entry.handler = handler  # type: ignore[attr-defined]
        return functions_framework.http(entry)

    return wrap


def http_function(
    handler: Callable[[flask.Request], Any],
) -> Callable[[flask.Request], Any]:
    """Serve `handler(request)` as plain HTTP (webhooks). AppError answers its status as JSON;
    anything else answers 500 so the sender retries."""
    name = handler.__name__

    def entry(request: flask.Request) -> Any:
        started = time.perf_counter()
        log.function_name.set(name)
        log.request_id.set(_request_id(request))
        try:
            response = handler(request)
            status, code = getattr(response, "status_code", 200), None
        except Exception as e:
            error = _error_of(e)
            if error is not e:
                log.event("unhandled error", logging.ERROR, exc_info=e, error=repr(e))
            status, code = error.http_status, error.code
            response = _json_response(
                {"error": {"code": error.code, "message": error.message(language_of(request))}},
                status,
            )
        log.event(
            "http function finished",
            logging.WARNING if status >= 500 else logging.INFO,
            status=status,
            code=code,
            latencyMs=round((time.perf_counter() - started) * 1000, 2),
        )
        return response

    entry.__name__ = entry.__qualname__ = name
    entry.__doc__ = handler.__doc__
    entry.__deploy__ = FunctionSpec(name, "http")  # type: ignore[attr-defined]
    return functions_framework.http(entry)


def _event_entry(handler: Callable[[CloudEvent], Any], spec: FunctionSpec):
    def entry(event: CloudEvent) -> None:
        started = time.perf_counter()
        log.function_name.set(spec.name)
        log.request_id.set(str(event["id"]))
        try:
            handler(event)
        except Exception as e:
            # Re-raised so Pub/Sub redelivers; handlers are idempotent.
            log.event("event function failed", logging.ERROR, exc_info=e, error=repr(e))
            raise
        log.event(
            "event function finished",
            latencyMs=round((time.perf_counter() - started) * 1000, 2),
        )

    entry.__name__ = entry.__qualname__ = spec.name
    entry.__doc__ = handler.__doc__
    entry.__deploy__ = spec  # type: ignore[attr-defined]
    return functions_framework.cloud_event(entry)


def event_function(topic: str, *, timeout_seconds: int = 300):
    """Serve `handler(cloud_event)` for messages published on a Pub/Sub topic."""

    def wrap(handler: Callable[[CloudEvent], Any]):
        spec = FunctionSpec(handler.__name__, "event", topic=topic, timeout_seconds=timeout_seconds)
        return _event_entry(handler, spec)

    return wrap


def scheduled_job(every_minutes: int, *, timeout_seconds: int = 540):
    """Serve `handler(cloud_event)` as a job Cloud Scheduler fires through Pub/Sub."""

    def wrap(handler: Callable[[CloudEvent], Any]):
        spec = FunctionSpec(
            handler.__name__,
            "scheduled",
            topic=f"scheduled-{handler.__name__.replace('_', '-')}",
            every_minutes=every_minutes,
            timeout_seconds=timeout_seconds,
        )
        return _event_entry(handler, spec)

    return wrap


def pubsub_message(event: CloudEvent) -> tuple[bytes, dict[str, str]]:
    """The data and attributes of the Pub/Sub message inside a CloudEvent."""
    message = (event.data or {}).get("message", {})
    return base64.b64decode(message.get("data", "")), message.get("attributes") or {}


def pubsub_event(
    topic: str, data: bytes = b"{}", attributes: dict[str, str] | None = None
) -> CloudEvent:
    """A CloudEvent shaped like Pub/Sub's (for the dev scheduler and tests)."""
    message_id = uuid.uuid4().hex
    return CloudEvent(
        {
            "type": "google.cloud.pubsub.topic.v1.messagePublished",
            "source": f"//pubsub.googleapis.com/projects/local/topics/{topic}",
            "id": message_id,
        },
        {
            "message": {
                "data": base64.b64encode(data).decode(),
                "attributes": attributes or {},
                "messageId": message_id,
            },
            "subscription": f"projects/local/subscriptions/{topic}",
        },
    )
