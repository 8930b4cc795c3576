"""Linking Stripe customers made outside the app (Payment Links, guest checkout, a customer
that existed before) to a user, instead of ignoring or refusing their events.

Before an event is applied, its customer is looked up; if no user holds it yet, the user is
the first found of: the event object's `metadata.firebaseUID` (or a Checkout session's
client_reference_id), the customer's own `metadata.firebaseUID`, then the customer's email
matching exactly one user whose sign-in verified it (`users.email` or `customers.email`, saved
from the ID token's email claim when the user first paid, each with `emailVerified`; an
unverified claim would let anyone take a guest's subscription by signing up with the guest's
address). The customer becomes the user's `stripeId` if the user has none, or joins
`linkedStripeIds` otherwise; `check_owner` accepts both. An email matching two users links
nothing (ambiguous); linking never moves a customer already held by a user (checked in the
linking transaction); each link is recorded as `users/{uid}/entitlement_events/
stripe_link_{customer}`.
"""

import logging
from typing import Any

from shared import collections, config, log, wiring
from shared.config import AppSettings
from shared.models import document_id_problem
from shared.purchases.stripe import client
from shared.purchases.stripe.customers import LINKED_KEY, UID_KEY, uid_of_customer
from shared.purchases.stripe.objects import StripeEvent
from shared.store import Transaction, query


class LinkingSettings(AppSettings):
    # Link by a verified email (the token's email_verified) matching exactly one user.
    stripe_link_by_email: bool = True


def customer_of(obj: dict[str, Any]) -> str | None:
    if obj.get("object") == "customer":
        return obj.get("id")
    customer = obj.get("customer")
    return customer.get("id") if isinstance(customer, dict) else customer


def _hint(obj: dict[str, Any]) -> str | None:
    metadata = obj.get("metadata") or {}
    uid = metadata.get(UID_KEY) or obj.get("client_reference_id") or metadata.get("uid")
    # A Payment Link's client_reference_id comes from its URL: anyone can write one.
    return uid if isinstance(uid, str) and document_id_problem(uid) is None else None


def uids_by_email(email: str) -> set[str]:
    """Users whose profile or Stripe customer record carries `email`, verified."""
    store, found = wiring.store(), set()
    for address in {email, email.lower()}:
        for collection in (collections.USERS, collections.CUSTOMERS):
            docs = store.query(query(collection, [("email", "==", address)]))
            found |= {d.id for d in docs if d.data.get("emailVerified") is True}
    return found


def _from_customer(customer_id: str) -> tuple[str | None, str]:
    customer = client.fetch(lambda c: c.v1.customers.retrieve(customer_id))
    if not customer or customer.get("deleted"):
        return None, ""
    if uid := (customer.get("metadata") or {}).get(UID_KEY):
        return uid, "customer_metadata"
    email = customer.get("email")
    if email and config.load(LinkingSettings).stripe_link_by_email:
        matches = uids_by_email(email)
        if len(matches) == 1:
            return matches.pop(), "email"
        if matches:
            log.event("stripe customer email matches several users", logging.WARNING)
    return None, ""


def link_customer(uid: str, customer_id: str, how: str) -> str | None:
    """Make `customer_id` one of `uid`'s customers, unless another user holds it (once;
    racing links agree); the uid that holds it after."""
    now = wiring.now()

    def body(txn: Transaction) -> str | None:
        path = collections.customer(uid)
        holder = uid_of_customer(txn, customer_id)
        stored = txn.get(path) or {}
        if holder is not None:
            return holder  # never moved: a customer stays with the user who has it
        if (txn.get(collections.user(uid)) or {}).get("deleted") is True:
            return None  # a deleted account gets no customer back
        event = {"type": "stripe_customer_linked", "customerId": customer_id, "linkedBy": how}
        txn.set(
            f"{collections.entitlement_events(uid)}/stripe_link_{customer_id}", {**event, "at": now}
        )
        if not stored.get("stripeId"):
            fields = {"stripeId": customer_id, "linkedBy": how, "updatedAt": now}
            txn.set(path, {**fields, "createdAt": stored.get("createdAt", now)}, merge=True)
        else:
            linked = [*stored.get(LINKED_KEY, []), customer_id]
            txn.set(path, {LINKED_KEY: linked, "updatedAt": now}, merge=True)
        return uid

    linked = wiring.store().transaction(body)
    if linked == uid:
        log.event("stripe customer linked", uid=uid, customer=customer_id, linkedBy=how)
    return linked


def for_deleted_account(event: StripeEvent) -> bool:
    """Whether the event names a user whose account was deleted (a late event, such as the
    cancellation delete_account asked for): it must not bring the account's data back."""
    uid = _hint(event.object)
    if not uid:
        return False
    return (wiring.store().get(collections.user(uid)) or {}).get("deleted") is True


def link_event_customer(event: StripeEvent) -> str | None:
    """The uid of the event's customer, linking a customer made outside the app first."""
    obj = event.object
    customer_id = customer_of(obj)
    if not customer_id:
        return None
    if known := uid_of_customer(wiring.store(), customer_id):
        return known
    uid, how = _hint(obj), "event_metadata"
    if not uid:
        uid, how = _from_customer(customer_id)
    return link_customer(uid, customer_id, how) if uid else None
