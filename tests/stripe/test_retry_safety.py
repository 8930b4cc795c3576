"""Transaction bodies are safe to re-run, as Firestore may re-run them: the same flows on a store
that runs every body twice (discarding the first run) give the same results."""

import pytest

from shared import collections, wiring
from shared.ledger import get_wallet
from shared.purchases.entitlements import is_entitled
from shared.purchases.stripe import backfill
from shared.purchases.stripe.backfill import StartBackfill
from shared.store import query
from shared.store.sqlite import SqliteStore
from tests.stripe.helpers import event
from tests.support import ids


@pytest.fixture
def rerunning(tmp_path):
    store = SqliteStore(str(tmp_path / "rerun.sqlite3"), rerun_transactions=True)
    wiring.use(store=store)
    return store


def test_purchase_refund_and_subscription_on_a_rerunning_store(api, stripe, rerunning):
    uid = ids.uid()
    intent = api.result(
        "create_credits_purchase_intent",
        {"packId": "starter", "idempotencyKey": ids.key()},
        uid=uid,
    )
    paid = stripe.pay(intent["paymentIntentId"])
    stripe.deliver(api.http, event("payment_intent.succeeded", paid))
    assert get_wallet(rerunning, uid).credits == 500
    stripe.deliver(api.http, event("charge.refunded", stripe.refund(paid, 300)))
    assert get_wallet(rerunning, uid).credits == 500 - 500 * 300 // 599
    sub = stripe.subscribe(intent["customerId"], "price_pro_monthly", uid)
    stripe.deliver(api.http, event("customer.subscription.created", sub))
    assert is_entitled(rerunning, uid, "sync", wiring.now())
    assert is_entitled(rerunning, uid, "ai", wiring.now())


def test_a_backfill_on_a_rerunning_store_counts_exactly(stripe, rerunning):
    stripe.standin.seed_customers(250)
    view = backfill.start_backfill("ops", StartBackfill(entity_types=["customers"]))
    assert view.status == "completed"
    assert view.progress["customers"].processed == 250
    assert view.progress["customers"].succeeded == 250
    assert len(rerunning.query(query(collections.CUSTOMERS))) == 250
