"""recover_missed_events end to end: a notification or event the webhook never received is
found in the store's history and applied through the same handler; a second run, and events
that did arrive, change nothing; a run stopped by its page budget continues where it stopped."""

import time
from concurrent.futures import ThreadPoolExecutor

from shared import collections
from shared.ledger import get_wallet
from shared.purchases.recovery.job import STATE_PATH
from shared.store import query
from tests.purchases.apple_fakes import after, notification, renewal_info
from tests.purchases.helpers import entitlement, post_apple, sub_transaction
from tests.recovery.helpers import documents_but_state, last_report, run_job
from tests.stripe.helpers import event
from tests.support import ids


def _buy_apple(api, stores, uid: str, tx: dict) -> None:
    signed = stores.ca.sign(tx)
    api.result("verify_purchase", {"platform": "app_store", "signedTransaction": signed}, uid=uid)


def _renewed(stores, otid: str, tid: str, start, when, uuid: str | None = None) -> str:
    renewal = renewal_info(
        original_transaction_id=otid, product_id="sync.monthly", signed_date=when
    )
    tx = sub_transaction(tid, start, otid=otid)
    return notification(
        stores.ca,
        "DID_RENEW",
        signed_date=when,
        transaction=tx,
        renewal=renewal,
        notification_uuid=uuid,
    )


def test_a_dropped_apple_renewal_is_recovered_once(api, store, clock, stores) -> None:
    uid, start = ids.uid(), clock()
    _buy_apple(api, stores, uid, sub_transaction("7100", start))
    clock.advance(days=30)
    delivered = _renewed(stores, "7100", "7101", after(start, days=30), clock())
    assert post_apple(api, delivered).json() == {"outcome": "applied"}
    stores.apple_api.sent(delivered, clock())
    clock.advance(days=30)
    dropped = _renewed(stores, "7100", "7102", after(start, days=60), clock())
    stores.apple_api.sent(dropped, clock())  # Apple sent it; our webhook never saw it
    clock.advance(minutes=5)

    run_job(api)

    assert entitlement(store, uid).expires_at == after(start, days=90)
    report = last_report(store)["apple"]
    assert (report["applied"], report["duplicates"], report["finished"]) == (1, 0, True)
    before = documents_but_state(store)
    run_job(api)
    assert documents_but_state(store) == before
    again = last_report(store)["apple"]
    assert (again["applied"], again["duplicates"]) == (0, 1)


def test_apple_history_pages_resume_after_the_page_budget(
    api, store, clock, stores, monkeypatch
) -> None:
    monkeypatch.setenv("RECOVERY_MAX_PAGES", "1")
    stores.apple_api.history_page_size = 2
    uids = [ids.uid() for _ in range(5)]
    start = clock()
    for i, uid in enumerate(uids):
        _buy_apple(api, stores, uid, sub_transaction(f"72{i}0", start))
    clock.advance(days=30)
    for i in range(5):
        payload = _renewed(stores, f"72{i}0", f"72{i}1", after(start, days=30), clock())
        stores.apple_api.sent(payload, clock())
        clock.advance(seconds=1)
    clock.advance(minutes=1)

    finished = []
    for _ in range(3):
        run_job(api)
        finished.append(last_report(store)["apple"]["finished"])
        clock.advance(minutes=1)

    assert finished == [False, False, True]
    assert [entitlement(store, u).expires_at for u in uids] == [after(start, days=60)] * 5
    state = store.get(STATE_PATH)["apple"]
    assert state["until"] is None and state["cursor"] is None


def _paid_pack(api, stripe, uid: str) -> dict:
    intent = api.result(
        "create_credits_purchase_intent",
        {"packId": "starter", "idempotencyKey": ids.key()},
        uid=uid,
    )
    return stripe.pay(intent["paymentIntentId"])


