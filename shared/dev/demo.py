"""`./dev demo`: a scripted walk-through of the backend, as a mobile app would use it.

It starts the dev server (every function of functions/main.py) in this process on a temporary
SQLite store, with local stand-ins for what it cannot reach (a Stripe server that signs its own
webhooks), and plays an app against it over real HTTP, printing each call and its answer.
A step whose function is not in main.py prints `skipped: <function> not deployed`.
Nothing it does touches ./.data or any real service; it takes a few seconds.
"""

import hashlib
import hmac
import json
import logging
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from shared.dev.servers import serve_wsgi

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
    claims: dict[str, Any] = field(default_factory=lambda: {"email": "ada@example.com"})

    def call(
        self, name: str, data: dict[str, Any], *, uid: str | None = None, claims: dict | None = None
    ) -> Any:
        """Call a callable as the demo user (or `uid`); print the request and the answer."""
        token = self.sign(uid or self.uid, self.claims if claims is None else claims)
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
        say(f"  <- {response.status_code} {_short(response.text.strip())}")
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
# What the stand-ins tell the steps (the Stripe stand-in and its URL).
STATE: dict[str, Any] = {}


def step(title: str, *needs: str) -> Callable[[Step], Step]:
    """Register a step of the walk-through; it runs only if main.py exports all `needs`."""

    def register(fn: Step) -> Step:
        STEPS.append((title, needs, fn))
        return fn

    return register


# ---- Stand-ins for Apple and Stripe, speaking their real protocols ---------------------------


@contextmanager
def devicecheck_stand_in() -> Iterator[dict[str, str]]:
    """Apple's DeviceCheck API (query/update two bits per device), checking our ES256 JWT;
    yields the settings that point the backend at it."""
    import jwt
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from werkzeug.wrappers import Request, Response

    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    key_id, team_id, bits = "DEMOKEY001", "DEMOTEAM01", {}

    @Request.application
    def app(request: Request) -> Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, key.public_key(), algorithms=["ES256"])
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            return Response("Missing or badly formatted authorization token", 401)
        body = request.get_json(silent=True) or {}
        device = body.get("device_token")
        if kid != key_id or claims.get("iss") != team_id:
            return Response("Unable to verify authorization token", 401)
        if not device:
            return Response("Missing or incorrectly formatted device token payload", 400)
        if request.path == "/v1/query_two_bits":
            found = bits.get(device)
            return Response(json.dumps(found) if found else "Failed to find bit state")
        if request.path == "/v1/update_two_bits":
            bits[device] = {"bit0": body.get("bit0", False), "bit1": body.get("bit1", False)}
            return Response("")
        return Response("Not found", 404)

    with serve_wsgi(app) as url:
        yield {
            "DEVICECHECK_ENABLED": "true",
            "DEVICECHECK_BASE_URL": url,
            "DEVICECHECK_KEY_ID": key_id,
            "DEVICECHECK_TEAM_ID": team_id,
            "DEVICECHECK_PRIVATE_KEY": pem,
        }


def _form(request: Any) -> dict[str, Any]:
    """Stripe's form encoding (`metadata[uid]=u`, `payment_method_types[0]=card`) as a dict."""
    data: dict[str, Any] = {}
    for key, value in request.form.items():
        base, _, sub = key.partition("[")
        if sub:
            data.setdefault(base, {})[sub.rstrip("]")] = value
        else:
            data[key] = value
    return data


