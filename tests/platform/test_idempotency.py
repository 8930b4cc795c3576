"""One idempotency helper: replay, refusal of a different request, expiry, and concurrency."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from shared import idempotency
from shared.errors import AppError
from shared.models import WireModel
from shared.store import Increment


class Answer(WireModel):
    n: int


def bump(txn, now) -> Answer:
    count = (txn.get("counters/c") or {}).get("n", 0) + 1
    txn.set("counters/c", {"n": Increment(1)}, merge=True)
    return Answer(n=count)


def test_the_same_key_replays_the_stored_answer(store, clock):
    first = idempotency.run_once("test", "k1", {"a": 1}, Answer, bump)
    again = idempotency.run_once("test", "k1", {"a": 1}, Answer, bump)
    assert first == again == Answer(n=1)
    assert store.get("counters/c") == {"n": 1}


def test_the_same_key_with_a_different_request_is_refused(store, clock):
    idempotency.run_once("test", "k1", {"a": 1}, Answer, bump)
    with pytest.raises(AppError) as raised:
        idempotency.run_once("test", "k1", {"a": 2}, Answer, bump)
    assert raised.value.code == "ERR_4017"
    assert store.get("counters/c") == {"n": 1}


def test_scopes_do_not_share_keys(store, clock):
    idempotency.run_once("alice", "k1", {}, Answer, bump)
    idempotency.run_once("bob", "k1", {}, Answer, bump)
    assert store.get("counters/c") == {"n": 2}


def test_keys_expire_after_the_ttl(store, clock):
    idempotency.run_once("test", "k1", {}, Answer, bump)
    clock.advance(hours=24, seconds=1)
    assert idempotency.run_once("test", "k1", {}, Answer, bump) == Answer(n=2)


def test_an_empty_key_is_refused(store):
    with pytest.raises(AppError) as raised:
        idempotency.run_once("test", "", {}, Answer, bump)
    assert raised.value.code == "ERR_4018"


def test_concurrent_retries_with_one_key_run_once(store, clock):
    with ThreadPoolExecutor(16) as pool:
        answers = list(
            pool.map(lambda _: idempotency.run_once("t", "k", {}, Answer, bump), range(40))
        )
    assert {a.n for a in answers} == {1}
    assert store.get("counters/c") == {"n": 1}


def test_a_failing_body_stores_nothing(store, clock):
    def fail(txn, now):
        txn.get("counters/c")
        raise AppError("ERR_4001", required=5, available=0)

    with pytest.raises(AppError):
        idempotency.run_once("t", "k", {}, Answer, fail)
    assert store.get(idempotency.record_path("t", "k")) is None
    record_ttl = timedelta(hours=24)
    idempotency.run_once("t", "k", {}, Answer, bump)
    record = store.get(idempotency.record_path("t", "k"))
    assert record["expiresAt"] - record["createdAt"] == record_ttl
