"""`./dev demo`: a scripted walk-through of the backend, as a mobile app would use it.

It starts the dev server (every function of functions/main.py) in this process on a temporary
SQLite store, with local stand-ins for what it cannot reach (a Stripe server that signs its own
webhooks), and plays an app against it over real HTTP, printing each call and its answer.
A step whose function is not in main.py prints `skipped: <function> not deployed`.
Nothing it does touches ./.data or any real service; it takes a few seconds.
"""

import json
import logging
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from werkzeug.serving import make_server

PROJECT_ID = "demo-local"
Step = Callable[["Demo"], None]


@dataclass
class Demo:
    """The app's side of the walk-through: signed-in calls over HTTP, printed as they go."""

    url: str
    functions: set[str]
    sign: Callable[[str, dict[str, Any]], str]
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30))
    uid: str = field(default_factory=lambda: f"ada_{uuid.uuid4().hex[:8]}")
    state: dict[str, Any] = field(default_factory=dict)

    def call(self, name: str, data: dict[str, Any], *, claims: dict | None = None) -> Any:
        """Call a callable as the demo user; print the request and the answer."""
        token = self.sign(self.uid, claims or {})
        response = self.http.post(
            f"{self.url}/{name}",
            json={"data": data},
            headers={"Authorization": f"Bearer {token}"},
        )
        body = response.json()
        say(f"  -> {name} {_short(data)}")
        say(f"  <- {response.status_code} {_short(body.get('result', body))}")
        if response.status_code != 200:
            raise DemoFailed(f"{name} answered {response.status_code}: {body}")
        return body["result"]

    def post(self, path: str, content: bytes, headers: dict[str, str]) -> httpx.Response:
        """A plain HTTP request (a webhook, a dev endpoint); print it and the answer."""
        response = self.http.post(f"{self.url}/{path}", content=content, headers=headers)
        say(f"  -> POST /{path} ({len(content)} bytes)")
        say(f"  <- {response.status_code} {_short(response.text)}")
        if response.status_code >= 300:
            raise DemoFailed(f"/{path} answered {response.status_code}: {response.text}")
        return response

    def missing(self, names: tuple[str, ...]) -> str | None:
        return next((n for n in names if n not in self.functions), None)


class DemoFailed(RuntimeError):
    """A call answered something the walk-through did not expect."""


def say(text: str) -> None:
    print(text, flush=True)


def _short(value: Any, limit: int = 180) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


STEPS: list[tuple[str, tuple[str, ...], Step]] = []


def step(title: str, *needs: str) -> Callable[[Step], Step]:
    """Register a step of the walk-through; it runs only if main.py exports all `needs`."""

    def register(fn: Step) -> Step:
        STEPS.append((title, needs, fn))
        return fn

    return register


# ---- Local stand-ins for what an app would have bought elsewhere ---------------------------


def grant_credits_locally(demo: Demo, credits: int) -> None:
    """Post a credits grant straight to the ledger, in this process (when neither the guest
    grant nor a purchase could run)."""
    from shared import ledger, wiring
    from shared.ledger import EntryType, NewEntry

    entry = NewEntry(id=f"demo_grant_{demo.uid}", type=EntryType.CREDITS_GRANT, amount=credits)
    wiring.store().transaction(
        lambda txn: ledger.post_entries(txn, demo.uid, [entry], wiring.now())
    )
    say(f"  (stand-in) {credits} credits granted in-process: no guest or purchase step ran")


def grant_sync_locally(demo: Demo) -> None:
    """Record the `sync` add-on as a store purchase would (a subscription ran elsewhere)."""
    from datetime import timedelta

    from shared import wiring
    from shared.purchases.entitlements import Entitlement, EntitlementStatus, record_entitlement

    now = wiring.now()
    entitlement = Entitlement(
        add_on="sync",
        status=EntitlementStatus.ACTIVE,
        platform="grant",
        product_id="demo_sync_monthly",
        expires_at=now + timedelta(days=30),
        source_time=now,
    )
    wiring.store().transaction(lambda txn: record_entitlement(txn, demo.uid, entitlement, now))
    say("  (stand-in) `sync` add-on recorded in-process, as a subscription purchase would")


def available_credits(demo: Demo) -> int:
    return demo.call("wallet_get", {"limit": 5})["available"]


# ---- The walk-through -----------------------------------------------------------------------


@step("A guest opens the app: the device check grants free credits", "device_check")
def guest_gets_credits(demo: Demo) -> None:
    raise DemoFailed("device_check is deployed but this step is not written yet")


@step(
    "The guest buys a credit pack with Stripe",
    "create_credits_purchase_intent",
    "stripe_webhook",
)
def buy_credit_pack(demo: Demo) -> None:
    raise DemoFailed("the Stripe functions are deployed but this step is not written yet")


