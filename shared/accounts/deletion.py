"""delete_account: remove a user's data, close what can be closed at the stores, keep the
ledger for audit.

Order: Stripe first (cancel live subscriptions, then delete or detach the customer, as
configured), because a crash afterwards must not leave a paying subscription with no account;
the outcome is saved in `deleted_accounts/{sha256(uid)}` (status in_progress) before any data
goes, so a retry answers the same. Then sync entries, conflicts and state, devices, the
device registry, relay requests and nonces, entitlements and their expiry markers, the
prompts and results of generation jobs (erased, the job documents stay for the ledger), the
purchase bindings (as configured), the account token mapping and the Stripe mirror are
deleted, each collection in batches of fewer than 500 writes. Then the Firebase Auth user is
deleted. Last, one transaction replaces `users/{uid}` by a tombstone and marks the audit
record done; from then on every call with the account's tokens is refused (ERR_4032, see
shared/admin/bans.py), and a deletion still racing answers that record, deleting nothing more.

The ledger is never rewritten: its entries keep the uid, which after deletion names nothing
but the tombstone, and the audit record maps sha256(uid) to the deletion (when, what was
removed, which store subscriptions the user must cancel at Apple or Google). The tombstone
keeps the wallet beside `deleted`/`deletedAt`, so the wallet still equals the sum of the
entries and the reconcile jobs find nothing to repair.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from shared import collections, wiring
from shared.accounts.access import delete_auth_user
from shared.accounts.models import AccountDeleted, StoreLink
from shared.accounts.settings import settings
from shared.admin import bans
from shared.jobs.history import erase_jobs_of
from shared.purchases.accounts import account_path, account_token
from shared.purchases.entitlements import expiry_path
from shared.purchases.recovery.stripe_history import stripe_configured
from shared.purchases.stripe import client
from shared.purchases.stripe.customers import UID_KEY
from shared.store import Doc, Query, Transaction, query

LIVE_STRIPE = {"active", "trialing", "past_due", "unpaid", "incomplete", "paused"}
# Subcollections of users/{uid} (entitlement_sources/events: kept by multi-source entitlements).
USER_SUBCOLLECTIONS = {
    "syncEntries": "sync_entries",
    "syncConflicts": "sync_conflicts",
    "devices": "devices",
    "relay": "relay",
    "relayNonces": "relay_nonces",
    "entitlementSources": "entitlement_sources",
    "entitlementEvents": "entitlement_events",
}
STRIPE_SUBCOLLECTIONS = ("subscriptions", "payments", "checkout_sessions", "invoices")


def account_hash(uid: str) -> str:
    return hashlib.sha256(uid.encode()).hexdigest()


def deleted_path(uid: str) -> str:
    return f"{collections.DELETED_ACCOUNTS}/{account_hash(uid)}"


def delete_account(uid: str) -> AccountDeleted:
    """Delete `uid`'s account; the same answer, and nothing more deleted, when run again."""
    store, now = wiring.store(), wiring.now()
    record = store.get(deleted_path(uid)) or {}
    if record.get("status") == "done":
        return AccountDeleted.model_validate(record["answer"])
    if "stripe" not in record:
        record = _start(uid, now)
    removed = _delete_user_data(uid)
    answer = AccountDeleted(
        deleted_at=record["startedAt"],
        removed=removed,
        stripe_customer=record["stripe"]["customer"],
        stripe_subscriptions_canceled=record["stripe"]["canceled"],
        store_subscriptions_to_cancel=[StoreLink.model_validate(s) for s in record["links"]],
    )
    # Before the tombstone: until it is written, the user's token can still retry this.
    delete_auth_user(uid)
    done = store.transaction(lambda txn: _finish(txn, uid, answer, now))
    bans.cache().forget(uid)  # this instance refuses the deleted account's tokens at once
    return done


def _start(uid: str, now: datetime) -> dict[str, Any]:
    customer, canceled = _close_stripe(uid)
    record = {
        "uidHash": account_hash(uid),
        "status": "in_progress",
        "startedAt": now,
        "stripe": {"customer": customer, "canceled": canceled},
        "links": [link.model_dump(by_alias=True) for link in _store_links(uid)],
    }

    def keep_first(txn: Transaction) -> dict[str, Any]:
        # A racing deletion may have started (or finished) meanwhile: its record stands.
        existing = txn.get(deleted_path(uid))
        if existing is not None:
            return existing
        txn.set(deleted_path(uid), record)
        return record

    return wiring.store().transaction(keep_first)


