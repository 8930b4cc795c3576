"""A small Stripe stand-in in front of localstripe, speaking Stripe's JSON for what localstripe
lacks: Checkout sessions, billing portal sessions, prices (with list paging), and a large
customer list seeded in memory (localstripe re-pickles its whole store on every write, so
thousands of customers would take minutes). Everything else is proxied to localstripe.

It records every request (method, path, form params, Idempotency-Key) for assertions, and can
play an outage (503) to prove failures reach Stripe's retries.
"""

import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
from werkzeug.wrappers import Request, Response


def unflatten(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding (`line_items[0][price]=x`) back into nested dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def listify(node: Any) -> Any:
        if isinstance(node, dict):
            node = {k: listify(v) for k, v in node.items()}
            if node and all(k.isdigit() for k in node):
                return [node[k] for k in sorted(node, key=int)]
        return node

    return listify(root)


def stripe_error(status: int, message: str, code: str | None = None) -> Response:
    body = {"error": {"type": "invalid_request_error", "message": message, "code": code}}
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _page(items: list[dict[str, Any]], args: dict[str, Any], url: str) -> dict[str, Any]:
    """Stripe's list: newest first, `limit`, `starting_after`, `created[gte|lte|gt|lt]`."""
    created = args.get("created") or {}
    ops = {"gte": int.__ge__, "lte": int.__le__, "gt": int.__gt__, "lt": int.__lt__}
    chosen = [i for i in items if all(ops[op](i["created"], int(v)) for op, v in created.items())]
    chosen.sort(key=lambda i: (i["created"], i["id"]), reverse=True)
    if after := args.get("starting_after"):
        ids = [i["id"] for i in chosen]
        chosen = chosen[ids.index(after) + 1 :] if after in ids else []
    limit = int(args.get("limit", 10))
    return {
        "object": "list",
        "url": url,
        "data": chosen[:limit],
        "has_more": len(chosen) > limit,
    }


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, Any]
    idempotency_key: str | None
    api_key: str | None = None  # the secret key the request was made with


