"""Re-deriving a user's wallet from their entries: deltas come from each entry's type and
amount, folded in posting order (`seq`), never trusted from storage."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.ledger.accounts import counterpart, currency_of, user_change
from shared.ledger.entries import derive_delta
from shared.ledger.model import Delta, EntryType, Wallet


@dataclass
class UserAudit:
    """One user's entries folded with re-derived deltas."""

    uid: str
    wallet: Wallet = field(default_factory=Wallet)
    entries: int = 0
    # {kind, entryId, stored, derived} for each entry whose stored data disagrees.
    findings: list[dict[str, Any]] = field(default_factory=list)
    # (currency, account) -> balance of each system account from this user's entries.
    system: dict[tuple[str, str], int] = field(default_factory=dict)


def _created(entry: Mapping[str, Any]) -> datetime:
    return entry["createdAt"]


def posting_order(entries: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """A user's entries in the order they were posted: those posted before `seq` existed first
    (by time, entries of one time chained by their stored `walletAfter`), then by `seq`."""
    legacy: dict[datetime, list[Mapping[str, Any]]] = {}
    numbered = []
    for entry in entries:
        if entry.get("seq") is None:
            legacy.setdefault(_created(entry), []).append(entry)
        else:
            numbered.append(entry)
    numbered.sort(key=lambda e: e["seq"])
    ordered: list[Mapping[str, Any]] = []
    running = Wallet()
    for created in sorted(legacy):
        tied = sorted(legacy[created], key=lambda e: e["id"])
        while tied:
            pick = tied[0]
            if len(tied) > 1:
                pick = next((e for e in tied if _before(e) == running), pick)
            tied.remove(pick)
            ordered.append(pick)
            running = Wallet.model_validate(pick.get("walletAfter") or {})
    return ordered + numbered


def _before(entry: Mapping[str, Any]) -> Wallet:
    after = Wallet.model_validate(entry.get("walletAfter") or {})
    delta = Delta.model_validate(entry.get("delta") or {})
    return Wallet(
        credits=after.credits - delta.credits,
        locked=after.locked - delta.locked,
        ash=after.ash - delta.ash,
        debt=after.debt - delta.debt,
    )


def audit_entries(uid: str, entries: Iterable[Mapping[str, Any]]) -> UserAudit:
    """Fold `uid`'s entries (dicts with their `id`) with deltas re-derived from type and
    amount; note each entry whose stored delta, currency or counterpart disagrees."""
    audit = UserAudit(uid)
    for entry in posting_order(list(entries)):
        kind, amount = EntryType(entry["type"]), entry["amount"]
        derived = derive_delta(kind, amount, audit.wallet)
        audit.wallet = audit.wallet.plus(derived)
        audit.entries += 1
        stored = entry.get("delta") or {}
        system = counterpart(kind, entry.get("refs") or {}, entry.get("reason"))
        currency = currency_of(kind)
        derived_fields = derived.model_dump()
        checks = {
            "delta": ({k: stored.get(k, 0) for k in derived_fields}, derived_fields),
            "currency": (entry.get("currency"), currency),
            "counterpart": (entry.get("counterpart", system), system),
        }
        for what, (was, should) in checks.items():
            if was != should:
                audit.findings.append(
                    {"kind": what, "entryId": entry["id"], "stored": was, "derived": should}
                )
        if system is not None:
            key = (currency, system)
            audit.system[key] = audit.system.get(key, 0) - user_change(kind, amount)
    return audit
