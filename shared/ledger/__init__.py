"""The credits wallet: an append-only ledger with the balance kept on the user document."""

from shared.ledger.entries import (
    Delta,
    EntryType,
    LedgerEntry,
    NewEntry,
    Posting,
    Wallet,
    entry_path,
    get_wallet,
    post_entries,
    sum_deltas,
)
from shared.ledger.repair import WalletRepair, ledger_sums, log_repair, repair_wallet, stored_wallet
from shared.ledger.wallet import GetWallet, WalletView, read_wallet

__all__ = [
    "Delta",
    "EntryType",
    "GetWallet",
    "LedgerEntry",
    "NewEntry",
    "Posting",
    "Wallet",
    "WalletRepair",
    "WalletView",
    "entry_path",
    "get_wallet",
    "ledger_sums",
    "log_repair",
    "post_entries",
    "read_wallet",
    "repair_wallet",
    "stored_wallet",
    "sum_deltas",
]