def _finish(txn: Transaction, uid: str, answer: AccountDeleted, now: datetime) -> AccountDeleted:
    record = txn.get(deleted_path(uid)) or {}
    if record.get("status") == "done":  # a racing deletion finished first
        return AccountDeleted.model_validate(record["answer"])
    user = txn.get(collections.user(uid)) or {}
    tombstone: dict[str, Any] = {"deleted": True, "deletedAt": answer.deleted_at}
    if "wallet" in user:
        tombstone["wallet"] = user["wallet"]
    txn.set(collections.user(uid), tombstone)
    dumped = answer.model_dump(by_alias=True)
    txn.set(deleted_path(uid), {"status": "done", "finishedAt": now, "answer": dumped}, merge=True)
    return answer


# --- Stripe and the app stores ----------------------------------------------------------


def _close_stripe(uid: str) -> tuple[str | None, list[str]]:
    """Cancel the customer's live subscriptions, then delete/detach/keep the customer."""
    stored = wiring.store().get(collections.customer(uid)) or {}
    customer_id = stored.get("stripeId")
    if not customer_id or not stripe_configured():
        return None, []
    s, canceled = settings(), []
    if s.account_delete_cancel_stripe_subscriptions:
        params = {"customer": customer_id, "status": "all", "limit": 100}
        subs = client.call(lambda c: c.v1.subscriptions.list(params=params))
        for sub in subs.data:
            if sub.status in LIVE_STRIPE:
                client.call(lambda c, i=sub.id: c.v1.subscriptions.cancel(i))
                canceled.append(sub.id)
    mode = s.account_delete_stripe_customer
    if mode == "delete":
        client.fetch(lambda c: c.v1.customers.delete(customer_id))  # gone already: fine
    elif mode == "detach":
        metadata = {"metadata": {UID_KEY: ""}}  # Stripe removes a key set to ""
        client.call(lambda c: c.v1.customers.update(customer_id, params=metadata))
    return {"delete": "deleted", "detach": "detached", "keep": "kept"}[mode], canceled


def _bindings_query(uid: str, limit: int) -> Query:
    return query(collections.PURCHASES, [("uid", "==", uid)], limit=limit)


def _store_links(uid: str) -> list[StoreLink]:
    """The user's App Store and Play subscriptions: only the user can cancel them."""
    docs = wiring.store().query(_bindings_query(uid, 500))
    return [
        StoreLink(
            platform=d.data["platform"],
            product_id=d.data["productId"],
            original_transaction_id=d.data["originalTransactionId"],
        )
        for d in docs
        if d.data.get("kind") == "add_on" and d.data.get("platform") in ("app_store", "play_store")
    ]


# --- the data ---------------------------------------------------------------------------


def _commit_deletes(paths: list[str]) -> None:
    batch = wiring.store().batch()
    for path in paths:
        batch.delete(path)
    batch.commit()


def _drain(q: Callable[[int], Query], extra: Callable[[Doc], list[str]] | None = None) -> int:
    """Delete what `q` finds, page by page (each page one batch under 500 writes)."""
    size = settings().account_delete_batch_size // (2 if extra else 1)
    deleted = 0
    while docs := wiring.store().query(q(size)):
        paths = [d.path for d in docs]
        for doc in docs if extra else ():
            paths += extra(doc)  # type: ignore[misc]
        _commit_deletes(paths)
        deleted += len(docs)
    return deleted


def _delete_singles(uid: str) -> dict[str, int]:
    singles = {
        "syncState": f"{collections.SYNC_STATE}/{uid}",
        "deviceRegistry": f"{collections.DEVICE_REGISTRIES}/{uid}",
        "appAccount": account_path(account_token(uid)),
        "stripeCustomer": collections.customer(uid),
    }
    found = wiring.store().get_many(list(singles.values()))
    present = [path for path, doc in zip(singles.values(), found, strict=True) if doc]
    if present:
        _commit_deletes(present)
    return {name: int(path in present) for name, path in singles.items()}


def _delete_user_data(uid: str) -> dict[str, int]:
    user = collections.user(uid)
    removed = {
        name: _drain(lambda n, c=f"{user}/{sub}": query(c, limit=n))
        for name, sub in USER_SUBCOLLECTIONS.items()
    }
    removed["entitlements"] = _drain(
        lambda n: query(collections.entitlements(uid), limit=n),
        lambda doc: [expiry_path(uid, doc.id)],
    )
    for sub in STRIPE_SUBCOLLECTIONS:
        name = f"stripe{sub.title().replace('_', '')}"
        removed[name] = _drain(lambda n, c=f"{collections.customer(uid)}/{sub}": query(c, limit=n))
    removed["generationJobsErased"] = erase_jobs_of(uid)  # prompts and results are theirs
    if settings().account_delete_store_bindings == "delete":
        removed["storeBindings"] = _drain(lambda n: _bindings_query(uid, n))
    return removed | _delete_singles(uid)
