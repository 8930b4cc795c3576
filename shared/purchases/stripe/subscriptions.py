"""Subscriptions: Checkout and the billing portal, the mirror in `customers/{uid}/subscriptions`,
and the entitlements it grants (platform "stripe").

Each subscription is one entitlement source per add-on its prices grant (entitlements.py
combines the sources), so a canceled old subscription never hides a newer active one, a price
change ends the add-ons the new price no longer grants, and a paused one grants nothing.
"""

from datetime import datetime
from typing import Any

from pydantic import Field

from shared import collections, wiring
from shared.errors import AppError
from shared.models import WireModel
from shared.purchases import claims
from shared.purchases.catalog import find_product
from shared.purchases.entitlements import (
    GRANTING,
    Entitlement,
    EntitlementStatus,
    end_source,
    may_grant,
    put_source,
    read_add_ons,
    source_key,
)
from shared.purchases.stripe import client, events, mirror
from shared.purchases.stripe.customers import (
    UID_KEY,
    Email,
    check_owner,
    ensure_customer,
    stripe_id_of,
    uid_of_customer,
)
from shared.purchases.stripe.objects import CheckoutSession, StripeEvent, Subscription, timestamp
from shared.purchases.stripe.settings import Interval, settings
from shared.store import Reader, Transaction, query

PLATFORM = "stripe"
_STATUS = {
    "active": EntitlementStatus.ACTIVE,
    "trialing": EntitlementStatus.ACTIVE,
    "past_due": EntitlementStatus.GRACE_PERIOD,  # Stripe is still retrying the renewal
    "unpaid": EntitlementStatus.BILLING_RETRY,
    "incomplete": EntitlementStatus.BILLING_RETRY,
    "paused": EntitlementStatus.PAUSED,  # a trial ended without a payment method
}
LIVE_STATUSES = frozenset({"active", "trialing", "past_due"})


class CreateCheckoutSession(WireModel):
    plan: str = Field(min_length=1, max_length=64)
    interval: Interval
    idempotency_key: str | None = Field(default=None, min_length=8, max_length=128)


class CheckoutSessionView(WireModel):
    session_id: str
    url: str


class BillingPortalSessionView(WireModel):
    url: str


def subscription_path(uid: str, subscription_id: str) -> str:
    return f"{collections.customer_subscriptions(uid)}/{subscription_id}"


def _add_ons_of(price_id: str | None) -> tuple[str | None, list[str]]:
    """(plan, add-ons) of a price: PURCHASE_PRODUCTS wins (one map for all three stores),
    else the Stripe plan that lists the price."""
    product = find_product(price_id) if price_id else None
    found = settings().plan_of_price(price_id)
    plan = found[0] if found else None
    if product is not None and not product.is_credit_pack:
        return product.tier or plan, product.entitlements
    return plan, list(found[1].add_ons) if found else []


def subscription_document(sub: Subscription, source_time: datetime) -> dict[str, Any]:
    """The mirror of `sub` as observed at `source_time`; its add-ons are those of every item."""
    plans = [_add_ons_of(item.price_id) for item in sub.items.data or [sub.item]]
    add_ons = list(dict.fromkeys(a for _, found in plans for a in found))
    return {
        "id": sub.id,
        "status": sub.status,
        "customer": sub.customer,
        "priceId": sub.item.price_id,
        "priceIds": [item.price_id for item in sub.items.data],
        "productId": sub.item.product_id,
        "interval": sub.item.interval,
        "plan": next((plan for plan, _ in plans if plan), None),
        "addOns": add_ons,
        "cancelAtPeriodEnd": sub.cancel_at_period_end,
        "paused": sub.pause_collection is not None,
        "currentPeriodStart": timestamp(sub.period_start),
        "currentPeriodEnd": timestamp(sub.period_end),
        "canceledAt": timestamp(sub.canceled_at),
        "endedAt": timestamp(sub.ended_at),
        "trialStart": timestamp(sub.trial_start),
        "trialEnd": timestamp(sub.trial_end),
        "created": timestamp(sub.created),
        "livemode": sub.livemode,
        "metadata": sub.metadata,
        "sourceTime": source_time,
        "updatedAt": wiring.now(),
    }


