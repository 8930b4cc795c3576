"""One Stripe customer per uid (`customers/{uid}.stripeId`), and the way back to the uid."""

import logging
from typing import Any, NamedTuple

from shared import collections, log, wiring
from shared.errors import AppError
from shared.purchases.stripe import client
from shared.store import Reader, Transaction, query

# The metadata key the Stripe Firebase extension uses, so an account it fed maps as is.
UID_KEY = "firebaseUID"
# Further customers of the same uid, made outside the app (Payment Links, guest checkout).
LINKED_KEY = "linkedStripeIds"


class Email(NamedTuple):
    """The caller's email claim, and whether their sign-in verified it (`email_verified`)."""

    address: str
    verified: bool


def ensure_customer(uid: str, email: Email | None = None) -> str:
    """The uid's Stripe customer id, creating the customer the first time (race-safe).

    Racing callers send the same Stripe idempotency key, so Stripe answers them all with one
    customer; the transactional write keeps the first id stored should it ever differ. The
    email is stored with `emailVerified`: only a verified one links customers made outside
    the app (linking.py).
    """
    path = collections.customer(uid)
    stored = wiring.store().get(path)
    if stored and stored.get("stripeId"):
        return stored["stripeId"]
    params: dict[str, Any] = {"metadata": {UID_KEY: uid}}
    if email:
        params["email"] = email.address
    created = client.call(
        lambda c: c.v1.customers.create(params=params, options={"idempotency_key": f"cus-{uid}"})
    )
    now = wiring.now()

    def keep_first(txn: Transaction) -> str:
        existing = txn.get(path)
        if existing and existing.get("stripeId"):
            return existing["stripeId"]
        fields = {"stripeId": created.id, "livemode": created.livemode, "updatedAt": now}
        contact = {"email": email.address, "emailVerified": email.verified} if email else {}
        txn.set(path, {**fields, **contact, "createdAt": now}, merge=True)
        return created.id

    winner = wiring.store().transaction(keep_first)
    if winner != created.id:
        # Only without Stripe's idempotency (a key older than 24 h, or a fake server).
        log.event("duplicate stripe customer removed", logging.WARNING, uid=uid)
        client.call(lambda c: c.v1.customers.delete(created.id))
    return winner


def uid_of_customer(reader: Reader, customer_id: str | None) -> str | None:
    """The uid whose `customers/{uid}` holds `customer_id`, if any."""
    if not customer_id:
        return None
    found = reader.query(query(collections.CUSTOMERS, [("stripeId", "==", customer_id)], limit=1))
    if not found:  # a customer made outside the app, linked later (linking.py)
        linked = [(LINKED_KEY, "array_contains", customer_id)]
        found = reader.query(query(collections.CUSTOMERS, linked, limit=1))
    return found[0].id if found else None


def uids_of_customers(reader: Reader, customer_ids: set[str]) -> dict[str, str]:
    """customer id -> uid for those already linked (queried 30 at a time)."""
    ids, found = sorted(customer_ids), {}
    for i in range(0, len(ids), 30):
        q = query(collections.CUSTOMERS, [("stripeId", "in", ids[i : i + 30])])
        found.update({doc.data["stripeId"]: doc.id for doc in reader.query(q)})
    return found


def check_owner(txn: Transaction, uid: str, customer_id: str | None) -> dict[str, Any]:
    """The uid's customer document; ERR_4305 unless it holds `customer_id`."""
    stored = txn.get(collections.customer(uid)) or {}
    mine = {stored.get("stripeId"), *stored.get(LINKED_KEY, [])}
    if not customer_id or customer_id not in mine:
        raise AppError("ERR_4305")
    return stored


def stripe_id_of(reader: Reader, uid: str) -> str:
    """The uid's Stripe customer id; ERR_4306 if it has none yet."""
    stored = reader.get(collections.customer(uid)) or {}
    if not stored.get("stripeId"):
        raise AppError("ERR_4306")
    return stored["stripeId"]
