"""Every deployable function, by name. Cloud Functions and the dev server load this file."""

import sys
from pathlib import Path

# Cloud Functions loads this file by path: make the bundle root (functions/ and shared/)
# importable. Nothing else happens at import time: no connection, no secret read.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from functions.accounts import delete_account
from functions.admin import (
    admin_adjust_credits,
    admin_ban_user,
    admin_put_model,
    admin_refund_job,
    admin_set_model,
    admin_unban_user,
    admin_user_stats,
)
from functions.billing import (
    create_billing_portal_session,
    create_checkout_session,
    create_credits_purchase_intent,
    stripe_backfill_cancel,
    stripe_backfill_continue,
    stripe_backfill_get,
    stripe_backfill_list,
    stripe_backfill_start,
    stripe_backfill_watchdog,
    stripe_webhook,
)
from functions.devices import (
    device_heartbeat,
    device_list,
    device_register,
    device_remove,
    device_rename,
    relay_create,
    relay_poll,
    relay_respond,
    relay_status,
)
from functions.guest import device_check, guest_upgrade
from functions.health import health
from functions.jobs import (
    cleanup_expired_records,
    generate,
    get_models,
    job_delete,
    job_history,
    job_status,
    provider_webhook,
)
from functions.ledger import (
    expire_stale_sessions,
    reconcile_balances,
    reconcile_incremental,
    session_heartbeat,
    session_resolve,
    session_start,
    wallet_get,
)
from functions.purchases import (
    apple_notifications,
    entitlement_sweep,
    get_entitlements,
    google_play_notifications,
    google_play_push,
    verify_purchase,
)
from functions.recovery import admin_resync, recover_missed_events
from functions.sync import purge_sync_tombstones, sync_pull, sync_push, sync_status

__all__ = [
    "health",
    "sync_push",
    "sync_pull",
    "sync_status",
    "purge_sync_tombstones",
    "device_register",
    "device_rename",
    "device_list",
    "device_remove",
    "device_heartbeat",
    "relay_create",
    "relay_poll",
    "relay_respond",
    "relay_status",
    "session_start",
    "session_heartbeat",
    "session_resolve",
    "wallet_get",
    "expire_stale_sessions",
    "reconcile_balances",
    "reconcile_incremental",
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
    "device_check",
    "guest_upgrade",
    "get_models",
    "generate",
    "job_status",
    "job_history",
    "job_delete",
    "provider_webhook",
    "cleanup_expired_records",
    "admin_adjust_credits",
    "admin_refund_job",
    "admin_put_model",
    "admin_set_model",
    "admin_user_stats",
    "admin_ban_user",
    "admin_unban_user",
    "verify_purchase",
    "get_entitlements",
    "apple_notifications",
    "google_play_push",
    "google_play_notifications",
    "entitlement_sweep",
    "recover_missed_events",
    "admin_resync",
    "delete_account",
]
