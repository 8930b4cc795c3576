"""Every deployable function, by name. Cloud Functions and the dev server load this file.

A function's module is imported the first time the function is looked up (PEP 562), so a
deployed function loads only its own area and its cold start stays short; the dev server and
deploy.sh look them all up. `tests/platform/test_main.py` keeps this table complete.
"""

import gc
import importlib
import sys
from pathlib import Path
from typing import Any

# Cloud Functions loads this file by path: make the bundle root (functions/ and shared/)
# importable. Nothing else happens at import time: no connection, no secret read.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FUNCTIONS_BY_MODULE: dict[str, tuple[str, ...]] = {
    "functions.health": ("health",),
    "functions.ledger": (
        "session_start",
        "session_heartbeat",
        "session_resolve",
        "wallet_get",
        "expire_stale_sessions",
        "reconcile_balances",
        "reconcile_incremental",
    ),
    "functions.purchases": (
        "verify_purchase",
        "get_entitlements",
        "apple_notifications",
        "google_play_push",
        "google_play_notifications",
        "entitlement_sweep",
    ),
    "functions.billing": (
        "create_credits_purchase_intent",
        "create_checkout_session",
        "create_billing_portal_session",
        "stripe_webhook",
        "stripe_backfill_start",
        "stripe_backfill_get",
        "stripe_backfill_list",
        "stripe_backfill_cancel",
        "stripe_backfill_continue",
        "stripe_backfill_watchdog",
    ),
    "functions.recovery": ("recover_missed_events", "admin_resync"),
    "functions.accounts": (
        "delete_account",
        "sign_out_everywhere",
        "admin_disable_user",
        "admin_enable_user",
    ),
    "functions.sync": (
        "sync_push",
        "sync_pull",
        "sync_status",
        "sync_check",
        "sync_conflicts",
        "sync_conflicts_ack",
        "purge_sync_tombstones",
        "flush_sync_pokes",
    ),
    "functions.devices": (
        "device_register",
        "device_rename",
        "device_list",
        "device_remove",
        "device_heartbeat",
        "relay_create",
        "relay_poll",
        "relay_respond",
        "relay_status",
    ),
    "functions.guest": ("device_check", "guest_upgrade"),
    "functions.jobs": (
        "get_models",
        "generate",
        "job_status",
        "job_history",
        "job_delete",
        "provider_webhook",
        "cleanup_expired_records",
    ),
    "functions.admin": (
        "admin_adjust_credits",
        "admin_refund_job",
        "admin_put_model",
        "admin_set_model",
        "admin_user_stats",
        "admin_ban_user",
        "admin_unban_user",
    ),
}

# A collection of the young generation every 10,000 new container objects instead of 700:
# a request's objects mostly die before it, and each one that survives is walked again by
# the older generations (2% of a 500-entry sync push's instructions at 700; same from 5,000).
gc.set_threshold(10_000, 10, 10)

MODULE_OF = {name: module for module, names in FUNCTIONS_BY_MODULE.items() for name in names}

__all__ = sorted(MODULE_OF)


def __getattr__(name: str) -> Any:
    module = MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    function = getattr(importlib.import_module(module), name)
    globals()[name] = function  # later look-ups skip this hook
    # What an import builds (modules, models, schemas) lives as long as the instance: keep
    # it out of the collector's full passes, which would otherwise walk all of it whenever
    # a large request allocates many objects (a tenth of a 500-entry sync push's time).
    gc.freeze()
    return function
