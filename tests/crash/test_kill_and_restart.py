"""Kill-and-restart: the dev server runs as its own process on a SQLite file and dies (its own
`os._exit` at a fault point, or a SIGKILL while it hangs at one) inside and just after a ledger
transaction, between charging a job and calling the provider, and in the middle of a reconcile
page. Started again on the same store, the next calls and runs leave every wallet equal to its
ledger, every job charged once or refunded, and all accounts summing to zero."""

import json
import threading
from datetime import timedelta

import httpx
import pytest
from cloudevents.conversion import to_structured

from shared import collections, ledger, wiring
from shared.jobs import catalog, cleanup
from shared.jobs.models import Model
from shared.jobs.settings import settings as job_settings
from shared.ledger import Wallet, audit_entries
from shared.ops import reconcile
from shared.purchases.stripe.publisher import BACKFILL_TOPIC
from shared.store import query
from shared.web.functions import pubsub_event
from tests.jobs.provider import API_KEY, WEBHOOK_SECRET, FakeProvider
from tests.ledger.helpers import entries, fund, wallet
from tests.stripe.helpers import SECRET_KEY, plans_setting
from tests.stripe.helpers import WEBHOOK_SECRET as STRIPE_WEBHOOK_SECRET
from tests.stripe.standin import StripeStandIn
from tests.support.servers import serve_wsgi

START = {"pledge": 4, "durationMinutes": 30, "idempotencyKey": "s1"}


def assert_sound(store) -> None:
    """Every wallet equals the fold of its entries, every job is charged once and refunded
    if it failed, and a full reconcile pass finds nothing and a zero global sum."""
    for user in store.query(query(collections.USERS)):
        audit = audit_entries(user.id, entries(store, user.id))
        assert ledger.stored_wallet(user.data) == audit.wallet, user.id
        assert audit.findings == [], user.id
    for job in store.query(query(collections.GENERATION_JOBS)):
        kinds = sorted(
            e["type"] for e in entries(store, job.data["uid"]) if e["refs"].get("job") == job.id
        )
        refunded = job.data["status"] == "failed"
        assert kinds == (
            ["credits_spend", "credits_spend_refund"] if refunded else ["credits_spend"]
        )
    report = reconcile.reconcile_balances(force=True)
    assert report.drifted == [] and report.findings == 0
    assert report.global_sum == {"credits": 0, "ash": 0}


def dies(call) -> None:
    with pytest.raises(httpx.TransportError):
        call()


def test_killed_inside_a_ledger_transaction_nothing_is_written(devserver, store):
    fund("u1", 10)
    api = devserver.start(FAULT_POINT="ledger.post")
    dies(lambda: api.call("session_start", START, uid="u1"))
    assert devserver.died()
    assert wallet(store, "u1") == Wallet(credits=10)
    assert store.query(query(collections.SESSIONS)) == []
    api = devserver.start()
    answer = api.call("session_start", START, uid="u1")
    assert answer.status_code == 200 and "Idempotent-Replayed" not in answer.headers
    assert wallet(store, "u1") == Wallet(credits=10, locked=4)
    assert_sound(store)


def test_killed_just_after_a_ledger_transaction_the_retry_is_a_replay(devserver, store):
    fund("u1", 10)
    api = devserver.start(FAULT_POINT="session.start.committed")
    dies(lambda: api.call("session_start", START, uid="u1"))
    assert devserver.died()
    assert wallet(store, "u1") == Wallet(credits=10, locked=4)  # committed before the exit
    api = devserver.start()
    again = api.call("session_start", START, uid="u1")
    assert again.headers["Idempotent-Replayed"] == "true" and again.json()["result"]["replayed"]
    assert wallet(store, "u1") == Wallet(credits=10, locked=4)
    assert_sound(store)


def test_sigkilled_while_hanging_after_a_resolve_the_retry_is_a_replay(devserver, store):
    fund("u1", 10)
    api = devserver.start(FAULT_POINT="session.resolve.committed", FAULT_ACTION="block")
    sid = api.result("session_start", START, uid="u1")["sessionId"]
    resolve = {"sessionId": sid, "outcome": "FAILURE", "idempotencyKey": "r1"}
    failures: list[Exception] = []

    def call() -> None:
        try:
            api.call("session_resolve", resolve, uid="u1")
        except httpx.TransportError as e:
            failures.append(e)

    caller = threading.Thread(target=call)
    caller.start()
    deadline = wiring.now() + timedelta(seconds=30)
    while wallet(store, "u1").locked and wiring.now() < deadline:  # committed, now hanging
        threading.Event().wait(0.05)
    devserver.kill()
    caller.join(10)
    assert failures and wallet(store, "u1") == Wallet(credits=6, ash=4)
    api = devserver.start()
    again = api.call("session_resolve", resolve, uid="u1")
    assert again.headers["Idempotent-Replayed"] == "true"
    assert wallet(store, "u1") == Wallet(credits=6, ash=4)
    assert_sound(store)