def test_a_dropped_stripe_payment_is_recovered_once(api, store, stripe) -> None:
    uid = ids.uid()
    delivered_pi, dropped_pi = _paid_pack(api, stripe, uid), _paid_pack(api, stripe, uid)
    created = int(time.time()) - 60
    delivered = event("payment_intent.succeeded", delivered_pi, created=created)
    dropped = event("payment_intent.succeeded", dropped_pi, created=created + 1)
    assert stripe.deliver(api.http, delivered).status_code == 200
    stripe.standin.events.extend([delivered, dropped])
    assert get_wallet(store, uid).credits == 500

    run_job(api)

    assert get_wallet(store, uid).credits == 1000
    assert store.get(f"{collections.STRIPE_EVENTS}/{dropped['id']}")["outcome"] == "credited"
    report = last_report(store)["stripe"]
    assert (report["applied"], report["duplicates"], report["finished"]) == (1, 1, True)
    before = documents_but_state(store)
    run_job(api)
    assert documents_but_state(store) == before
    assert last_report(store)["stripe"]["duplicates"] == 2


def test_stripe_event_pages_resume_and_apply_each_once(api, store, stripe, monkeypatch) -> None:
    monkeypatch.setenv("RECOVERY_MAX_PAGES", "1")
    monkeypatch.setenv("RECOVERY_PAGE_SIZE", "2")
    uid = ids.uid()
    created = int(time.time()) - 120
    for i in range(5):
        paid = _paid_pack(api, stripe, uid)
        stripe.standin.events.append(event("payment_intent.succeeded", paid, created=created + i))

    finished = []
    for _ in range(3):
        run_job(api)
        finished.append(last_report(store)["stripe"]["finished"])

    assert finished == [False, False, True]
    assert get_wallet(store, uid).credits == 5 * 500
    listed = [r for r in stripe.standin.requests if r.path == "/v1/events"]
    assert [r.params.get("starting_after") is None for r in listed] == [True, False, False]


def test_a_refused_event_is_reported_and_does_not_stop_the_replay(api, store, stripe) -> None:
    uid, stranger = ids.uid(), ids.uid()
    paid = _paid_pack(api, stripe, uid)
    forged = {**paid, "metadata": {**paid["metadata"], "uid": stranger}}
    created = int(time.time()) - 30
    stripe.standin.events.extend(
        [
            event("payment_intent.succeeded", forged, created=created),
            event("payment_intent.succeeded", paid, created=created + 1),
        ]
    )

    run_job(api)

    report = last_report(store)["stripe"]
    assert report["applied"] == 1 and report["refused"] == ["refused ERR_4305"]
    assert get_wallet(store, uid).credits == 500 and get_wallet(store, stranger).credits == 0


def test_racing_runs_apply_each_event_once(api, store, stripe) -> None:
    uid = ids.uid()
    created = int(time.time()) - 60
    for i in range(6):
        paid = _paid_pack(api, stripe, uid)
        stripe.standin.events.append(event("payment_intent.succeeded", paid, created=created + i))

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: run_job(api), range(4)))

    assert get_wallet(store, uid).credits == 6 * 500
    entries = store.query(query(collections.LEDGER, [("uid", "==", uid)]))
    assert len(entries) == 6


def test_a_stripe_outage_stops_the_run_without_losing_its_place(api, store, stripe) -> None:
    uid = ids.uid()
    paid = _paid_pack(api, stripe, uid)
    stripe.standin.events.append(event("payment_intent.succeeded", paid, created=int(time.time())))
    stripe.standin.outage = True

    failed = api.http.post("/__dev/run/recover_missed_events")

    stripe.standin.outage = False
    assert failed.status_code >= 500
    assert (store.get(STATE_PATH) or {}).get("stripe") is None  # no window was finished
    report = last_report(store)
    assert report["stripe"]["error"] == "ERR_5201" and report["apple"]["finished"] is True
    assert get_wallet(store, uid).credits == 0
    run_job(api)
    assert get_wallet(store, uid).credits == 500
