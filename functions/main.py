"""Every deployable function, by name. Cloud Functions and the dev server load this file."""

import sys
from pathlib import Path

# Cloud Functions loads this file by path: make the bundle root (functions/ and shared/)
# importable. Nothing else happens at import time: no connection, no secret read.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from functions.health import health
from functions.ledger import (
    expire_stale_sessions,
    reconcile_balances,
    reconcile_incremental,
    session_heartbeat,
    session_resolve,
    session_start,
    wallet_get,
)

__all__ = [
    "health",
    "session_start",
    "session_heartbeat",
    "session_resolve",
    "wallet_get",
    "expire_stale_sessions",
    "reconcile_balances",
    "reconcile_incremental",
]
