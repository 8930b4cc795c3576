"""The dev server: every function of functions/main.py on one port, at `/<function_name>` and
at `/<projectId>/<region>/<function_name>`, the path the Firebase SDKs' functions emulator
switches (`connectFunctionsEmulator`, `useEmulator`) call.

Callable and HTTP functions get the request as Cloud Functions would give it; event and
scheduled functions take every body Cloud Functions takes (a binary or structured CloudEvent,
or the raw Pub/Sub push envelope), converted by functions-framework's own code. A local
scheduler fires the scheduled jobs at their intervals; `POST /__dev/run/<job>` fires one now.
"""

import importlib
import logging
import os
import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import flask
from cloudevents import exceptions as cloudevent_errors
from cloudevents.http import CloudEvent, from_http
from functions_framework import event_conversion
from functions_framework.exceptions import EventConversionException

from shared import config, log, wiring
from shared.web import ratelimit
from shared.web.functions import FunctionSpec, pubsub_event

Function = Callable[..., Any]


def discover(module: ModuleType | None = None) -> dict[str, Function]:
    """Every function main.py exports, by name."""
    module = module or importlib.import_module("functions.main")
    return {
        name: fn
        for name in getattr(module, "__all__", dir(module))
        if (fn := getattr(module, name, None)) is not None and hasattr(fn, "__deploy__")
    }


def spec_of(fn: Function) -> FunctionSpec:
    return fn.__deploy__


def run_job(fn: Function) -> None:
    """Fire an event or scheduled function once, as Pub/Sub would."""
    fn(pubsub_event(spec_of(fn).topic or spec_of(fn).name))


def cloud_event_of(request: flask.Request) -> CloudEvent:
    """The CloudEvent in a request to an event function, as functions-framework reads it: a
    binary or structured CloudEvent, else a background event or raw Pub/Sub push converted."""
    try:
        return from_http(dict(request.headers), request.get_data())
    except (cloudevent_errors.MissingRequiredFields, cloudevent_errors.InvalidRequiredFields):
        return event_conversion.background_event_to_cloud_event(request)


def _not_found(message: str) -> tuple[dict[str, Any], int]:
    return {"error": {"status": "NOT_FOUND", "message": message}}, 404


def create_app(functions: dict[str, Function] | None = None) -> flask.Flask:
    """The WSGI app serving `functions` (default: all of main.py); add dev routes to it freely."""
    functions = functions if functions is not None else discover()
    app = flask.Flask("dev-server")
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    @app.get("/")
    def index() -> Any:
        return {
            "functions": {
                name: {"kind": spec_of(fn).kind, "everyMinutes": spec_of(fn).every_minutes}
                for name, fn in sorted(functions.items())
            }
        }

    @app.route("/<name>", methods=methods)
    def dispatch(name: str) -> Any:
        fn = functions.get(name)
        if fn is None:
            return _not_found(f"no function {name!r}")
        if spec_of(fn).kind in ("callable", "http"):
            return fn(flask.request)
        try:
            event = cloud_event_of(flask.request)
        except EventConversionException as e:
            # functions-framework answers 400 too: a body no retry can fix.
            return {"error": {"status": "INVALID_ARGUMENT", "message": str(e)}}, 400
        fn(event)  # an exception answers 500, so Pub/Sub redelivers
        return "", 204

    @app.route("/<project>/<region>/<name>", methods=methods)
    def dispatch_emulator_path(project: str, region: str, name: str) -> Any:
        # Any region, as the functions emulator; the project must be ours (the SDK takes it
        # from the app's Firebase options).
        if project != config.platform().firebase_project_id:
            return _not_found(f"no project {project!r} here")
        return dispatch(name)

    @app.post("/__dev/run/<name>")
    def run_now(name: str) -> Any:
        fn = functions.get(name)
        if fn is None or spec_of(fn).kind not in ("event", "scheduled"):
            return {"error": f"no event or scheduled function {name!r}"}, 404
        run_job(fn)
        return {"ran": name}

    @app.get("/__dev/contract")
    def contract() -> Any:
        from shared.contract.build import build  # the contract of the code as it is now

        return build()

    @app.get("/__dev/stats")
    def stats() -> Any:
        counts = getattr(wiring.store(), "counts", None)
        return {"store": counts.as_dict() if counts else None}

    return app


class LocalScheduler(threading.Thread):
    """Fires each scheduled job every `every_minutes` (scaled by `speed` for demos): runs it
    here, or `fire`s it another way (`./dev emulators` publishes to its Pub/Sub topic)."""

    def __init__(
        self,
        functions: dict[str, Function],
        speed: float = 1.0,
        fire: Callable[[Function], None] = run_job,
    ) -> None:
        super().__init__(daemon=True, name="local-scheduler")
        self.jobs = {n: f for n, f in functions.items() if spec_of(f).kind == "scheduled"}
        self.speed = speed
        self.fire = fire
        self.stopped = threading.Event()

    def run(self) -> None:
        due = {name: time.monotonic() + self._interval(fn) for name, fn in self.jobs.items()}
        while not self.stopped.wait(1.0):
            for name, fn in self.jobs.items():
                if time.monotonic() >= due[name]:
                    due[name] = time.monotonic() + self._interval(fn)
                    try:
                        self.fire(fn)
                    except Exception:
                        logging.getLogger("scheduler").exception("scheduled job %s failed", name)

    def _interval(self, fn: Function) -> float:
        return (spec_of(fn).every_minutes or 1) * 60 / self.speed


def main(fire: Callable[[Function], None] = run_job) -> None:
    from werkzeug.serving import run_simple

    settings = config.platform()  # fails early, naming any missing setting
    ratelimit.settings()  # and any RATE_LIMITS entry that names no function
    log.setup(settings.log_level)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # our own line per call suffices
    functions = discover()
    if os.environ.get("DEV_SCHEDULER", "on") != "off":
        speed = float(os.environ.get("DEV_SCHEDULER_SPEED", "1"))
        LocalScheduler(functions, speed, fire).start()
    port = int(os.environ.get("PORT", "8080"))
    host = os.environ.get("HOST", "127.0.0.1")
    wiring.store()  # open (and create) the store before the first request
    store = (
        f"sqlite {settings.sqlite_path}"
        if settings.store_backend == "sqlite"
        else f"firestore {os.environ.get('FIRESTORE_EMULATOR_HOST', '')}"
    )
    paths = f"/<name> and /{settings.firebase_project_id}/<region>/<name>"
    print(
        f"Serving {len(functions)} functions on http://{host}:{port}{paths} "
        f"(store: {store}, env: {settings.app_env})",
        flush=True,
    )
    run_simple(host, port, create_app(functions), threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
