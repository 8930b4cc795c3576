"""The credits wallet: an append-only ledger with the balance kept on the user document."""

from shared.ledger.entries import (
    EntryType,
    LedgerEntry,
    NewEntry,
    Wallet,
    entry_path,
    get_wallet,
    post_entries,
)

__all__ = [
    "EntryType",
    "LedgerEntry",
    "NewEntry",
    "Wallet",
    "entry_path",
    "get_wallet",
    "post_entries",
]