@pytest.fixture
def provider(devserver):
    fake = FakeProvider()
    with serve_wsgi(fake) as url:
        devserver.env |= {
            "PROVIDER_BASE_URL": url,
            "PROVIDER_API_KEY": API_KEY,
            "PROVIDER_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "PROVIDER_WEBHOOK_URL": "http://127.0.0.1/provider_webhook",
            "JOB_NOTIFIER": "log",
        }
        yield fake


def test_killed_between_charge_and_provider_the_job_is_refunded_once(devserver, store, provider):
    model = Model(id="flux-dev", name="Flux", cost=3, provider_model_id="fal-ai/flux/dev")
    store.transaction(lambda txn: catalog.put_model(txn, model, wiring.now()))
    fund("u1", 10)
    data = {"modelId": "flux-dev", "prompt": "a fox", "idempotencyKey": "g1"}
    api = devserver.start(FAULT_POINT="generate.charged")
    dies(lambda: api.call("generate", data, uid="u1"))
    assert devserver.died()
    assert wallet(store, "u1").available == 7 and provider.requests == {}

    api = devserver.start()
    replay = api.call("generate", data, uid="u1")  # the app retries with its key
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["result"]["status"] == "submitting"
    fresh = api.result("generate", {**data, "idempotencyKey": "g2"}, uid="u1")
    assert fresh["status"] == "queued" and wallet(store, "u1").available == 4
    # The cleanup job, once the stuck job is stale, fails and refunds it.
    stale = wiring.now() + timedelta(minutes=job_settings().job_submit_stale_minutes + 1)
    assert cleanup.clean_up(now=stale).stale_jobs == 1
    assert cleanup.clean_up(now=stale).stale_jobs == 0
    assert wallet(store, "u1").available == 7
    assert_sound(store)


def test_killed_mid_reconcile_page_the_next_run_repairs_the_rest_once(devserver, store):
    for i in range(4):
        fund(f"u{i}", 10)
    for uid in ("u0", "u2", "u3"):
        store.update(collections.user(uid), {"wallet.credits": 99})
    devserver.env["RECONCILE_FULL_EVERY_HOURS"] = "0"
    devserver.start(FAULT_POINT="reconcile.mid_page")
    dies(lambda: devserver.run_job("reconcile_balances"))
    assert devserver.died()
    assert [w.credits for w in (wallet(store, f"u{i}") for i in range(4))] == [10, 10, 99, 99]
    devserver.start()
    assert devserver.run_job("reconcile_balances").status_code < 300
    repaired = sorted(d.data["uid"] for d in store.query(query(collections.WALLET_REPAIRS)))
    assert repaired == ["u0", "u2", "u3"]  # each once: the first before the kill
    state = store.get(reconcile.state_path(reconcile.FULL))
    assert state["globalSum"] == {"credits": 0, "ash": 0}
    assert_sound(store)


@pytest.fixture
def stripe_standin(devserver):
    # The stand-in serves seeded customer lists itself; nothing here reaches localstripe.
    app = StripeStandIn("http://127.0.0.1:9")
    with serve_wsgi(app) as url:
        devserver.env |= {
            "STRIPE_SECRET_KEY": SECRET_KEY,
            "STRIPE_WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET,
            "STRIPE_PUBLISHABLE_KEY": "pk_test_local",
            "STRIPE_API_BASE": url,
            "STRIPE_MAX_NETWORK_RETRIES": "0",
            "STRIPE_PLANS": plans_setting(),
            "STRIPE_BACKFILL_SLICE_PAGES": "5",
        }
        yield app


def redeliver(devserver, topic: str, data: dict) -> httpx.Response:
    """What Pub/Sub does with a message whose delivery died: deliver it again."""
    event = pubsub_event(topic, json.dumps(data).encode())
    headers, body = to_structured(event)
    return devserver.api.http.post("/stripe_backfill_continue", headers=headers, content=body)


def test_killed_mid_backfill_slice_the_redelivered_slice_finishes_once(
    devserver, store, stripe_standin
):
    stripe_standin.seed_customers(500)
    api = devserver.start(FAULT_POINT="stripe_backfill.chunk", FAULT_AFTER="2")
    start = {"entityTypes": ["customers"], "batchSize": 100}
    dies(lambda: api.call("stripe_backfill_start", start, uid="ops", claims={"admin": True}))
    assert devserver.died()
    [doc] = store.query(query(collections.BACKFILLS))
    assert doc.data["progress"]["customers"]["processed"] == 200  # two chunks, then the kill
    devserver.start()
    assert redeliver(devserver, BACKFILL_TOPIC, {"backfillId": doc.id}).status_code < 300
    done = store.get(doc.path)
    assert done["status"] == "completed"
    assert done["progress"]["customers"]["processed"] == 500
    customers = store.query(query(collections.CUSTOMERS))
    assert len(customers) == 500
    assert {c.data["stripeId"] for c in customers} == {
        c["id"] for c in stripe_standin.bulk_customers
    }
