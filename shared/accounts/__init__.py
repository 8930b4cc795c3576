"""Accounts: deleting a user's account (data removed, store links closed, ledger kept)."""