@dataclass
class StripeStandIn:
    localstripe_url: str
    base_url: str = ""
    checkout_sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    prices: dict[str, dict[str, Any]] = field(default_factory=dict)
    bulk_customers: list[dict[str, Any]] | None = None
    # Events "sent" by Stripe (delivered or not), served by GET /v1/events like Stripe's.
    events: list[dict[str, Any]] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    outage: bool = False
    fail_requests: int = 0  # this many next requests meet a 503

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._proxy = httpx.Client(base_url=self.localstripe_url, timeout=30)

    def reset(self) -> None:
        with self._lock:
            self.checkout_sessions.clear()
            self.prices.clear()
            self.bulk_customers = None
            self.events.clear()
            self.requests.clear()
            self.outage = False
            self.fail_requests = 0

    # --- seeding ------------------------------------------------------------------------

    def add_price(self, price_id: str, product: str, unit_amount: int, interval: str | None):
        price = {
            "id": price_id,
            "object": "price",
            "product": product,
            "active": True,
            "currency": "usd",
            "unit_amount": unit_amount,
            "type": "recurring" if interval else "one_time",
            "recurring": {"interval": interval, "interval_count": 1} if interval else None,
            "nickname": None,
            "metadata": {},
            "created": int(time.time()),
            "livemode": False,
        }
        self.prices[price_id] = price
        return price

    def seed_customers(self, count: int, start: int = 1_700_000_000, prefix: str = "bulk"):
        """`count` customers with firebaseUID `<prefix>_<i>`, created one second apart."""
        self.bulk_customers = [
            {
                "id": f"cus_{prefix}{i:06d}",
                "object": "customer",
                "email": f"{prefix}{i}@example.com",
                "created": start + i,
                "livemode": False,
                "metadata": {"firebaseUID": f"{prefix}_{i}"},
            }
            for i in range(count)
        ]
        return self.bulk_customers

    # --- serving ------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = Request(environ)
        return self._answer(request)(environ, start_response)

    def _answer(self, request: Request) -> Response:
        body = request.get_data()
        pairs = parse_qsl(body.decode(), keep_blank_values=True) if body else []
        pairs += list(request.args.items(multi=True))
        params = unflatten(pairs)
        with self._lock:
            self.requests.append(
                Recorded(
                    request.method,
                    request.path,
                    params,
                    request.headers.get("Idempotency-Key"),
                    request.headers.get("Authorization", "").removeprefix("Bearer ") or None,
                )
            )
        with self._lock:
            failing = self.outage or self.fail_requests > 0
            self.fail_requests = max(self.fail_requests - 1, 0)
        if failing:
            return stripe_error(503, "Stripe is down (stand-in outage)")
        path, method = request.path, request.method
        if path == "/v1/checkout/sessions" and method == "POST":
            return self._json(self._create_checkout(params))
        if m := re.fullmatch(r"/v1/checkout/sessions/([^/]+)", path):
            found = self.checkout_sessions.get(m.group(1))
            return self._json(found) if found else stripe_error(404, "No such checkout session")
        if path == "/v1/billing_portal/sessions" and method == "POST":
            return self._create_portal(request, params)
        if path == "/v1/prices" and method == "GET":
            return self._json(_page(list(self.prices.values()), params, path))
        if m := re.fullmatch(r"/v1/prices/([^/]+)", path):
            found = self.prices.get(m.group(1))
            if found is None:
                return stripe_error(404, "No such price", "resource_missing")
            return self._json(found)
        if path == "/v1/payment_intents" and method == "GET" and "customer" in params:
            return self._intents_of(request, params)
        if path == "/v1/events" and method == "GET":
            return self._json(_page(list(self.events), params, path))
        if self.bulk_customers is not None and path == "/v1/customers" and method == "GET":
            return self._json(_page(self.bulk_customers, params, path))
        return self._forward(request, body)

    def _intents_of(self, request: Request, params: dict[str, Any]) -> Response:
        """Stripe filters intents by customer; localstripe cannot, so filter its full list."""
        auth = {"Authorization": request.headers["Authorization"]}
        found = self._proxy.get("/v1/payment_intents", params={"limit": 100}, headers=auth)
        mine = [i for i in found.json()["data"] if i.get("customer") == params["customer"]]
        return self._json(_page(mine, {"limit": params.get("limit", 10)}, request.path))

    def _json(self, data: dict[str, Any], status: int = 200) -> Response:
        return Response(json.dumps(data), status=status, mimetype="application/json")

    def _create_checkout(self, params: dict[str, Any]) -> dict[str, Any]:
        missing = [k for k in ("mode", "line_items", "success_url") if k not in params]
        if missing:
            raise ValueError(f"checkout session without {missing}")
        session_id = "cs_test_" + secrets.token_hex(12)
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params["mode"],
            "customer": params.get("customer"),
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata", {}),
            "status": "open",
            "payment_status": "unpaid",
            "subscription": None,
            "payment_intent": None,
            "success_url": params["success_url"],
            "cancel_url": params.get("cancel_url"),
            "url": f"{self.base_url}/pay/{session_id}",
            "created": int(time.time()),
            "livemode": False,
        }
        self.checkout_sessions[session_id] = session
        return session

    def _create_portal(self, request: Request, params: dict[str, Any]) -> Response:
        customer = params.get("customer", "")
        check = self._proxy.get(
            f"/v1/customers/{customer}", headers={"Authorization": request.headers["Authorization"]}
        )
        if check.status_code != 200:
            return stripe_error(404, f"No such customer: '{customer}'", "resource_missing")
        return self._json(
            {
                "id": "bps_" + secrets.token_hex(12),
                "object": "billing_portal.session",
                "customer": customer,
                "return_url": params.get("return_url"),
                "url": f"{self.base_url}/portal/{customer}",
                "created": int(time.time()),
                "livemode": False,
            }
        )

    def _forward(self, request: Request, body: bytes) -> Response:
        headers = {
            k: v
            for k, v in request.headers.items()
            if k.lower() in ("authorization", "content-type", "stripe-version")
        }
        answer = self._proxy.request(
            request.method,
            request.path,
            params=list(request.args.items(multi=True)),
            content=body,
            headers=headers,
        )
        return Response(answer.content, status=answer.status_code, mimetype="application/json")
