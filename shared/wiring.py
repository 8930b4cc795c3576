"""The one place that builds dependencies: store, clock, token verifier, HTTP clients.

Everything is built lazily on first use, so importing a function module connects to nothing
and reads no secret (short cold starts). Tests and the dev server replace parts with `use()`.
"""

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from shared import config
from shared.store import Store, open_store

Clock = Callable[[], datetime]

_built: dict[str, Any] = {}
_lock = threading.RLock()


def _get(name: str, build: Callable[[], Any]) -> Any:
    with _lock:
        if name not in _built:
            _built[name] = build()
        return _built[name]


def use(**parts: Any) -> None:
    """Replace built parts (`store=`, `clock=`, `token_verifier=`, or any area's own)."""
    with _lock:
        _built.update(parts)


def reset() -> None:
    """Forget every built part and cached setting (closing the store)."""
    with _lock:
        store_ = _built.pop("store", None)
        _built.clear()
    if store_ is not None:
        store_.close()
    config.reset()


def part(name: str, build: Callable[[], Any]) -> Any:
    """An area's own lazily built dependency (for example its API client), replaceable by `use`."""
    return _get(name, build)


def _build_store() -> Store:
    settings = config.platform()
    store_ = open_store(
        settings.store_backend,
        sqlite_path=settings.sqlite_path,
        project=settings.firebase_project_id,
        **(
            {"enforce_indexes": settings.store_enforce_indexes}
            if settings.store_backend == "sqlite"
            else {}
        ),
    )
    if settings.store_count_operations:
        from shared.store.counting import CountingStore

        store_ = CountingStore(store_)
    return store_


def store() -> Store:
    return _get("store", _build_store)


def _system_clock() -> datetime:
    return datetime.now(UTC)


def clock() -> Clock:
    return _get("clock", lambda: _system_clock)


def now() -> datetime:
    """The current time from the configured clock (tests may freeze it)."""
    return clock()()