def entitlement_of(doc: dict[str, Any], add_on: str, source_time: datetime) -> Entitlement:
    status = _STATUS.get(doc["status"], EntitlementStatus.EXPIRED)
    if doc.get("paused") and status in GRANTING:
        status = EntitlementStatus.PAUSED  # pause_collection: no access while paused
    end = doc.get("currentPeriodEnd")
    return Entitlement(
        add_on=add_on,
        status=status,
        tier=doc.get("plan"),
        expires_at=end if doc["status"] in _STATUS else doc.get("endedAt") or end,
        grace_expires_at=end if status == EntitlementStatus.GRACE_PERIOD else None,
        auto_renew=status == EntitlementStatus.ACTIVE and not doc.get("cancelAtPeriodEnd"),
        platform=PLATFORM,
        product_id=doc.get("priceId") or "",
        original_transaction_id=doc["id"],
        environment="production" if doc.get("livemode") else "sandbox",
        source_time=source_time,
    )


class UserSubscriptions:
    """What one user's subscription change needs, read up front: the mirrored subscriptions and
    the entitlement records of the add-ons involved, so `apply` only writes and can run for
    several users in one transaction (the backfill)."""

    def __init__(self, txn: Transaction, uid: str, docs: list[dict[str, Any]]) -> None:
        self.txn, self.uid = txn, uid
        mirrored = txn.query(query(collections.customer_subscriptions(uid)))
        self.stored = {d.id: d.data for d in mirrored}
        add_ons = [a for d in [*docs, *self.stored.values()] for a in d.get("addOns") or []]
        self.states = read_add_ons(txn, uid, add_ons)

    def apply(
        self, docs: list[dict[str, Any]], now: datetime, only_new: bool = False, write: bool = True
    ) -> dict[str, mirror.Outcome]:
        """Mirror `docs` unless stored ones are newer (or exist, with `only_new`), and record
        each subscription's source for every add-on it grants or stopped granting (a price
        change). Writes only."""
        outcomes = {d["id"]: mirror.decide(self.stored.get(d["id"]), d, only_new) for d in docs}
        changed = [d for d in docs if outcomes[d["id"]] == "written"]
        if not write or not changed:
            return outcomes
        for doc in changed:
            before = self.stored.get(doc["id"]) or {}
            self.stored[doc["id"]] = doc
            self.txn.set(subscription_path(self.uid, doc["id"]), doc)
            self._record(doc, before.get("addOns") or [], now)
        return outcomes

    def _record(self, doc: dict[str, Any], had: list[str], now: datetime) -> None:
        key = settings().stripe_secret_key.get_secret_value()
        test_key = key.startswith(("sk_test_", "rk_test_"))  # a test-mode deployment
        if not may_grant("production" if doc.get("livemode") else "sandbox", test_key):
            return  # test mode grants nothing in this deployment; the mirror keeps livemode
        for add_on in doc.get("addOns") or []:
            entitlement = entitlement_of(doc, add_on, doc["sourceTime"])
            put_source(self.txn, self.states[add_on], entitlement, now)
        for add_on in set(had) - set(doc.get("addOns") or []):
            key = source_key(add_on, PLATFORM, doc["id"])
            end_source(self.txn, self.states[add_on], key, EntitlementStatus.EXPIRED, now)


def apply_subscriptions(
    txn: Transaction, uid: str, docs: list[dict[str, Any]], now: datetime
) -> dict[str, mirror.Outcome]:
    """Mirror `docs` for `uid` and recompute their entitlements (reads first, then writes)."""
    return UserSubscriptions(txn, uid, docs).apply(docs, now)


def fetch_subscription(subscription_id: str) -> tuple[dict[str, Any] | None, datetime]:
    return mirror.fetch(lambda c: c.v1.subscriptions.retrieve(subscription_id))


def uid_of(reader: Reader, metadata: dict[str, str], customer_id: str | None) -> str | None:
    return metadata.get(UID_KEY) or uid_of_customer(reader, customer_id)


