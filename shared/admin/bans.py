"""Who may call at all: bans, deletions, disabled accounts and revoked sign-ins.

The callable layer calls `refuse_barred` right after verifying the ID token. It reads one
record the backend keeps anyway, `users/{uid}`: `banned` (ERR_4019), the deletion tombstone
`deleted` or `authDisabled` (ERR_4032), and `tokensValidAfter` (epoch seconds; a token issued
before it is revoked, ERR_4031, as firebase-admin's `check_revoked` compares it with `iat`).
No Auth API round trip per call: the answer is cached per instance for
ADMIN_BAN_CACHE_SECONDS (10 s by default), without which every call would pay a document
read. The trade-off: another instance may keep serving a just-banned, signed-out or deleted
user (or refusing a just-unbanned one) for up to that long; the instance that made the change
forgets its cached answer at once. Custom claims would need a token refresh (up to an hour),
so the document is the faster source of truth.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from shared import collections, config, wiring
from shared.config import AppSettings
from shared.errors import AppError


class BanSettings(AppSettings):
    admin_ban_cache_seconds: float = Field(default=10.0, ge=0)


@dataclass(frozen=True)
class Standing:
    """What `users/{uid}` says about the caller's right to call."""

    banned: bool = False
    closed: bool = False  # deleted, or disabled in Firebase Auth
    tokens_valid_after: float = 0.0  # epoch seconds

    @classmethod
    def of(cls, user: dict[str, Any]) -> "Standing":
        valid_after = user.get("tokensValidAfter")
        return cls(
            banned=user.get("banned") is True,
            closed=user.get("deleted") is True or user.get("authDisabled") is True,
            tokens_valid_after=float(valid_after) if isinstance(valid_after, int | float) else 0.0,
        )


class BanCache:
    """Each uid's `Standing`, cached for `ttl` seconds (bounded)."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[str, tuple[Standing, float]] = {}
        self._lock = threading.Lock()

    def standing(self, uid: str) -> Standing:
        now = self._clock()
        with self._lock:
            cached = self._entries.get(uid)
        if cached is not None and cached[1] > now:
            return cached[0]
        standing = Standing.of(wiring.store().get(collections.user(uid)) or {})
        with self._lock:
            if len(self._entries) > 10_000:  # bounded: drop everything rather than grow
                self._entries.clear()
            self._entries[uid] = (standing, now + self.ttl)
        return standing

    def forget(self, uid: str) -> None:
        with self._lock:
            self._entries.pop(uid, None)


def cache() -> BanCache:
    return wiring.part(
        "ban_cache", lambda: BanCache(config.load(BanSettings).admin_ban_cache_seconds)
    )


def refuse_barred(uid: str, issued_at: float) -> None:
    """Refuse a verified token whose account is closed (ERR_4032), whose sign-in was revoked
    after `issued_at` (ERR_4031), or whose user is banned (ERR_4019)."""
    standing = cache().standing(uid)
    if standing.closed:
        raise AppError("ERR_4032")
    if issued_at < standing.tokens_valid_after:
        raise AppError("ERR_4031")
    if standing.banned:
        raise AppError("ERR_4019")
