"""Active entitlements mirrored into the Firebase custom claim `entitlements`.

Rules and clients can then check access from the ID token alone. A change is noted while a
transaction recomputes an entitlement (`note_change`) and published only after it committed
(`publishing`): setting claims is an external call, and a transaction body may run again.
Publishing reads the committed state, so publishing twice, or after a retried body noted a
change the committed one did not make, sets the same claim.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from shared import config, log, wiring
from shared.firebase import admin_app
from shared.purchases.claim_changes import pending

CLAIM = "entitlements"


class ClaimsPublisher(Protocol):
    def publish(self, uid: str, entitlements: list[str]) -> None:
        """Set the user's `entitlements` claim, keeping their other claims."""


class LogPublisher:
    def publish(self, uid: str, entitlements: list[str]) -> None:
        log.event("entitlement claims (not set: log publisher)", uid=uid, entitlements=entitlements)


class FirebasePublisher:
    """firebase-admin's Auth on the shared app (shared.firebase)."""

    _app: Any = None  # the shared app, once used

    def _auth(self) -> Any:
        from firebase_admin import auth  # lazy: see shared.firebase

        self._app = admin_app()
        return auth

    def publish(self, uid: str, entitlements: list[str]) -> None:
        auth = self._auth()
        app = self._app
        current = auth.get_user(uid, app=app).custom_claims or {}
        if current.get(CLAIM) == entitlements:
            return
        auth.set_custom_user_claims(uid, {**current, CLAIM: entitlements}, app=app)


class NoPublisher:
    def publish(self, uid: str, entitlements: list[str]) -> None:
        return None


def _build() -> ClaimsPublisher:
    from shared.purchases.entitlements import entitlement_settings

    choice = entitlement_settings().entitlement_claims
    if choice == "auto":
        choice = "firebase" if config.platform().app_env == "prod" else "log"
    return {"firebase": FirebasePublisher, "log": LogPublisher, "off": NoPublisher}[choice]()


def publisher() -> ClaimsPublisher:
    return wiring.part("claims_publisher", _build)


def active_entitlements(uid: str) -> list[str]:
    from shared.purchases.entitlements import list_entitlements

    now = wiring.now()
    return sorted(e.add_on for e in list_entitlements(wiring.store(), uid) if e.grants_access(now))


def publish_claims(uid: str) -> list[str]:
    """Mirror `uid`'s committed active entitlements into the claim; a failure is logged (the
    next change publishes again, and get_entitlements always answers the stored state)."""
    active = active_entitlements(uid)
    try:
        publisher().publish(uid, active)
    except Exception as e:
        log.event("entitlement claims not set", logging.WARNING, uid=uid, error=str(e)[:300])
    return active


@contextmanager
def publishing() -> Iterator[set[str]]:
    """Collect the users whose access changed inside the block; publish their claims once
    the block succeeded (after its transactions committed). Yields the set of those uids."""
    outer = pending.get()
    if outer is not None:  # nested: the outermost block publishes
        yield outer
        return
    changed: set[str] = set()
    token = pending.set(changed)
    try:
        yield changed
    finally:
        pending.reset(token)
    for uid in sorted(changed):
        publish_claims(uid)
