"""Subscriptions: Checkout and the portal over HTTP, the mirror in customers/{uid}/subscriptions,
and the entitlements it grants, whatever the order of Stripe's deliveries."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from shared import collections, wiring
from shared.purchases.entitlements import (
    Entitlement,
    EntitlementStatus,
    get_entitlement,
    is_entitled,
    record_entitlement,
)
from tests.stripe.helpers import MONTHLY, PRO, YEARLY, event
from tests.support import ids


def checkout(api, uid: str, plan: str = "individual", interval: str = "month") -> dict:
    return api.result("create_checkout_session", {"plan": plan, "interval": interval}, uid=uid)


def complete(api, stripe, uid: str, session: dict, price: str = MONTHLY) -> dict:
    """Pay the Checkout session as Stripe would, and deliver checkout.session.completed."""
    stored = stripe.standin.checkout_sessions[session["sessionId"]]
    sub = stripe.subscribe(stored["customer"], price, uid)
    done = {**stored, "status": "complete", "payment_status": "paid", "subscription": sub["id"]}
    answer = stripe.deliver(api.http, event("checkout.session.completed", done))
    assert answer.status_code == 200, answer.text
    return sub


def mirror(store, uid: str, sub_id: str) -> dict:
    return store.get(f"{collections.customer_subscriptions(uid)}/{sub_id}")


def test_checkout_then_completion_grants_the_plan(api, stripe, store):
    uid = ids.uid()
    session = checkout(api, uid, "individual", "year")
    assert session["url"].endswith(session["sessionId"])
    sent = next(r for r in stripe.standin.requests if r.path == "/v1/checkout/sessions").params
    assert sent["mode"] == "subscription" and sent["client_reference_id"] == uid
    assert sent["line_items"] == [{"price": YEARLY, "quantity": "1"}]
    assert sent["subscription_data"] == {
        "metadata": {"firebaseUID": uid},
        "trial_period_days": "14",
    }
    doc = store.get(f"{collections.customer_checkout_sessions(uid)}/{session['sessionId']}")
    assert doc["status"] == "open" and doc["priceId"] == YEARLY
    sub = complete(api, stripe, uid, session, YEARLY)
    mirrored = mirror(store, uid, sub["id"])
    assert (mirrored["status"], mirrored["plan"], mirrored["interval"]) == (
        "active",
        "individual",
        "year",
    )
    entitlement = get_entitlement(store, uid, "sync")
    assert entitlement.platform == "stripe" and entitlement.tier == "individual"
    assert entitlement.status == EntitlementStatus.ACTIVE and entitlement.auto_renew
    assert entitlement.expires_at == datetime.fromtimestamp(sub["current_period_end"], UTC)
    assert is_entitled(store, uid, "sync", wiring.now())
    doc = store.get(f"{collections.customer_checkout_sessions(uid)}/{session['sessionId']}")
    assert doc["status"] == "complete" and doc["subscription"] == sub["id"]


def test_a_second_checkout_for_a_live_plan_is_refused_and_trials_are_once(api, stripe, store):
    uid = ids.uid()
    complete(api, stripe, uid, checkout(api, uid))
    status, code, _ = api.error(
        "create_checkout_session", {"plan": "individual", "interval": "year"}, uid=uid
    )
    assert (status, code) == (400, "ERR_4312")
    checkout(api, uid, "pro")
    sent = [r.params for r in stripe.standin.requests if r.path == "/v1/checkout/sessions"]
    assert "trial_period_days" not in sent[-1]["subscription_data"]


def test_cancellation_expires_and_late_or_replayed_events_do_not_revive(api, stripe, store):
    uid = ids.uid()
    sub = complete(api, stripe, uid, checkout(api, uid))
    created = event("customer.subscription.created", sub)
    canceled = stripe.cancel(sub["id"])
    deleted = event("customer.subscription.deleted", canceled)
    assert stripe.deliver(api.http, deleted).json()["outcome"] == "subscription canceled written"
    assert not is_entitled(store, uid, "sync", wiring.now())
    assert get_entitlement(store, uid, "sync").status == EntitlementStatus.EXPIRED
    # The older "created" event arrives late: it re-reads Stripe and changes nothing.
    late = stripe.deliver(api.http, created).json()["outcome"]
    assert late.startswith("subscription canceled")
    assert stripe.deliver(api.http, deleted).json()["outcome"] == "duplicate"
    assert mirror(store, uid, sub["id"])["status"] == "canceled"
    assert not is_entitled(store, uid, "sync", wiring.now())


def gone_subscription(uid: str, customer: str, status: str, price: str = MONTHLY) -> dict:
    """A subscription object Stripe no longer has (so only the event's copy is known)."""
    end = int(time.time()) + 30 * 86400
    return {
        "id": "sub_gone" + ids.key()[:10],
        "object": "subscription",
        "status": status,
        "customer": customer,
        "metadata": {"firebaseUID": uid},
        "cancel_at_period_end": False,
        "created": int(time.time()) - 100,
        "items": {
            "data": [
                {
                    "price": {"id": price, "recurring": {"interval": "month"}},
                    "current_period_start": end - 30 * 86400,
                    "current_period_end": end,
                }
            ]
        },
    }


def test_without_stripes_copy_an_older_event_never_overwrites_a_newer_one(api, stripe, store):
    uid = ids.uid()
    customer = checkout(api, uid) and store.get(collections.customer(uid))["stripeId"]
    active = gone_subscription(uid, customer, "active")
    incomplete = {**active, "status": "incomplete"}
    now = int(time.time())
    stripe.deliver(api.http, event("customer.subscription.updated", active, created=now))
    stale = stripe.deliver(
        api.http, event("customer.subscription.created", incomplete, created=now - 5)
    )
    assert stale.json()["outcome"] == "subscription incomplete stale"
    assert mirror(store, uid, active["id"])["status"] == "active"
    assert is_entitled(store, uid, "sync", wiring.now())


def test_a_plan_with_two_add_ons_grants_both_and_old_subscriptions_do_not_hide_them(
    api, stripe, store
):
    uid = ids.uid()
    customer = checkout(api, uid) and store.get(collections.customer(uid))["stripeId"]
    old = gone_subscription(uid, customer, "canceled")
    pro = gone_subscription(uid, customer, "active", PRO)
    stripe.deliver(api.http, event("customer.subscription.updated", pro))
    assert is_entitled(store, uid, "sync", wiring.now())
    assert is_entitled(store, uid, "ai", wiring.now())
    assert get_entitlement(store, uid, "ai").tier == "pro"
    # The canceled individual subscription, delivered later, keeps the pro plan's sync.
    stripe.deliver(api.http, event("customer.subscription.deleted", old))
    assert mirror(store, uid, old["id"])["status"] == "canceled"
    sync = get_entitlement(store, uid, "sync")
    assert sync.status == EntitlementStatus.ACTIVE and sync.original_transaction_id == pro["id"]


def test_an_app_store_subscription_keeps_access_when_stripes_ends(api, stripe, store):
    uid = ids.uid()
    customer = checkout(api, uid) and store.get(collections.customer(uid))["stripeId"]
    now = wiring.now()
    apple = Entitlement(
        add_on="sync",
        status=EntitlementStatus.ACTIVE,
        platform="app_store",
        product_id="sync_monthly",
        original_transaction_id="2000000001",
        expires_at=now + timedelta(days=20),
        source_time=now - timedelta(minutes=1),
    )
    store.transaction(lambda txn: record_entitlement(txn, uid, apple, now))
    stripe.deliver(
        api.http,
        event("customer.subscription.deleted", gone_subscription(uid, customer, "canceled")),
    )
    kept = get_entitlement(store, uid, "sync")
    assert kept.platform == "app_store" and kept.grants_access(wiring.now())


def test_concurrent_deliveries_converge_on_stripes_state(api, stripe, store):
    uid = ids.uid()
    sub = complete(api, stripe, uid, checkout(api, uid))
    canceled = stripe.cancel(sub["id"])
    deliveries = [event("customer.subscription.created", sub) for _ in range(4)]
    deliveries += [event("customer.subscription.deleted", canceled) for _ in range(4)]
    barrier = threading.Barrier(len(deliveries))

    def deliver(evt):
        barrier.wait()
        return stripe.deliver(api.http, evt).status_code

    with ThreadPoolExecutor(len(deliveries)) as pool:
        assert set(pool.map(deliver, deliveries)) == {200}
    assert mirror(store, uid, sub["id"])["status"] == "canceled"
    assert get_entitlement(store, uid, "sync").status == EntitlementStatus.EXPIRED


def test_invoices_are_mirrored_with_their_subscription(api, stripe, store):
    uid = ids.uid()
    sub = complete(api, stripe, uid, checkout(api, uid))
    invoice = stripe.get(f"/v1/invoices/{sub['latest_invoice']}")
    answer = stripe.deliver(api.http, event("invoice.payment_succeeded", invoice))
    assert answer.json()["outcome"] == "invoice paid written"
    stored = store.get(f"{collections.customer_invoices(uid)}/{invoice['id']}")
    assert stored["subscription"] == sub["id"] and stored["amountPaid"] == 900
    failed = stripe.deliver(
        api.http, event("invoice.payment_failed", {**invoice, "status": "open"})
    )
    # Re-read from Stripe: the invoice is paid, whatever the late event says.
    assert failed.json()["outcome"] == "invoice paid written"


def test_the_billing_portal_opens_on_the_users_own_customer(api, stripe, store):
    uid = ids.uid()
    checkout(api, uid)
    customer = store.get(collections.customer(uid))["stripeId"]
    portal = api.result("create_billing_portal_session", {}, uid=uid)
    assert portal["url"].endswith(f"/portal/{customer}")
    sent = next(r for r in stripe.standin.requests if r.path == "/v1/billing_portal/sessions")
    assert sent.params == {"customer": customer, "return_url": "https://example.com/billing"}
