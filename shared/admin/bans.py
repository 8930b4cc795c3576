"""Bans: a banned user (`users/{uid}.banned`) is refused by every callable (ERR_4019).

The callable layer calls `refuse_banned` right after verifying the ID token. The answer is
cached per instance for ADMIN_BAN_CACHE_SECONDS (10 s by default): without it every call
would pay a document read. The trade-off: another instance may keep serving a just-banned
user (or refusing a just-unbanned one) for up to that long; the instance that ran the ban
forgets its cached answer at once. Custom claims would need a token refresh (up to an hour),
so the document is the faster source of truth.
"""

import threading
import time
from collections.abc import Callable

from pydantic import Field

from shared import collections, config, wiring
from shared.config import AppSettings
from shared.errors import AppError


class BanSettings(AppSettings):
    admin_ban_cache_seconds: float = Field(default=10.0, ge=0)


class BanCache:
    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[str, tuple[bool, float]] = {}
        self._lock = threading.Lock()

    def banned(self, uid: str) -> bool:
        now = self._clock()
        with self._lock:
            cached = self._entries.get(uid)
        if cached is not None and cached[1] > now:
            return cached[0]
        user = wiring.store().get(collections.user(uid)) or {}
        banned = user.get("banned") is True
        with self._lock:
            if len(self._entries) > 10_000:  # bounded: drop everything rather than grow
                self._entries.clear()
            self._entries[uid] = (banned, now + self.ttl)
        return banned

    def forget(self, uid: str) -> None:
        with self._lock:
            self._entries.pop(uid, None)


def cache() -> BanCache:
    return wiring.part(
        "ban_cache", lambda: BanCache(config.load(BanSettings).admin_ban_cache_seconds)
    )


def refuse_banned(uid: str) -> None:
    """ERR_4019 if `uid` is banned (answer cached per instance for a few seconds)."""
    if cache().banned(uid):
        raise AppError("ERR_4019")