@step(
    "A commitment session: pledge credits, keep it alive, resolve it",
    "session_start",
    "session_heartbeat",
    "session_resolve",
    "wallet_get",
)
def commitment_sessions(demo: Demo) -> None:
    if available_credits(demo) < 10:
        grant_credits_locally(demo, 50)
    started = demo.call(
        "session_start",
        {"pledge": 5, "durationMinutes": 25, "idempotencyKey": "start-1"},
    )
    session_id = started["sessionId"]
    demo.call("session_heartbeat", {"sessionId": session_id})
    resolve = {"sessionId": session_id, "outcome": "SUCCESS", "idempotencyKey": "resolve-1"}
    demo.call("session_resolve", resolve)
    say("  the app retries the same resolve (a flaky network): same answer, nothing doubled")
    demo.call("session_resolve", resolve)
    say("  a second session fails: the pledge burns and ash is granted")
    failed = demo.call(
        "session_start", {"pledge": 3, "durationMinutes": 10, "idempotencyKey": "start-2"}
    )
    demo.call(
        "session_resolve",
        {"sessionId": failed["sessionId"], "outcome": "FAILURE", "idempotencyKey": "resolve-2"},
    )
    wallet = demo.call("wallet_get", {"limit": 10})
    say(f"  wallet: {wallet['available']} credits available, {wallet['ash']} ash")


@step(
    "End-to-end-encrypted sync between a phone and a laptop",
    "device_register",
    "sync_push",
    "sync_pull",
    "sync_status",
)
def sync_two_devices(demo: Demo) -> None:
    import base64

    def sealed(text: str) -> str:  # the app encrypts; the server only sees opaque bytes
        return base64.b64encode(f"<ciphertext of {text!r}>".encode()).decode()

    grant_sync_locally(demo)
    for device, platform in (("phone", "ios"), ("laptop", "macos")):
        demo.call("device_register", {"deviceId": device, "name": device, "platform": platform})
    at = "2026-01-01T12:00:00+00:00"
    notes = [
        {"id": "note-1", "ciphertext": sealed("groceries"), "clock": {"phone": 1}, "updatedAt": at},
        {"id": "note-2", "ciphertext": sealed("ideas"), "clock": {"phone": 1}, "updatedAt": at},
    ]
    demo.call("sync_push", {"deviceId": "phone", "entries": notes})
    page = demo.call("sync_pull", {"deviceId": "laptop", "cursor": 0})
    say(f"  the laptop got {len(page['entries'])} entries, cursor {page['nextCursor']}")
    edit = {
        **notes[0],
        "ciphertext": sealed("groceries + milk"),
        "clock": {"phone": 1, "laptop": 1},
    }
    demo.call("sync_push", {"deviceId": "laptop", "entries": [edit], "deletedIds": [
        {"id": "note-2", "clock": {"phone": 1, "laptop": 1}, "updatedAt": at}
    ]})  # fmt: skip
    page = demo.call("sync_pull", {"deviceId": "phone", "cursor": page["nextCursor"]})
    say(f"  the phone got the laptop's {len(page['entries'])} changes (an edit and a deletion)")
    demo.call("sync_status", {"deviceId": "phone"})


@step("A scheduled job, run now as Cloud Scheduler would", "expire_stale_sessions")
def run_a_job(demo: Demo) -> None:
    demo.post("__dev/run/expire_stale_sessions", b"", {})


# ---- Running it -------------------------------------------------------------------------------


def configure(workdir: Path) -> None:
    """Settings of the demo: dev mode, a temporary store and token key, local stand-ins."""
    os.environ.update(
        APP_ENV="dev",
        FIREBASE_PROJECT_ID=PROJECT_ID,
        STORE_BACKEND="sqlite",
        SQLITE_PATH=str(workdir / "store.sqlite3"),
        DEV_AUTH_DIR=str(workdir / "dev_auth"),
        STORE_COUNT_OPERATIONS="false",
    )


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve a WSGI app on 127.0.0.1 and a free port, in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def play(demo: Demo) -> list[str]:
    """Run every step in order; the titles of those that failed."""
    failed = []
    for number, (title, needs, fn) in enumerate(STEPS, start=1):
        say(f"\n{number}. {title}")
        if missing := demo.missing(needs):
            say(f"  skipped: {missing} not deployed")
            continue
        try:
            fn(demo)
        except DemoFailed as e:
            say(f"  FAILED: {e}")
            failed.append(title)
    return failed


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="backend-demo-") as tmp:
        configure(Path(tmp))
        from shared import log, wiring
        from shared.dev.keys import ensure_dev_key, sign_id_token
        from shared.dev.server import create_app, discover

        wiring.reset()
        log.setup(os.environ.get("DEMO_LOG_LEVEL", "WARNING"))
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        kid, key_pem, _ = ensure_dev_key(Path(tmp) / "dev_auth")
        functions = discover()
        with serve(create_app(functions)) as url:
            say(f"Dev server with {len(functions)} functions on {url} (store: {tmp})")
            demo = Demo(
                url, set(functions), lambda uid, c: sign_id_token(key_pem, kid, PROJECT_ID, uid, c)
            )
            failed = play(demo)
            demo.http.close()
        wiring.reset()
    say(f"\nDone in {time.monotonic() - started:.1f} s" + (f"; failed: {failed}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