def sync_subscription(event: StripeEvent) -> str:
    """customer.subscription.*: mirror the subscription as Stripe has it now."""
    data, sent = fetch_subscription(event.object_id or "")
    if data is None:  # gone from Stripe: the event's own copy, as of the event
        data, sent = event.object, timestamp(event.created) or sent
    sub = Subscription.model_validate(data)
    uid = uid_of(wiring.store(), sub.metadata, sub.customer)
    if uid is None:
        return events.commit(event, lambda txn: "ignored: unknown customer")
    doc, now = subscription_document(sub, sent), wiring.now()

    def effect(txn: Transaction) -> str:
        check_owner(txn, uid, sub.customer)
        outcome = apply_subscriptions(txn, uid, [doc], now)[sub.id]
        return f"subscription {sub.status} {outcome}"

    with claims.publishing():
        return events.commit(event, effect)


def complete_checkout(event: StripeEvent) -> str:
    """checkout.session.completed: mark the session and mirror the subscription it started."""
    session = CheckoutSession.model_validate(event.object)
    store = wiring.store()
    uid = session.client_reference_id or uid_of(store, session.metadata, session.customer)
    if uid is None:
        return events.commit(event, lambda txn: "ignored: unknown customer")
    doc = None
    if session.mode == "subscription" and session.subscription:
        data, sent = fetch_subscription(session.subscription)
        doc = subscription_document(Subscription.model_validate(data), sent) if data else None
    now = wiring.now()

    def effect(txn: Transaction) -> str:
        check_owner(txn, uid, session.customer)
        if doc is not None:
            apply_subscriptions(txn, uid, [doc], now)
        path = f"{collections.customer_checkout_sessions(uid)}/{session.id}"
        fields = {"status": "complete", "subscription": session.subscription, "updatedAt": now}
        txn.set(path, {**fields, "paymentIntent": session.payment_intent}, merge=True)
        return f"checkout {session.mode} completed"

    with claims.publishing():
        return events.commit(event, effect)


def create_checkout_session(
    uid: str, request: CreateCheckoutSession, email: Email | None = None
) -> CheckoutSessionView:
    """A Checkout session for a plan; the trial is offered on a first subscription only."""
    s = settings()
    plan, price_id = s.price_of(request.plan, request.interval)
    store = wiring.store()
    mine = [d.data for d in store.query(query(collections.customer_subscriptions(uid)))]
    if any(d.get("plan") == request.plan and d["status"] in LIVE_STATUSES for d in mine):
        raise AppError("ERR_4312", plan=request.plan)
    customer_id = ensure_customer(uid, email)
    subscription_data: dict[str, Any] = {"metadata": {UID_KEY: uid}}
    if plan.trial_days and not mine:
        subscription_data["trial_period_days"] = plan.trial_days
    params = {
        "mode": "subscription",
        "customer": customer_id,
        "client_reference_id": uid,
        "line_items": [{"price": price_id, "quantity": 1}],
        "success_url": s.stripe_checkout_success_url,
        "cancel_url": s.stripe_checkout_cancel_url,
        "metadata": {UID_KEY: uid},
        "subscription_data": subscription_data,
    }
    options = {"idempotency_key": f"checkout-{uid}-{request.idempotency_key}"}
    session = client.call(
        lambda c: c.v1.checkout.sessions.create(
            params=params,  # type: ignore[arg-type]
            options=options if request.idempotency_key else None,  # type: ignore[arg-type]
        )
    )
    now = wiring.now()
    store.set(
        f"{collections.customer_checkout_sessions(uid)}/{session.id}",
        {
            "id": session.id,
            "mode": "subscription",
            "plan": request.plan,
            "interval": request.interval,
            "priceId": price_id,
            "url": session.url,
            "status": "open",
            "createdAt": now,
            "updatedAt": now,
        },
    )
    return CheckoutSessionView(session_id=session.id, url=session.url)


def create_billing_portal_session(uid: str) -> BillingPortalSessionView:
    """A billing portal session for the user's own Stripe customer (ERR_4306 if none)."""
    customer_id = stripe_id_of(wiring.store(), uid)
    params = {"customer": customer_id, "return_url": settings().stripe_portal_return_url}
    session = client.call(lambda c: c.v1.billing_portal.sessions.create(params=params))
    return BillingPortalSessionView(url=session.url)
