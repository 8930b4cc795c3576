"""Decorators that turn plain handlers into deployable functions, and render errors once.

- `callable_function`: the Firebase callable protocol as firebase-functions implements it (POST
  `{"data": ...}` with a Bearer ID token and maybe an App Check token; `{"data": null}` is a
  call without arguments; answers `{"result": ...}` or `{"error": {"status", "message",
  "details"}}`). No body of any shape answers 5xx. README.md lists the deliberate differences
  from firebase-functions-python.
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
from datetime import datetime
from functools import cache
from typing import Any, Literal, TypeVar

import flask
import functions_framework
from cloudevents.http import CloudEvent
from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from shared import config, idempotency, log
from shared.admin.bans import refuse_barred
from shared.errors import LANGUAGES, AppError
from shared.models import DOCUMENT_ID_ERROR, id_error_problem
from shared.store import Contention
from shared.web import app_check, ratelimit
from shared.web.app_check import AppCheckMode, AppCheckToken
from shared.web.auth import AuthToken, verifier

Kind = Literal["callable", "http", "event", "scheduled"]
AuthMode = Literal["required", "optional", "admin"]
R = TypeVar("R", bound=BaseModel)
# Deeper JSON is refused before any handler sees it (Python's decoder recurses per level).
MAX_JSON_DEPTH = 64
# A bare NaN or Infinity token follows ":", "," or "[" (text inside strings rarely does).
_NOT_JSON_FLOATS = (b"NaN", b"Infinity")
_JSON_WHITESPACE = b" \t\n\r\f\v"

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
    # Callables: whether App Check is enforced in prod (APP_CHECK_ENFORCE may override, see
    # shared/web/app_check.py), and whether the token is consumed (accepted once, ever).
    app_check: AppCheckMode = "off"
    consume_app_check: bool = False


@dataclass(frozen=True)
class CallContext:
    """What a callable handler knows about its caller."""

    auth: AuthToken | None
    language: str
    request_id: str
    ip: str
    headers: dict[str, str]
    app: AppCheckToken | None = None  # a verified App Check token, if one came

    @property
    def uid(self) -> str:
        if self.auth is None:
            raise AppError("ERR_4011")
        return self.auth.uid

    @property
    def signed_in_at(self) -> datetime | None:
        """When the caller signed in (its ID token's auth_time)."""
        return None if self.auth is None else self.auth.signed_in_at


def _json_response(body: dict[str, Any], status: int, extra: dict[str, str] | None = None):
    headers = dict(extra or {})
    return flask.Response(
        json.dumps(body), status=status, mimetype="application/json", headers=headers
    )


def _request_id(request: flask.Request) -> str:
    trace = request.headers.get("X-Cloud-Trace-Context", "").split("/")[0]
    return trace or request.headers.get("X-Request-Id") or uuid.uuid4().hex


def language_of(request: flask.Request) -> str:
    if "Accept-Language" not in request.headers:  # most calls: skip parsing
        return "en"
    return request.accept_languages.best_match(LANGUAGES) or "en"


def validation_error(e: ValidationError) -> AppError:
    """ERR_4030 for an id that cannot be a document id, else ERR_4000 naming each field that
    failed and why."""
    for err in e.errors():
        if err["type"] == DOCUMENT_ID_ERROR:
            field = ".".join(str(p) for p in err["loc"]) or "data"
            return AppError("ERR_4030", field=field, problem=id_error_problem(err))
    problems = [
        {"field": ".".join(str(p) for p in err["loc"]) or "data", "problem": err["msg"]}
        for err in e.errors()
    ]
    reason = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
    return AppError("ERR_4000", reason=reason, fields=problems)


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in `value` (iterative: no recursion limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_JSON_DEPTH:
                return deepest
            stack.extend(
                (child, level + 1) for child in (node.values() if isinstance(node, dict) else node)
            )
    return deepest


def _is_json(content_type: str) -> bool:
    # As firebase-functions: the media type without parameters, case-insensitive.
    return content_type.partition(";")[0].strip().lower() == "application/json"


def _read_body(request: flask.Request) -> bytes:
    if request.method != "POST":
        raise AppError("ERR_4010", reason="use POST")
    if not _is_json(request.headers.get("Content-Type", "")):
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


def _has_bare_non_finite(raw: bytes) -> bool:
    """Whether `raw` holds NaN or Infinity as a bare token (after ":", "," or "[", then
    spaces and an optional "-"). The words are found at C speed and each is looked behind:
    a regex trying every ":" and "," of a large push cost as much as validating it."""
    for word in _NOT_JSON_FLOATS:
        at = raw.find(word)
        while at != -1:
            i = at - 1
            if i >= 0 and raw[i] == ord("-"):
                i -= 1
            while i >= 0 and raw[i] in _JSON_WHITESPACE:
                i -= 1
            if i >= 0 and raw[i] in b":,[":
                return True
            at = raw.find(word, at + 1)
    return False


def _callable_request(request: flask.Request, model: type[R]) -> tuple[Any, R | None]:
    """The call's `data`, or the request model itself when the body is a valid call.

    A valid body is parsed once, straight from its bytes; any other takes the long way
    (decode, check the envelope, validate later) so its error is the one that path gives.
    """
    raw = _read_body(request)
    # NaN and Infinity, which pydantic's parser takes but JSON has not, take the long way.
    if not _has_bare_non_finite(raw):
        try:
            return None, _envelope(model).model_validate_json(raw, strict=True).data  # type: ignore[attr-defined]
        except ValidationError:
            pass  # the checks below give this body's error
    try:
        # NaN and Infinity are not JSON; huge integers raise ValueError too.
        body = json.loads(raw, parse_constant=_not_json)
        # Few brackets cannot nest deeply: count them at C speed before walking the tree.
        deep = raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH and _depth(body) > MAX_JSON_DEPTH
    except RecursionError:
        deep = True
    except (ValueError, UnicodeDecodeError):
        raise AppError("ERR_4010", reason="the body is not valid JSON") from None
    if deep:
        raise AppError("ERR_4010", reason=f"JSON nests deeper than {MAX_JSON_DEPTH} levels")
    if not isinstance(body, dict) or set(body) != {"data"}:
        raise AppError("ERR_4010", reason='the body must be exactly {"data": ...}')
    # The Firebase SDKs send {"data": null} for a call without arguments: the defaults apply.
    return ({} if body["data"] is None else body["data"]), None


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
    # Deleted, disabled, signed out or banned: refused whatever the function.
    refuse_barred(auth.uid, auth.claims["iat"])
    if mode == "admin" and not auth.is_admin:
        raise AppError("ERR_4014")
    return auth


def _check_app(request: flask.Request, spec: FunctionSpec) -> AppCheckToken | None:
    """The verified App Check token, if any; refused where the function enforces it."""
    token = request.headers.get("X-Firebase-AppCheck", "").strip()
    if not app_check.enforced(spec.name, spec.app_check):
        # As firebase-functions: verified when sent, an invalid one ignored (and logged).
        if not token:
            return None
        try:
            return app_check.verifier().verify(token)
        except AppError as e:
            log.event("app check token refused", logging.WARNING, code=e.code)
            return None
    if not token:
        raise AppError("ERR_4033")
    app = app_check.verifier().verify(token)
    if spec.consume_app_check:
        app_check.consume(token, app)
    return app


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
    request_model: type[BaseModel],
    *,
    auth: AuthMode = "required",
    min_instances: int = 0,
    app_check: AppCheckMode = "off",
    consume_app_check: bool = False,
) -> Callable[[Callable[[Any, CallContext], Any]], Callable[[flask.Request], flask.Response]]:
    """Serve `handler(request, ctx) -> model | dict | None` as a Firebase callable function.

    `app_check="enforced"` refuses calls without a valid App Check token in prod (see
    shared/web/app_check.py); `consume_app_check=True` accepts each token once, ever."""

    def wrap(handler: Callable[[Any, CallContext], Any]):
        name = handler.__name__
        spec = FunctionSpec(
            name,
            "callable",
            min_instances=min_instances,
            app_check=app_check,
            consume_app_check=consume_app_check,
        )

        def entry(request: flask.Request) -> flask.Response:
            if request.method == "OPTIONS":
                return flask.Response(status=204, headers=_CORS_HEADERS)
            log.ensure_setup()
            started = time.perf_counter()
            log.function_name.set(name)
            log.request_id.set(rid := _request_id(request))
            language, uid = language_of(request), None
            try:
                data, parsed = _callable_request(request, request_model)
                token = _authenticate(request, auth)
                uid = token.uid if token else None
                app = _check_app(request, spec)
                ratelimit.limit_call(
                    name, uid=uid, headers=request.headers, peer=request.remote_addr
                )
                ctx = CallContext(
                    token, language, rid, request.remote_addr or "", dict(request.headers), app
                )
                idempotency.take_replayed()  # nothing of a previous request on this thread
                if parsed is None:
                    parsed = _parse(request_model, data)
                result = handler(parsed, ctx)
                # A model is encoded straight to JSON text, without an intermediate dict.
                text = (
                    result.model_dump_json(by_alias=True)
                    if isinstance(result, BaseModel)
                    else json.dumps(result)
                )
                replayed = (
                    {idempotency.REPLAYED_HEADER: "true"} if idempotency.take_replayed() else {}
                )
                response = flask.Response(
                    '{"result":' + text + "}",
                    status=200,
                    mimetype="application/json",
                    headers=_CORS_HEADERS | replayed,
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
        entry.__deploy__ = spec  # type: ignore[attr-defined]
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
        log.ensure_setup()
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
        log.ensure_setup()
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
