"""Double entry: every ledger entry moves its amount between a user's accounts and a system
account, in one currency, so all accounts together always sum to zero.

A user has four accounts: `available` (credits - locked), `locked`, `debt` (held as -debt) and
`ash`; their credits-currency total is `credits - debt`. The counterpart of each entry is a
system account derived here from the entry's type and source (its refs), so callers post
entries as before. System accounts have no document of their own (it would be written by every
post): reconcile computes them from the entries and proves the global sum is zero.
"""

from collections.abc import Mapping
from enum import StrEnum

from shared.ledger.model import Delta, EntryType, Wallet


class SystemAccount(StrEnum):
    """Sources and sinks of credits (and of ash) outside the users' wallets."""

    STRIPE = "stripe"
    APP_STORE = "app_store"
    PLAY = "play"
    GUEST_GRANTS = "guest_grants"
    GRANTS = "grants"  # other one-time grants (demo, support)
    ADMIN = "admin"
    BURN = "burn"
    ASH_GRANTS = "ash_grants"
    PROVIDER_SPEND = "provider_spend"
    REFUNDS = "refunds"  # credits taken back after a store or Stripe refund or dispute


_PLATFORMS = {"app_store": SystemAccount.APP_STORE, "play_store": SystemAccount.PLAY}


def counterpart(kind: EntryType, refs: Mapping[str, str], reason: str | None) -> str | None:
    """The system account on the other side of an entry; None for a transfer between the
    user's own accounts (a session's lock and its release)."""
    match kind:
        case EntryType.CREDITS_PURCHASE:
            if "paymentIntent" in refs:
                return SystemAccount.STRIPE
            return _PLATFORMS.get(refs.get("platform", ""), SystemAccount.APP_STORE)
        case EntryType.CREDITS_GRANT:
            guest = "device" in refs or reason == "guest_device_grant"
            return SystemAccount.GUEST_GRANTS if guest else SystemAccount.GRANTS
        case EntryType.CREDITS_LOCK | EntryType.CREDITS_REFUND:
            return None
        case EntryType.CREDITS_BURN:
            return SystemAccount.BURN
        case EntryType.ASH_GRANT:
            return SystemAccount.ASH_GRANTS
        case EntryType.CREDITS_SPEND | EntryType.CREDITS_SPEND_REFUND:
            return SystemAccount.PROVIDER_SPEND
        case EntryType.CREDITS_CLAWBACK:
            return SystemAccount.REFUNDS
        case EntryType.ADMIN_ADJUSTMENT:
            return SystemAccount.ADMIN
    raise ValueError(f"unknown entry type {kind}")


def currency_of(kind: EntryType) -> str:
    return "ash" if kind == EntryType.ASH_GRANT else "credits"


def user_change(kind: EntryType, amount: int) -> int:
    """How much an entry adds to the user's total in its currency, from type and amount alone
    (whatever the split between credits and debt); the counterpart gets the opposite."""
    match kind:
        case (
            EntryType.CREDITS_PURCHASE
            | EntryType.CREDITS_GRANT
            | EntryType.CREDITS_SPEND_REFUND
            | EntryType.ADMIN_ADJUSTMENT
            | EntryType.ASH_GRANT
        ):
            return amount
        case EntryType.CREDITS_SPEND | EntryType.CREDITS_BURN | EntryType.CREDITS_CLAWBACK:
            return -amount
        case EntryType.CREDITS_LOCK | EntryType.CREDITS_REFUND:
            return 0
    raise ValueError(f"unknown entry type {kind}")


def user_totals(wallet: Wallet) -> dict[str, int]:
    """A wallet's total per currency over the user's accounts."""
    return {"credits": wallet.credits - wallet.debt, "ash": wallet.ash}


def transfers(kind: EntryType, amount: int, delta: Delta, system: str | None) -> list[dict]:
    """The entry as transfers `{from, to, amount}` between named accounts (for display)."""
    if system is None:
        source, target = ("available", "locked")
        if kind != EntryType.CREDITS_LOCK:
            source, target = target, source
        return [{"from": source, "to": target, "amount": amount}]
    out: list[dict] = []
    legs = {
        "available": delta.credits - delta.locked,
        "locked": delta.locked,
        "debt": -delta.debt,
        "ash": delta.ash,
    }
    for account, change in legs.items():
        if change > 0:
            out.append({"from": f"system:{system}", "to": account, "amount": change})
        elif change < 0:
            out.append({"from": account, "to": f"system:{system}", "amount": -change})
    return out
