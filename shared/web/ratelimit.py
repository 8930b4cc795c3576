"""Fixed-window rate limits per action, per uid and per IP, counted in `rate_limits/{key}`.

A counter is read and bumped inside the caller's own transaction (`reserve` reads and refuses,
`Reservation.write` writes), so a request that fails for any other reason counts nothing, and
concurrent requests cannot both take the last slot. One document per (action, scope, subject)
holds the current window; a new window resets it. The cleanup job deletes counters whose
window has ended (`expiresAt < now`).

Limits come from `RATE_LIMITS` (JSON, merged over the defaults below), for example
`{"generate": {"uid": 10, "ip": 100, "windowSeconds": 3600}}`; `null` turns a scope off. A
limit may have tiers by add-on: `{"sync_push": {"uid": 100, "windowSeconds": 300, "tiers":
{"sync": {"uid": 1000}}}}` gives users with the `sync` add-on the tier's numbers (the first
tier listed that the user has wins; fields a tier leaves out keep the base limit's).

Every callable named there is limited: the callable layer counts each call (`limit_call`)
right after authentication, in a transaction of its own, except the actions whose service
reserves inside its own transaction (`SERVICE_COUNTED`), so that a request failing for any
other reason counts nothing. A name that is no function is refused when the settings load.
"""

import hashlib
import importlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from shared import collections, config, wiring
from shared.config import AppSettings, ConfigError
from shared.errors import AppError
from shared.store import Reader, Transaction


class Tier(BaseModel):
    """A limit's numbers for users with one add-on; a field left out keeps the base's."""

    uid: int | None = Field(default=None, ge=1)
    ip: int | None = Field(default=None, ge=1)
    window_seconds: int | None = Field(default=None, ge=1)

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class Limit(BaseModel):
    """At most `uid` calls per user and `ip` calls per address in each window."""

    uid: int | None = Field(default=None, ge=1)
    ip: int | None = Field(default=None, ge=1)
    window_seconds: int = Field(default=3600, ge=1)
    tiers: dict[str, Tier] = Field(default_factory=dict)  # by add-on, first match wins

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    def for_tier(self, tier: Tier) -> "Limit":
        return self.model_copy(update={**tier.model_dump(exclude_unset=True), "tiers": {}})


DEFAULT_LIMITS: dict[str, Limit] = {
    "generate": Limit(uid=10, ip=100, window_seconds=3600),
    "device_check": Limit(uid=10, ip=50, window_seconds=3600),
    "guest_upgrade": Limit(uid=10, ip=50, window_seconds=3600),
}
# Their services reserve inside their own transaction; the callable layer leaves them alone.
SERVICE_COUNTED = frozenset({"generate", "device_check", "guest_upgrade"})


@cache
def function_names() -> frozenset[str]:
    """Every deployable function's name (main.py's table; importing it loads no function)."""
    return frozenset(importlib.import_module("functions.main").MODULE_OF)


class RateLimitSettings(AppSettings):
    # An action listed here replaces its default limit as a whole.
    rate_limits: dict[str, Limit] = Field(default_factory=dict)
    # Proxies in front of the function that append to X-Forwarded-For (Cloud Run's front end
    # appends the caller's address: 1). The client IP is the entry that many places from the
    # end, which a client cannot forge; 0 uses the socket's peer address.
    rate_limit_trusted_proxies: int = Field(default=1, ge=0, le=10)

    def limit(self, action: str) -> Limit | None:
        return self.rate_limits.get(action) or DEFAULT_LIMITS.get(action)


def settings() -> RateLimitSettings:
    """The limits; ConfigError naming the culprit if RATE_LIMITS names no function (a typo
    would otherwise leave a callable unlimited without a word)."""
    loaded = config.load(RateLimitSettings)
    unknown = sorted(loaded.rate_limits.keys() - function_names())
    if unknown:
        raise ConfigError(
            f"RATE_LIMITS names no function: {', '.join(unknown)} (names are those of "
            "functions/main.py, e.g. sync_push)"
        )
    return loaded


def client_ip(headers: Mapping[str, str], peer: str | None) -> str | None:
    """The caller's IP for per-IP limits (see `rate_limit_trusted_proxies`)."""
    hops = settings().rate_limit_trusted_proxies
    forwarded = [h.strip() for h in headers.get("X-Forwarded-For", "").split(",") if h.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return peer or None


def counter_path(action: str, scope: str, subject: str) -> str:
    # Hashed: an IP or uid never appears in a document id, and any subject is a valid id.
    digest = hashlib.sha256(f"{action}\x00{scope}\x00{subject}".encode()).hexdigest()[:32]
    return f"{collections.RATE_LIMITS}/{action}_{scope}_{digest}"


@dataclass
class Reservation:
    """Counters to bump once the caller's transaction has done all its reads."""

    writes: dict[str, dict[str, Any]] = field(default_factory=dict)

    def write(self, txn: Transaction) -> None:
        for path, data in self.writes.items():
            txn.set(path, data)


def _window_start(now: datetime, seconds: int) -> datetime:
    # Whole seconds since the epoch, so every request of a window computes the same start.
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, UTC)


def _user_limit(reader: Reader, limit: Limit, uid: str | None, now: datetime) -> Limit:
    """`limit` with the first of its tiers whose add-on `uid` has (one read per tier tried)."""
    # Imported here: every callable loads this module, and only tiers need entitlements.
    from shared.purchases.entitlements import is_entitled

    for add_on, tier in limit.tiers.items():
        if uid and is_entitled(reader, uid, add_on, now):
            return limit.for_tier(tier)
    return limit


def reserve(
    txn: Transaction, action: str, now: datetime, *, uid: str | None, ip: str | None
) -> Reservation:
    """Read the counters of `action` for `uid` and `ip`; ERR_4004 (with the seconds until the
    window resets) if either is spent. Call `write` on the result after your own reads."""
    limit = settings().limit(action)
    reservation = Reservation()
    if limit is None:
        return reservation
    limit = _user_limit(txn, limit, uid, now)
    scopes = (("uid", uid, limit.uid), ("ip", ip, limit.ip))
    checks = [(scope, subject, cap) for scope, subject, cap in scopes if subject and cap]
    start = _window_start(now, limit.window_seconds)
    end = start + timedelta(seconds=limit.window_seconds)
    paths = [counter_path(action, s, subject) for s, subject, _ in checks]
    for (scope, _, cap), path, current in zip(checks, paths, txn.get_many(paths), strict=True):
        count = current["count"] if current and current["windowStart"] == start else 0
        if count >= cap:
            raise AppError("ERR_4004", seconds=max(1, math.ceil((end - now).total_seconds())))
        reservation.writes[path] = {
            "action": action,
            "scope": scope,
            "windowStart": start,
            "count": count + 1,
            "expiresAt": end,
        }
    return reservation


def limit_call(
    action: str, *, uid: str | None, headers: Mapping[str, str], peer: str | None
) -> None:
    """Count one call of the callable `action` (ERR_4004 when spent), unless it has no limit
    or its service counts it itself. A call without a limit costs no store operation."""
    if action in SERVICE_COUNTED or settings().limit(action) is None:
        return
    now, ip = wiring.now(), client_ip(headers, peer)
    wiring.store().transaction(lambda txn: reserve(txn, action, now, uid=uid, ip=ip).write(txn))
