"""Subscriptions: Checkout and the billing portal, the mirror in `customers/{uid}/subscriptions`,
and the entitlements it grants (platform "stripe").

A user's entitlement to an add-on is computed from all of their mirrored subscriptions that
grant it (the best one wins), so a canceled old subscription never hides a newer active one.
"""

from datetime import datetime
from typing import Any

from pydantic import Field

from shared import collections, wiring
from shared.errors import AppError
from shared.models import WireModel
from shared.purchases.entitlements import (
    Entitlement,
    EntitlementStatus,
    entitlement_path,
    record_entitlement,
)
from shared.purchases.stripe import client, events, mirror
from shared.purchases.stripe.customers import (
    UID_KEY,
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


def subscription_document(sub: Subscription, source_time: datetime) -> dict[str, Any]:
    """The mirror of `sub` as observed at `source_time`."""
    found = settings().plan_of_price(sub.item.price_id)
    return {
        "id": sub.id,
        "status": sub.status,
        "customer": sub.customer,
        "priceId": sub.item.price_id,
        "productId": sub.item.product_id,
        "interval": sub.item.interval,
        "plan": found[0] if found else None,
        "addOns": found[1].add_ons if found else [],
        "cancelAtPeriodEnd": sub.cancel_at_period_end,
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


def _best(docs: list[dict[str, Any]], add_on: str, now: datetime) -> Entitlement:
    """The add-on's entitlement from the subscription that serves the user best."""
    newest = max(d["sourceTime"] for d in docs)
    candidates = [entitlement_of(d, add_on, newest) for d in docs]
    forever = datetime.max.replace(tzinfo=now.tzinfo)
    return max(candidates, key=lambda e: (e.grants_access(now), e.expires_at or forever))


class UserSubscriptions:
    """What one user's subscription change needs, read up front: the mirrored subscriptions and
    the entitlements of the add-ons involved. `record_entitlement` reads before it writes;
    served from here, it can run for several add-ons (and users) after the first write."""

    def __init__(self, txn: Transaction, uid: str, docs: list[dict[str, Any]]) -> None:
        self.txn, self.uid = txn, uid
        mirrored = txn.query(query(collections.customer_subscriptions(uid)))
        self.stored = {d.id: d.data for d in mirrored}
        add_ons = {a for d in [*docs, *self.stored.values()] for a in d.get("addOns") or []}
        paths = [entitlement_path(uid, a) for a in sorted(add_ons)]
        self._read = dict(zip(paths, txn.get_many(paths), strict=True))

    def get(self, path: str) -> dict[str, Any] | None:
        return self._read[path]

    def set(self, path: str, data: dict[str, Any], merge: bool = False) -> None:
        self.txn.set(path, data, merge=merge)

    def delete(self, path: str) -> None:
        self.txn.delete(path)

    def apply(
        self, docs: list[dict[str, Any]], now: datetime, only_new: bool = False, write: bool = True
    ) -> dict[str, mirror.Outcome]:
        """Mirror `docs` unless stored ones are newer (or exist, with `only_new`), and record
        the entitlements the user's subscriptions now grant. Writes only."""
        outcomes = {d["id"]: mirror.decide(self.stored.get(d["id"]), d, only_new) for d in docs}
        changed = [d for d in docs if outcomes[d["id"]] == "written"]
        if not write or not changed:
            return outcomes
        self.stored |= {d["id"]: d for d in changed}
        for doc in changed:
            self.txn.set(subscription_path(self.uid, doc["id"]), doc)
        for add_on in sorted({a for d in changed for a in d.get("addOns") or []}):
            granting = [d for d in self.stored.values() if add_on in (d.get("addOns") or [])]
            entitlement = _best(granting, add_on, now)
            # An App Store or Play purchase that still grants the add-on keeps it.
            record_entitlement(self, self.uid, entitlement, now, keep_other_access=True)  # type: ignore[arg-type]
        return outcomes


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

    return events.commit(event, effect)


def create_checkout_session(
    uid: str, request: CreateCheckoutSession, email: str | None = None
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
