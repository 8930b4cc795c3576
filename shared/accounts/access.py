"""Who may sign in: signing out everywhere, disabling an account, its Firebase Auth user.

`sign_out_everywhere` revokes the user's refresh tokens with firebase-admin (no device can get
a new ID token without signing in again) and records Firebase's revocation time on
`users/{uid}.tokensValidAfter`, the record every call already reads (shared/admin/bans.py):
from then on an ID token issued before it is refused (ERR_4031) on this instance at once and on
every other within ADMIN_BAN_CACHE_SECONDS, with no Auth API call per request.

`set_disabled` (admins) disables the Firebase Auth user (no new sign-in, no token refresh) and
marks `users/{uid}.authDisabled`, so the ID tokens it already holds are refused too (ERR_4032).
A user disabled only in the Firebase console keeps its current ID token until it expires
(at most an hour): disable through the backend to cut it at once.

Firebase Auth is reached in prod, and elsewhere only when FIREBASE_AUTH_EMULATOR_HOST points at
the Auth emulator: the dev server's own tokens (`./dev token`) name no Firebase user, so in dev
and tests without the emulator only the record is written.
"""

import contextlib
import time
from datetime import UTC, datetime
from typing import Any

from shared import collections, config, wiring
from shared.admin import bans
from shared.admin.actions import record_action
from shared.admin.models import ActionDone, BanUser
from shared.firebase import admin_app
from shared.models import WireModel
from shared.store import Transaction
from shared.web.auth import AuthSettings, AuthToken


class SignedOut(WireModel):
    """Every ID token issued before `tokens_valid_after` is refused from now on."""

    tokens_valid_after: datetime


def uses_firebase_auth() -> bool:
    emulator = config.load(AuthSettings).firebase_auth_emulator_host
    return config.platform().app_env == "prod" or bool(emulator)


def _firebase_auth() -> Any:
    from firebase_admin import auth  # heavy: imported by the few calls that need it

    return auth


def revoke_refresh_tokens(uid: str) -> float:
    """Revoke `uid`'s refresh tokens; answer the revocation time (epoch seconds)."""
    if not uses_firebase_auth():
        return float(int(time.time()))  # Firebase keeps whole seconds too
    auth = _firebase_auth()
    try:
        auth.revoke_refresh_tokens(uid, app=admin_app())
        return auth.get_user(uid, app=admin_app()).tokens_valid_after_timestamp / 1000
    except auth.UserNotFoundError:  # no Firebase user: its tokens cannot be refreshed anyway
        return float(int(time.time()))


def delete_auth_user(uid: str) -> None:
    """Delete `uid`'s Firebase Auth user (already gone is fine)."""
    if not uses_firebase_auth():
        return
    auth = _firebase_auth()
    with contextlib.suppress(auth.UserNotFoundError):
        auth.delete_user(uid, app=admin_app())


def sign_out_everywhere(uid: str) -> SignedOut:
    """Revoke every sign-in of `uid`: its tokens issued until now are refused from now on."""
    valid_after = revoke_refresh_tokens(uid)

    def record(txn: Transaction) -> float:
        user = txn.get(collections.user(uid)) or {}
        latest = max(valid_after, float(user.get("tokensValidAfter") or 0))  # never goes back
        txn.set(collections.user(uid), {"tokensValidAfter": latest}, merge=True)
        return latest

    latest = wiring.store().transaction(record)
    bans.cache().forget(uid)  # this instance refuses the old tokens at once
    return SignedOut(tokens_valid_after=datetime.fromtimestamp(latest, UTC))


def set_disabled(admin: AuthToken, request: BanUser, disabled: bool) -> ActionDone:
    """Disable (or enable) `request.uid` at Firebase Auth and here, recorded as an action."""
    if uses_firebase_auth():
        auth = _firebase_auth()
        with contextlib.suppress(auth.UserNotFoundError):
            auth.update_user(request.uid, disabled=disabled, app=admin_app())
    now = wiring.now()

    def body(txn: Transaction) -> ActionDone:
        txn.set(collections.user(request.uid), {"authDisabled": disabled}, merge=True)
        action = "disable_user" if disabled else "enable_user"
        return record_action(
            txn, admin.uid, action, request.uid, request.reason, {"disabled": disabled}, now
        )

    done = wiring.store().transaction(body)
    bans.cache().forget(request.uid)  # this instance sees the change at once
    return done