class StripeStandIn:
    """The few Stripe API calls a credit-pack purchase makes (customers, payment intents and
    their confirmation), with idempotency keys, and webhooks signed as Stripe signs them."""

    secret_key = "sk_test_demo"

    def __init__(self) -> None:
        self.webhook_secret = f"whsec_demo_{uuid.uuid4().hex}"
        self.objects: dict[str, dict[str, Any]] = {}
        self.replies: dict[str, tuple[dict, int]] = {}
        self.lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        from werkzeug.wrappers import Request, Response

        request = Request(environ)
        if request.headers.get("Authorization") != f"Bearer {self.secret_key}":
            body, status = {"error": {"type": "invalid_request_error", "message": "bad key"}}, 401
        else:
            key = request.headers.get("Idempotency-Key") or uuid.uuid4().hex
            with self.lock:  # a retried key answers what the first request got, as Stripe does
                if key not in self.replies:
                    self.replies[key] = self.handle(request.method, request.path, _form(request))
                body, status = self.replies[key]
        response = Response(json.dumps(body), status, mimetype="application/json")
        return response(environ, start_response)

    def handle(self, method: str, path: str, form: dict[str, Any]) -> tuple[dict, int]:
        parts = path.strip("/").split("/")
        if method == "POST" and parts == ["v1", "customers"]:
            return self.create("cus", "customer", form | {"livemode": False}), 200
        if method == "POST" and parts == ["v1", "payment_intents"]:
            intent = form | {"amount": int(form["amount"]), "status": "requires_payment_method"}
            intent = self.create("pi", "payment_intent", intent | {"livemode": False})
            intent["client_secret"] = f"{intent['id']}_secret_{uuid.uuid4().hex[:12]}"
            return intent, 200
        if method == "POST" and parts[:2] == ["v1", "payment_intents"] and parts[3:] == ["confirm"]:
            intent = self.objects[parts[2]]
            intent |= {"status": "succeeded", "latest_charge": f"ch_{uuid.uuid4().hex[:14]}"}
            return intent, 200
        return {"error": {"type": "invalid_request_error", "message": f"no {path}"}}, 404

    def create(self, prefix: str, kind: str, fields: dict[str, Any]) -> dict[str, Any]:
        obj = {
            "id": f"{prefix}_{uuid.uuid4().hex[:14]}",
            "object": kind,
            "created": int(time.time()),
        }
        self.objects[obj["id"]] = obj | fields
        return self.objects[obj["id"]]

    def event(self, kind: str, obj: dict[str, Any]) -> tuple[bytes, str]:
        """A webhook delivery: the event's JSON and its Stripe-Signature header."""
        event = {
            "id": f"evt_{uuid.uuid4().hex[:14]}",
            "object": "event",
            "type": kind,
            "created": int(time.time()),
            "livemode": False,
            "data": {"object": obj},
        }
        payload = json.dumps(event).encode()
        stamp = str(int(time.time()))
        mac = hmac.new(self.webhook_secret.encode(), f"{stamp}.".encode() + payload, hashlib.sha256)
        return payload, f"t={stamp},v1={mac.hexdigest()}"


@contextmanager
def stripe_stand_in() -> Iterator[dict[str, str]]:
    """Stripe's API for a credit-pack purchase; yields the settings pointing the backend at it."""
    stand_in = StripeStandIn()
    with serve_wsgi(stand_in) as url:
        STATE.update(stripe=stand_in, stripe_url=url)
        yield {
            "STRIPE_SECRET_KEY": stand_in.secret_key,
            "STRIPE_WEBHOOK_SECRET": stand_in.webhook_secret,
            "STRIPE_PUBLISHABLE_KEY": "pk_test_demo",
            "STRIPE_API_BASE": url,
            "STRIPE_MAX_NETWORK_RETRIES": "0",
        }


STAND_INS = [devicecheck_stand_in, stripe_stand_in]


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


ANONYMOUS = {"firebase": {"identities": {}, "sign_in_provider": "anonymous"}}


