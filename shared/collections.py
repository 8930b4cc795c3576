"""Every collection the code uses, in one place so rules, indexes and code agree.

Top-level collections are names; subcollections are functions of their parent's id.
"""

USERS = "users"
LEDGER = "ledger"
SESSIONS = "sessions"
IDEMPOTENCY = "idempotency"
PURCHASES = "purchases"
CUSTOMERS = "customers"
PRODUCTS = "products"
STRIPE_EVENTS = "stripe_events"
STORE_NOTIFICATIONS = "store_notifications"
GENERATION_JOBS = "generation_jobs"
MODELS = "models"
RATE_LIMITS = "rate_limits"
ADMIN_ACTIONS = "admin_actions"
OPS_STATE = "ops_state"
WALLET_REPAIRS = "wallet_repairs"
BACKFILLS = "backfills"
PHYSICAL_DEVICES = "physical_devices"
ENTITLEMENT_EXPIRIES = "entitlement_expiries"
APP_ACCOUNTS = "app_accounts"
SYNC_STATE = "sync_state"
DEVICE_REGISTRIES = "device_registries"
PLAY_WATCH = "play_watch"
DELETED_ACCOUNTS = "deleted_accounts"
APP_CHECK_CONSUMED = "app_check_consumed"  # limited-use App Check tokens, by sha256


def user(uid: str) -> str:
    return f"{USERS}/{uid}"


def devices(uid: str) -> str:
    return f"{USERS}/{uid}/devices"


def entitlements(uid: str) -> str:
    return f"{USERS}/{uid}/entitlements"


def entitlement_sources(uid: str) -> str:
    return f"{USERS}/{uid}/entitlement_sources"


def entitlement_events(uid: str) -> str:
    return f"{USERS}/{uid}/entitlement_events"


def sync_entries(uid: str) -> str:
    return f"{USERS}/{uid}/sync_entries"


def sync_conflicts(uid: str) -> str:
    return f"{USERS}/{uid}/sync_conflicts"


def relay(uid: str) -> str:
    return f"{USERS}/{uid}/relay"


def relay_nonces(uid: str) -> str:
    return f"{USERS}/{uid}/relay_nonces"


def customer_subscriptions(uid: str) -> str:
    return f"{CUSTOMERS}/{uid}/subscriptions"


def customer_payments(uid: str) -> str:
    return f"{CUSTOMERS}/{uid}/payments"


def customer_checkout_sessions(uid: str) -> str:
    return f"{CUSTOMERS}/{uid}/checkout_sessions"


def product_prices(product_id: str) -> str:
    return f"{PRODUCTS}/{product_id}/prices"


def backfill_events(backfill_id: str) -> str:
    return f"{BACKFILLS}/{backfill_id}/events"


def customer(uid: str) -> str:
    return f"{CUSTOMERS}/{uid}"


def customer_invoices(uid: str) -> str:
    return f"{CUSTOMERS}/{uid}/invoices"
