"""The credits wallet: an append-only, double-entry ledger with the balance kept on the user
document."""

from shared.ledger.accounts import SystemAccount, counterpart, transfers, user_totals
from shared.ledger.audit import UserAudit, audit_entries
from shared.ledger.entries import (
    LedgerEntry,
    Posting,
    entry_path,
    get_wallet,
    post_entries,
    sum_deltas,
    wallet_of,
)
from shared.ledger.model import Delta, EntryType, NewEntry, Wallet
from shared.ledger.pending import PendingLock
from shared.ledger.repair import (
    WalletRepair,
    confirm_wallet,
    ledger_audits,
    log_repair,
    repair_wallet,
    stored_wallet,
)
from shared.ledger.wallet import GetWallet, WalletView, read_wallet

__all__ = [
    "Delta",
    "EntryType",
    "GetWallet",
    "LedgerEntry",
    "NewEntry",
    "PendingLock",
    "Posting",
    "SystemAccount",
    "UserAudit",
    "Wallet",
    "WalletRepair",
    "WalletView",
    "audit_entries",
    "confirm_wallet",
    "counterpart",
    "entry_path",
    "get_wallet",
    "ledger_audits",
    "log_repair",
    "post_entries",
    "read_wallet",
    "repair_wallet",
    "stored_wallet",
    "sum_deltas",
    "transfers",
    "user_totals",
    "wallet_of",
]
