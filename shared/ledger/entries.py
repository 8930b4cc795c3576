"""Ledger entries and the one function that posts them.

Every entry records its exact effect on the wallet (`delta`), so a wallet always equals the sum
of its entries' deltas, and reconciling is a sum. Entry ids are deterministic from their cause
(`stripe_pi_123`, `session_<id>_lock`): posting the same id twice changes nothing.
The wallet lives on `users/{uid}.wallet` and nothing but `post_entries` writes it (besides
`repair_wallet`, which resets a drifted wallet to the sum of its entries).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from shared import collections
from shared.errors import AppError
from shared.store import Reader, Transaction


class EntryType(StrEnum):
    CREDITS_PURCHASE = "credits_purchase"
    CREDITS_GRANT = "credits_grant"
    CREDITS_LOCK = "credits_lock"
    CREDITS_REFUND = "credits_refund"  # a session's lock released (success)
    CREDITS_BURN = "credits_burn"  # a session's lock consumed (failure)
    ASH_GRANT = "ash_grant"
    CREDITS_SPEND = "credits_spend"
    CREDITS_SPEND_REFUND = "credits_spend_refund"
    CREDITS_CLAWBACK = "credits_clawback"
    ADMIN_ADJUSTMENT = "admin_adjustment"


class Wallet(BaseModel):
    """Balances on the user document. `credits` includes `locked`; `debt` is clawed back
    credits the user did not have, paid off first by later inflows."""

    credits: int = 0
    locked: int = 0
    ash: int = 0
    debt: int = 0

    @property
    def available(self) -> int:
        return self.credits - self.locked

    def plus(self, delta: "Delta") -> "Wallet":
        return Wallet(
            credits=self.credits + delta.credits,
            locked=self.locked + delta.locked,
            ash=self.ash + delta.ash,
            debt=self.debt + delta.debt,
        )


class Delta(BaseModel):
    credits: int = 0
    locked: int = 0
    ash: int = 0
    debt: int = 0


class NewEntry(BaseModel):
    """An entry to post. `amount` is positive, except an admin_adjustment may be negative."""

    id: str = Field(min_length=1, max_length=200, pattern=r"^[^/]+$")
    type: EntryType
    amount: int
    refs: dict[str, str] = Field(default_factory=dict)
    reason: str | None = None


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


def get_wallet(reader: Reader, uid: str) -> Wallet:
    user = reader.get(collections.user(uid)) or {}
    return Wallet.model_validate(user.get("wallet") or {})


def _inflow(amount: int, wallet: Wallet) -> Delta:
    repay = min(wallet.debt, amount)
    return Delta(credits=amount - repay, debt=-repay)


def _outflow(amount: int, wallet: Wallet) -> Delta:
    if wallet.available < amount:
        raise AppError("ERR_4001", required=amount, available=wallet.available)
    return Delta(credits=-amount)


def effect(entry: NewEntry, wallet: Wallet) -> Delta:
    """The change `entry` makes to `wallet`; ERR_4001 if it would overdraw it."""
    amount, kind = entry.amount, entry.type
    if amount == 0 or (amount < 0 and kind != EntryType.ADMIN_ADJUSTMENT):
        raise ValueError(f"ledger amount must be positive, got {amount} for {kind}")
    match kind:
        case EntryType.CREDITS_PURCHASE | EntryType.CREDITS_GRANT | EntryType.CREDITS_SPEND_REFUND:
            return _inflow(amount, wallet)
        case EntryType.ADMIN_ADJUSTMENT:
            return _inflow(amount, wallet) if amount > 0 else _outflow(-amount, wallet)
        case EntryType.CREDITS_SPEND:
            return _outflow(amount, wallet)
        case EntryType.CREDITS_LOCK:
            if wallet.available < amount:
                raise AppError("ERR_4001", required=amount, available=wallet.available)
            return Delta(locked=amount)
        case EntryType.CREDITS_REFUND | EntryType.CREDITS_BURN:
            if wallet.locked < amount:
                raise RuntimeError(f"cannot release {amount} with only {wallet.locked} locked")
            burned = amount if kind == EntryType.CREDITS_BURN else 0
            return Delta(locked=-amount, credits=-burned)
        case EntryType.ASH_GRANT:
            return Delta(ash=amount)
        case EntryType.CREDITS_CLAWBACK:
            taken = min(amount, max(wallet.available, 0))
            return Delta(credits=-taken, debt=amount - taken)
    raise ValueError(f"unknown entry type {kind}")


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
    results: list[LedgerEntry] = []
    new: list[LedgerEntry] = []
    for entry, existing in zip(entries, stored, strict=True):
        if existing is not None:
            posted = LedgerEntry.model_validate({**existing, "id": entry.id})
            if (posted.uid, posted.type, posted.amount) != (uid, entry.type, entry.amount):
                raise RuntimeError(f"ledger id {entry.id} reused for a different entry")
            results.append(posted)
            continue
        delta = effect(entry, wallet)
        wallet = wallet.plus(delta)
        posted = LedgerEntry(
            id=entry.id,
            uid=uid,
            type=entry.type,
            amount=entry.amount,
            currency="ash" if entry.type == EntryType.ASH_GRANT else "credits",
            delta=delta,
            refs=entry.refs,
            reason=entry.reason,
            created_at=now,
            wallet_after=wallet,
        )
        results.append(posted)
        new.append(posted)
    for posted in new:
        txn.create(entry_path(posted.id), posted.document())
    changes = dict(user_fields or {})
    if new:
        changes["wallet"] = wallet.model_dump()
    if changes:
        txn.set(collections.user(uid), changes, merge=True)
    return Posting(results, wallet, frozenset(p.id for p in new))


def sum_deltas(entries: Iterable[Mapping[str, Any]]) -> Wallet:
    """The wallet that a user's stored entries add up to (what reconcile compares against)."""
    total = Wallet()
    for entry in entries:
        total = total.plus(Delta.model_validate(entry.get("delta") or {}))
    return total
