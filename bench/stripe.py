"""Stripe scenarios: signed webhook deliveries per second (and store operations per fulfilled
PaymentIntent), and backfill throughput against localstripe."""

import json
import time

import httpx

from bench.harness import Bench, scenario
from shared import collections
from shared.purchases.stripe import backfill
from shared.purchases.stripe.backfill import StartBackfill
from tests.stripe.helpers import SECRET_KEY, WEBHOOK_SECRET, event, sign
from tests.support.localstripe import run_localstripe


def _configure(bench: Bench, api_base: str = "http://127.0.0.1:9") -> None:
    bench.configure(
        stripe_secret_key=SECRET_KEY,
        stripe_webhook_secret=WEBHOOK_SECRET,
        stripe_api_base=api_base,
        stripe_max_network_retries="0",
    )


def _succeeded(uid: str, i: int) -> dict:
    """payment_intent.succeeded for a starter pack of `uid` (as Stripe would send it)."""
    intent = {
        "id": f"pi_bench_{uid}_{i}",
        "object": "payment_intent",
        "amount": 599,
        "currency": "usd",
        "status": "succeeded",
        "customer": f"cus_{uid}",
        "metadata": {"uid": uid, "packId": "starter", "credits": "500", "idempotencyKey": "k"},
    }
    return event("payment_intent.succeeded", intent)


def _post(bench: Bench, payload: bytes) -> None:
    headers = {"Stripe-Signature": sign(payload), "Content-Type": "application/json"}
    answer = bench.api.http.post("/stripe_webhook", content=payload, headers=headers)
    if answer.status_code != 200:
        raise RuntimeError(answer.text)


@scenario("stripe_webhooks")
def webhooks(bench: Bench) -> None:
    """Fulfilment of signed payment_intent.succeeded events, then replays of them."""
    _configure(bench)
    users = [f"payer{i}" for i in range(64)]
    for uid in users:
        bench.store.set(collections.customer(uid), {"stripeId": f"cus_{uid}"})
    for clients, total in ((1, 300), (8, 800)):
        payloads = [
            json.dumps(_succeeded(users[i % len(users)], i + clients * 10_000)).encode()
            for i in range(total)
        ]
        send = lambda i, p=payloads: _post(bench, p[i])  # noqa: E731
        bench.measure(f"payment_intent.succeeded, new ({clients} cli)", clients, total, send)
        bench.measure("  the same events again (duplicates)", clients, total, send)
    again = [
        json.dumps({**json.loads(p), "id": f"evt_again_{i}"}).encode()
        for i, p in enumerate(payloads)
    ]
    bench.measure("  the same intents, new event ids", 8, total, lambda i: _post(bench, again[i]))


@scenario("stripe_backfill")
def backfill_throughput(bench: Bench) -> None:
    """A backfill of 1,000 customers and 10 products from localstripe (pages of 100)."""
    with run_localstripe(SECRET_KEY) as url:
        _configure(bench, url)
        seed = httpx.Client(base_url=url, auth=(SECRET_KEY, ""), timeout=30)
        started = time.perf_counter()
        for i in range(1000):
            data = {"email": f"b{i}@example.com", "metadata[firebaseUID]": f"backfilled{i}"}
            seed.post("/v1/customers", data=data).raise_for_status()
        for i in range(10):
            seed.post("/v1/products", data={"name": f"Pack {i}"}).raise_for_status()
        bench.note(f"seeded localstripe in {time.perf_counter() - started:.1f} s (not measured)")
        before = bench.store.counts.as_dict()
        started = time.perf_counter()
        request = StartBackfill(entity_types=["customers", "products"], batch_size=100)
        view = backfill.start_backfill("bench", request)
        seconds = time.perf_counter() - started
        after = bench.store.counts.as_dict()
        done = backfill.get_backfill(view.backfill_id)
        objects = sum(p.processed for p in done.progress.values())
        reads, writes = after["reads"] - before["reads"], after["writes"] - before["writes"]
        bench.note(
            f"backfill {done.status}: {objects} objects in {seconds:.2f} s = "
            f"{objects / seconds:.0f} objects/s over {done.slices} slices; "
            f"{reads / objects:.2f} reads, {writes / objects:.2f} writes per object"
        )
