"""Backfill of an existing Stripe account: paging, progress, conflicts, dry runs, date ranges,
crashes and resumption, concurrent runners, cancellation, and live webhooks arriving meanwhile."""

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared import collections, wiring
from shared.purchases.entitlements import is_entitled
from shared.purchases.stripe import backfill
from shared.purchases.stripe.backfill import StartBackfill
from shared.store import query
from tests.stripe.helpers import MONTHLY, PRODUCT, event
from tests.support import ids

ADMIN = {"admin": True}


class HeldPublisher:
    """Keeps published slices instead of delivering them (the test runs them)."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    def publish(self, topic: str, data: dict[str, Any]) -> None:
        self.messages.append(data)


def admin(api, name: str, data: dict[str, Any]) -> Any:
    return api.result(name, data, uid="ops", claims=ADMIN)


def admin_error(api, name: str, data: dict[str, Any]) -> tuple[int, str]:
    return api.error(name, data, uid="ops", claims=ADMIN)[:2]


def start(**options: Any):
    return backfill.start_backfill("ops", StartBackfill(**options))


def events_of(store, backfill_id: str) -> dict[str, dict]:
    docs = store.query(query(collections.backfill_events(backfill_id)))
    return {d.id: d.data for d in docs}


def count(store, collection: str) -> int:
    return len(store.query(query(collection)))


def test_an_account_is_imported_over_http(api, stripe, store):
    stripe.flush()
    uids = [ids.uid() for _ in range(3)]
    customers = [stripe.customer(uid) for uid in uids]
    stray = stripe.customer(None, "walk-in@example.com")  # no firebaseUID: cannot be mapped
    sub = stripe.subscribe(customers[0]["id"], MONTHLY, uids[0])
    view = admin(api, "stripe_backfill_start", {"batchSize": 2})
    assert view["status"] == "completed"  # the local publisher ran every slice
    progress = view["progress"]
    assert progress["customers"] | {"cursor": None} == {
        "processed": 4,
        "succeeded": 3,
        "failed": 1,
        "skipped": 0,
        "cursor": None,
        "done": True,
    }
    assert [progress[e]["processed"] for e in ("products", "prices", "subscriptions")] == [1, 3, 1]
    assert progress["invoices"]["succeeded"] == 1
    for uid, customer in zip(uids, customers, strict=True):
        assert store.get(collections.customer(uid))["stripeId"] == customer["id"]
    assert store.get(f"products/{PRODUCT}")["name"] == "Individual"
    assert store.get(f"products/{PRODUCT}/prices/{MONTHLY}")["unitAmount"] == 900
    mirrored = store.get(f"{collections.customer_subscriptions(uids[0])}/{sub['id']}")
    assert mirrored["status"] == "active"
    assert is_entitled(store, uids[0], "sync", wiring.now())
    invoice = store.get(f"{collections.customer_invoices(uids[0])}/{sub['latest_invoice']}")
    assert invoice["status"] == "paid"
    failures = events_of(store, view["backfillId"])
    assert list(failures) == [f"customers_{stray['id']}"]
    assert "firebaseUID" in failures[f"customers_{stray['id']}"]["reason"]
    listed = api.result("stripe_backfill_list", {}, uid="ops", claims=ADMIN)["backfills"]
    assert [b["backfillId"] for b in listed] == [view["backfillId"]]
    assert admin(api, "stripe_backfill_get", {"backfillId": view["backfillId"]}) == view


def test_a_large_account_killed_half_way_resumes_with_no_duplicates(stripe, store, monkeypatch):
    stripe.standin.seed_customers(5000)
    real, calls = backfill.IMPORTERS["customers"], {"n": 0}

    def crashing(txn, chunk):
        calls["n"] += 1
        real(txn, chunk)  # the chunk's writes are buffered ...
        if calls["n"] == 23:
            raise RuntimeError("instance killed")  # ... and rolled back

    monkeypatch.setitem(backfill.IMPORTERS, "customers", crashing)
    view = start(entity_types=["customers"], batch_size=100)
    publisher = wiring.part("stripe_publisher", lambda: None)
    assert view.status == "running" and len(publisher.failed) == 1
    assert view.progress["customers"].processed == 2200  # 22 chunks committed, the 23rd not
    assert count(store, collections.CUSTOMERS) == 2200
    publisher.redeliver_failed()  # Pub/Sub redelivers the slice that died
    done = backfill.get_backfill(view.backfill_id)
    assert done.status == "completed" and done.slices > 10  # 5 pages per slice
    assert done.progress["customers"].model_dump() == {
        "processed": 5000,
        "succeeded": 5000,
        "failed": 0,
        "skipped": 0,
        "cursor": "cus_bulk000000",  # Stripe lists newest first
        "done": True,
    }
    docs = store.query(query(collections.CUSTOMERS))
    assert len(docs) == 5000
    assert {d.data["stripeId"] for d in docs} == {c["id"] for c in stripe.standin.bulk_customers}
    assert events_of(store, view.backfill_id) == {}


def test_the_watchdog_restarts_a_backfill_whose_slice_died(api, stripe, store, clock):
    stripe.standin.seed_customers(300)
    held = HeldPublisher()
    wiring.use(stripe_publisher=held)
    view = start(entity_types=["customers"], batch_size=100)
    held.messages.clear()  # the first slice's message is lost: nothing will redeliver it
    assert backfill.resume_stale_backfills() == 0  # not idle long enough yet
    clock.advance(minutes=16)
    api.http.post("/__dev/run/stripe_backfill_watchdog").raise_for_status()
    assert held.messages == [{"backfillId": view.backfill_id}]
    backfill.run_backfill_slice(view.backfill_id)
    assert backfill.get_backfill(view.backfill_id).progress["customers"].processed == 300


@pytest.mark.parametrize(
    ("strategy", "succeeded", "skipped", "flagged", "linked"),
    [
        ("skip", 4, 1, False, "cus_other"),
        ("flag", 4, 1, True, "cus_other"),
        ("overwrite", 5, 0, False, "cus_bulk000002"),
    ],
)
def test_conflict_strategies(stripe, store, strategy, succeeded, skipped, flagged, linked):
    stripe.standin.seed_customers(5)
    store.set(collections.customer("bulk_2"), {"stripeId": "cus_other"})
    view = start(entity_types=["customers"], conflict_strategy=strategy)
    progress = view.progress["customers"]
    assert (progress.succeeded, progress.skipped, progress.failed) == (succeeded, skipped, 0)
    assert store.get(collections.customer("bulk_2"))["stripeId"] == linked
    found = events_of(store, view.backfill_id)
    if flagged:
        assert found["customers_cus_bulk000002"]["kind"] == "conflict"
        assert "cus_other" in found["customers_cus_bulk000002"]["reason"]
    else:
        assert found == {}


def test_a_newer_mirror_is_never_overwritten_even_with_overwrite(stripe, store):
    stripe.flush()
    future = datetime.now(UTC) + timedelta(hours=1)
    path = f"products/{PRODUCT}"
    store.set(path, {"id": PRODUCT, "name": "Renamed since", "sourceTime": future})
    view = start(entity_types=["products"], conflict_strategy="overwrite")
    assert view.progress["products"].skipped == 1
    assert store.get(path)["name"] == "Renamed since"


def test_a_dry_run_counts_and_writes_nothing(stripe, store):
    stripe.standin.seed_customers(10)
    view = start(entity_types=["customers", "prices"], dry_run=True)
    assert view.status == "completed"
    assert view.progress["customers"].succeeded == 10 and view.progress["prices"].succeeded == 3
    assert count(store, collections.CUSTOMERS) == 0 and count(store, collections.PRODUCTS) == 0


def test_a_created_range_takes_only_those_objects(stripe, store):
    customers = stripe.standin.seed_customers(20, start=1_700_000_000)
    view = start(
        entity_types=["customers"],
        created_from=datetime.fromtimestamp(1_700_000_005, UTC),
        created_to=datetime.fromtimestamp(1_700_000_009, UTC),
    )
    assert view.progress["customers"].processed == 5
    stored = {d.data["stripeId"] for d in store.query(query(collections.CUSTOMERS))}
    assert stored == {c["id"] for c in customers[5:10]}


def test_two_runners_of_one_backfill_apply_each_chunk_once(stripe, store):
    stripe.standin.seed_customers(1000)
    held = HeldPublisher()
    wiring.use(stripe_publisher=held)
    view = start(entity_types=["customers"], batch_size=50)

    def runner():
        while backfill.get_backfill(view.backfill_id).status == "running":
            backfill.run_backfill_slice(view.backfill_id)

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    progress = backfill.get_backfill(view.backfill_id).progress["customers"]
    assert (progress.processed, progress.succeeded) == (1000, 1000)
    assert count(store, collections.CUSTOMERS) == 1000


def test_cancel_stops_the_next_slice(api, stripe, store):
    stripe.standin.seed_customers(1000)
    held = HeldPublisher()
    wiring.use(stripe_publisher=held)
    view = admin(api, "stripe_backfill_start", {"entityTypes": ["customers"], "batchSize": 100})
    backfill_id = view["backfillId"]
    backfill.run_backfill_slice(backfill_id)  # one slice: 5 pages
    canceled = admin(api, "stripe_backfill_cancel", {"backfillId": backfill_id})
    assert canceled["status"] == "canceled" and canceled["canceledBy"] == "ops"
    backfill.run_backfill_slice(backfill_id)  # the published next slice finds it canceled
    assert backfill.get_backfill(backfill_id).progress["customers"].processed == 500
    assert count(store, collections.CUSTOMERS) == 500
    again = admin_error(api, "stripe_backfill_cancel", {"backfillId": backfill_id})
    assert again == (400, "ERR_4310")


def test_the_backfill_callables_are_for_admins(api, stripe, store):
    assert api.error("stripe_backfill_start", {}, uid="someone")[:2] == (403, "ERR_4014")
    assert api.error("stripe_backfill_list", {}, uid="someone")[:2] == (403, "ERR_4014")
    assert admin_error(api, "stripe_backfill_get", {"backfillId": "nope"}) == (404, "ERR_4309")
    assert admin_error(api, "stripe_backfill_start", {"batchSize": 500}) == (400, "ERR_4000")
    refunds = {"entityTypes": ["refunds"]}
    assert admin_error(api, "stripe_backfill_start", refunds) == (400, "ERR_4000")
    assert count(store, collections.BACKFILLS) == 0


def test_a_backfill_and_live_webhooks_leave_the_newest_state(api, stripe, store, monkeypatch):
    stripe.flush()
    uid = ids.uid()
    customer = stripe.customer(uid)
    sub = stripe.subscribe(customer["id"], MONTHLY, uid)
    real_list = backfill.LISTS["subscriptions"]

    def list_then_cancel(client, params):
        page = real_list(client, params)  # the backfill now holds the active subscription
        canceled = stripe.cancel(sub["id"])  # ... when the user cancels, and Stripe tells us
        deleted = event("customer.subscription.deleted", canceled)
        assert stripe.deliver(api.http, deleted).status_code == 200
        return page

    monkeypatch.setitem(backfill.LISTS, "subscriptions", list_then_cancel)
    view = start(entity_types=["customers", "subscriptions"], conflict_strategy="overwrite")
    assert view.progress["subscriptions"].skipped == 1  # its copy was older than the webhook's
    mirrored = store.get(f"{collections.customer_subscriptions(uid)}/{sub['id']}")
    assert mirrored["status"] == "canceled"
    assert not is_entitled(store, uid, "sync", wiring.now())