@step("A guest opens the app: the device check grants free credits", "device_check")
def guest_gets_credits(demo: Demo) -> None:
    guest = f"guest_{uuid.uuid4().hex[:8]}"
    check = {"deviceId": "iphone-idfv-1", "deviceToken": "ZGV2aWNlLXRva2VuLTE="}
    result = demo.call("device_check", check, uid=guest, claims=ANONYMOUS)
    say(f"  the guest got {result['creditsGranted']} credits ({result['grant']})")
    say("  a reinstall (new guest account, same iPhone) gets nothing: DeviceCheck remembers")
    reinstall = {**check, "deviceId": "iphone-idfv-2"}  # a new vendor id, the same iPhone
    again = demo.call("device_check", reinstall, uid=f"{guest}_2", claims=ANONYMOUS)
    say(f"  -> {again['grant']}, {again['creditsGranted']} credits")
    if "guest_upgrade" not in demo.functions:
        demo.uid = guest
        demo.claims = ANONYMOUS
        say("  (guest_upgrade not deployed: the walk-through goes on as the guest)")
        return
    say(f"  the guest signs in as {demo.uid}: guest_upgrade moves its credits over")
    demo.call("guest_upgrade", {"guestIdToken": demo.sign(guest, ANONYMOUS)})


@step(
    "Buying a credit pack with Stripe (PaymentIntent, then Stripe's signed webhook)",
    "create_credits_purchase_intent",
    "stripe_webhook",
)
def buy_credit_pack(demo: Demo) -> None:
    stripe: StripeStandIn = STATE["stripe"]
    intent = demo.call(
        "create_credits_purchase_intent", {"packId": "starter", "idempotencyKey": "buy-starter-1"}
    )
    say("  the app's payment sheet confirms the intent with Stripe (here: the local stand-in)")
    paid = httpx.post(
        f"{STATE['stripe_url']}/v1/payment_intents/{intent['paymentIntentId']}/confirm",
        headers={"Authorization": f"Bearer {stripe.secret_key}"},
    ).json()
    say(f"  Stripe: {paid['id']} {paid['status']}; it sends payment_intent.succeeded, signed")
    payload, signature = stripe.event("payment_intent.succeeded", paid)
    headers = {"Stripe-Signature": signature, "Content-Type": "application/json"}
    demo.post("stripe_webhook", payload, headers)
    say("  Stripe delivers the same event again (it retries on any doubt): credited once")
    demo.post("stripe_webhook", payload, headers)
    wallet = demo.call("wallet_get", {"limit": 3})
    say(f"  wallet: {wallet['available']} credits available")


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
    say("  both edit note-1 offline from the same version: the second push is a conflict")
    base = {"phone": 1, "laptop": 1}
    for device, text in (("phone", "groceries + eggs"), ("laptop", "groceries + bread")):
        entry = {**edit, "ciphertext": sealed(text), "clock": {**base, device: 2}}
        outcome = demo.call("sync_push", {"deviceId": device, "entries": [entry]})["results"][0]
        say(
            f"  {device}: {outcome['status']}"
            + (f", {outcome['winner']} wins" if outcome["winner"] else "")
        )
    status = demo.call("sync_status", {"deviceId": "phone"})
    say(f"  status: {status['entryCount']} live entry, {status['conflictCount']} conflict kept")


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
    with tempfile.TemporaryDirectory(prefix="backend-demo-") as tmp, ExitStack() as stack:
        configure(Path(tmp))
        for stand_in in STAND_INS:
            os.environ.update(stack.enter_context(stand_in()))
        from shared import log, wiring
        from shared.dev.keys import ensure_dev_key, sign_id_token
        from shared.dev.server import create_app, discover

        wiring.reset()
        stack.callback(wiring.reset)
        log.setup(os.environ.get("DEMO_LOG_LEVEL", "WARNING"))
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        kid, key_pem, _ = ensure_dev_key(Path(tmp) / "dev_auth")
        functions = discover()
        url = stack.enter_context(serve_wsgi(create_app(functions)))
        say(f"Dev server with {len(functions)} functions on {url} (store: {tmp})")
        demo = Demo(
            url, set(functions), lambda uid, c: sign_id_token(key_pem, kid, PROJECT_ID, uid, c)
        )
        stack.callback(demo.http.close)
        failed = play(demo)
    say(f"\nDone in {time.monotonic() - started:.1f} s" + (f"; failed: {failed}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
