"""Fixed-window counters: exact under concurrency, reset by the next window, per scope."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from shared.errors import AppError
from shared.web import ratelimit
from tests.jobs.fixtures import configure
from tests.support.store import all_documents


def take(store, clock, uid="u1", ip="1.2.3.4", action="generate") -> str:
    def body(txn):
        ratelimit.reserve(txn, action, clock(), uid=uid, ip=ip).write(txn)

    try:
        store.transaction(body)
    except AppError as e:
        return e.code
    return "ok"


def test_concurrent_requests_take_exactly_the_limit(store, clock, monkeypatch):
    configure(monkeypatch, RATE_LIMITS='{"generate": {"uid": 10, "windowSeconds": 3600}}')
    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(lambda _: take(store, clock), range(20)))
    assert sorted(outcomes) == ["ERR_4004"] * 10 + ["ok"] * 10


def test_the_next_window_starts_from_zero(store, clock, monkeypatch):
    configure(monkeypatch, RATE_LIMITS='{"generate": {"uid": 1, "windowSeconds": 60}}')
    clock.advance(seconds=30)
    assert take(store, clock) == "ok"
    with pytest.raises(AppError) as raised:
        store.transaction(
            lambda txn: ratelimit.reserve(txn, "generate", clock(), uid="u1", ip=None)
        )
    assert raised.value.params == {"seconds": 30}
    clock.advance(seconds=30)
    assert take(store, clock) == "ok"


def test_scopes_and_actions_count_apart(store, clock, monkeypatch):
    configure(monkeypatch, RATE_LIMITS='{"generate": {"uid": 1, "ip": 2}}')
    assert take(store, clock, uid="u1") == "ok"
    assert take(store, clock, uid="u1") == "ERR_4004"  # u1 spent
    assert take(store, clock, uid="u2") == "ok"  # the ip's second
    assert take(store, clock, uid="u3") == "ERR_4004"  # the ip spent
    assert take(store, clock, uid="u3", ip="5.6.7.8") == "ok"
    assert take(store, clock, action="unlisted") == "ok"


def test_counter_ids_reveal_neither_uid_nor_ip(store, clock):
    take(store, clock, uid="alice@example.com", ip="10.0.0.1")
    paths = [p for p in all_documents(store) if p.startswith("rate_limits/")]
    assert len(paths) == 2 and not any("alice" in p or "10.0.0.1" in p for p in paths)
