"""Helpers for ledger, session and reconcile tests: fund a user, read a wallet and its ledger."""

import uuid

from shared import collections, ledger, wiring
from shared.ledger import EntryType, NewEntry, Wallet
from shared.store import Store, query


def post(uid: str, type_: EntryType, amount: int, entry_id: str | None = None) -> ledger.Posting:
    """Post one entry for `uid` in its own transaction."""
    entry = NewEntry(id=entry_id or f"test_{uuid.uuid4().hex}", type=type_, amount=amount)
    now = wiring.now()
    return wiring.store().transaction(lambda txn: ledger.post_entries(txn, uid, [entry], now))


def fund(uid: str, amount: int) -> None:
    post(uid, EntryType.CREDITS_GRANT, amount)


def wallet(store: Store, uid: str) -> Wallet:
    return ledger.get_wallet(store, uid)


def entries(store: Store, uid: str) -> list[dict]:
    docs = store.query(query(collections.LEDGER, [("uid", "==", uid)]))
    return [{**d.data, "id": d.id} for d in docs]


def ledger_sum(store: Store, uid: str) -> Wallet:
    return ledger.sum_deltas(entries(store, uid))
