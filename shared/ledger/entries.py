"""Ledger entries and the one function that posts them.

Every entry records its exact effect on the wallet (`delta`), its place in the user's history
(`seq`, from `users/{uid}.ledgerSeq`) and the system account on its other side (`counterpart`,
see `accounts`), so a wallet always equals the fold of its entries. Entry ids are deterministic
from their cause (`stripe_pi_123`, `session_<id>_lock`): posting the same id twice changes
nothing. The wallet lives on `users/{uid}.wallet` and nothing but `post_entries` writes it
(besides `repair_wallet`, which resets a drifted wallet to the fold of its entries).

Pending locks with a timeout (`pending`): before posting, `post_entries` settles every lock of
the user whose timeout has passed, as its rule says, in the same transaction.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from shared import collections, faults, wiring
from shared.errors import AppError
from shared.ledger import accounts, pending
from shared.ledger.model import Delta, EntryType, NewEntry, Wallet
from shared.store import Reader, Transaction


class LedgerEntry(BaseModel):
    """A posted entry, as stored in `ledger/{id}` (never updated or deleted)."""

    id: str
    uid: str
    type: EntryType
    amount: int
    currency: Literal["credits", "ash"]
    delta: Delta
    refs: dict[str, str] = Field(default_factory=dict)
    reason: str | None = None
    created_at: datetime = Field(alias="createdAt")
    wallet_after: Wallet = Field(alias="walletAfter")
    seq: int | None = None  # None: posted before double entry, until the migration numbers it
    counterpart: str | None = None

    model_config = {"populate_by_name": True}

    def document(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude={"id"})


@dataclass(frozen=True)
class Posting:
    entries: list[LedgerEntry]
    wallet: Wallet
    new_ids: frozenset[str]

    @property
    def posted_anything(self) -> bool:
        return bool(self.new_ids)


def entry_path(entry_id: str) -> str:
    return f"{collections.LEDGER}/{entry_id}"


def get_wallet(reader: Reader, uid: str, now: datetime | None = None) -> Wallet:
    """`uid`'s wallet as of `now` (default: the clock): locks timed out by then count as
    settled, even before anything has written so."""
    user = reader.get(collections.user(uid)) or {}
    return wallet_of(user, now or wiring.now())


def wallet_of(user: Mapping[str, Any], now: datetime) -> Wallet:
    """The wallet on a user document as of `now` (see `get_wallet`)."""
    wallet = Wallet.model_validate(user.get("wallet") or {})
    for entry in pending.lapsed(user, now)[0]:
        wallet = wallet.plus(derive_delta(entry.type, entry.amount, wallet))
    return wallet


def _inflow(amount: int, wallet: Wallet) -> Delta:
    repay = min(wallet.debt, amount)
    return Delta(credits=amount - repay, debt=-repay)


def _outflow(amount: int, wallet: Wallet) -> None:
    if wallet.available < amount:
        raise AppError("ERR_4001", required=amount, available=wallet.available)


def derive_delta(kind: EntryType, amount: int, wallet: Wallet) -> Delta:
    """The change an entry of `kind` and `amount` makes to `wallet`, from those alone (what
    reconcile re-derives; `effect` adds the checks that refuse it)."""
    match kind:
        case EntryType.CREDITS_PURCHASE | EntryType.CREDITS_GRANT | EntryType.CREDITS_SPEND_REFUND:
            return _inflow(amount, wallet)
        case EntryType.ADMIN_ADJUSTMENT:
            return _inflow(amount, wallet) if amount > 0 else Delta(credits=amount)
        case EntryType.CREDITS_SPEND:
            return Delta(credits=-amount)
        case EntryType.CREDITS_LOCK:
            return Delta(locked=amount)
        case EntryType.CREDITS_REFUND | EntryType.CREDITS_BURN:
            burned = amount if kind == EntryType.CREDITS_BURN else 0
            return Delta(locked=-amount, credits=-burned)
        case EntryType.ASH_GRANT:
            return Delta(ash=amount)
        case EntryType.CREDITS_CLAWBACK:
            taken = min(amount, max(wallet.available, 0))
            return Delta(credits=-taken, debt=amount - taken)
    raise ValueError(f"unknown entry type {kind}")


def effect(entry: NewEntry, wallet: Wallet) -> Delta:
    """The change `entry` makes to `wallet`; ERR_4001 if it would overdraw it."""
    amount, kind = entry.amount, entry.type
    if amount == 0 or (amount < 0 and kind != EntryType.ADMIN_ADJUSTMENT):
        raise ValueError(f"ledger amount must be positive, got {amount} for {kind}")
    match kind:
        case EntryType.ADMIN_ADJUSTMENT if amount < 0:
            _outflow(-amount, wallet)
        case EntryType.CREDITS_SPEND | EntryType.CREDITS_LOCK:
            _outflow(amount, wallet)
        case EntryType.CREDITS_REFUND | EntryType.CREDITS_BURN if wallet.locked < amount:
            raise RuntimeError(f"cannot release {amount} with only {wallet.locked} locked")
    return derive_delta(kind, amount, wallet)


def post_entries(
    txn: Transaction,
    uid: str,
    entries: list[NewEntry],
    now: datetime,
    *,
    user: Mapping[str, Any] | None = None,
    user_fields: Mapping[str, Any] | None = None,
    fresh: bool = False,
) -> Posting:
    """Post `entries` for `uid` in the caller's transaction, all or none.

    Does its reads (the entries and the user) first and then writes, so call it after your
    own reads. An entry whose id already exists is not posted again; it is returned as stored.

    Optional, to spare reads and writes when the caller already did part of the work:
    - `user`: the user document as the caller read it in this transaction (`{}` if absent);
      the user is then not read again.
    - `user_fields`: other top-level fields merged into the user document in the same write
      as the wallet (written even when nothing new is posted).
    - `fresh`: the caller's own reads prove these ids were never posted (e.g. the session they
      belong to is still open), so they are not read; a reused id still fails at commit,
      because entries are created, never overwritten.
    """
    if len({e.id for e in entries}) != len(entries):
        raise ValueError("duplicate entry ids in one posting")
    if user_fields and "wallet" in user_fields:
        raise ValueError("the wallet is computed here, not passed in")
    stored = [None] * len(entries) if fresh else txn.get_many([entry_path(e.id) for e in entries])
    if user is None:
        user = txn.get(collections.user(uid)) or {}
    wallet = Wallet.model_validate(user.get("wallet") or {})
    changes = dict(user_fields or {})
    # Locks timed out by now are settled first (their records show they never were before).
    lapsed, marks = pending.lapsed(user, now, skip=changes.get(pending.FIELD))
    if marks:
        changes[pending.FIELD] = {**marks, **(changes.get(pending.FIELD) or {})}
    seq = user.get("ledgerSeq", 0)
    results: list[LedgerEntry] = []
    new: list[LedgerEntry] = []
    for entry, existing in [(e, None) for e in lapsed] + list(zip(entries, stored, strict=True)):
        if existing is not None:
            posted = LedgerEntry.model_validate({**existing, "id": entry.id})
            if (posted.uid, posted.type, posted.amount) != (uid, entry.type, entry.amount):
                raise RuntimeError(f"ledger id {entry.id} reused for a different entry")
            results.append(posted)
            continue
        delta = effect(entry, wallet)
        wallet, seq = wallet.plus(delta), seq + 1
        posted = LedgerEntry(
            id=entry.id,
            uid=uid,
            type=entry.type,
            amount=entry.amount,
            currency=accounts.currency_of(entry.type),
            delta=delta,
            refs=entry.refs,
            reason=entry.reason,
            created_at=now,
            wallet_after=wallet,
            seq=seq,
            counterpart=accounts.counterpart(entry.type, entry.refs, entry.reason),
        )
        results.append(posted)
        new.append(posted)
    for posted in new:
        txn.create(entry_path(posted.id), posted.document())
    if new:
        changes["wallet"] = wallet.model_dump()
        changes["ledgerSeq"] = seq
    if changes:
        txn.set(collections.user(uid), changes, merge=True)
    faults.point("ledger.post")  # written into the transaction, not committed
    mine = results[len(lapsed) :]
    return Posting(mine, wallet, frozenset(p.id for p in new) - {e.id for e in lapsed})


def sum_deltas(entries: Iterable[Mapping[str, Any]]) -> Wallet:
    """The wallet that a user's stored entries add up to (what reconcile compares against)."""
    total = Wallet()
    for entry in entries:
        total = total.plus(Delta.model_validate(entry.get("delta") or {}))
    return total
