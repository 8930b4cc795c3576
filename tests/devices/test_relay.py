"""The relay between a user's own devices: the full flow, nonce reuse, claims that never
overlap, who may answer and read, expiry, and bad input."""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from shared.devices.models import CreateRelay, PollRelay, RelayRef, RespondRelay
from shared.devices.relay import create_relay, get_relay_status, poll_relay, respond_relay
from shared.errors import AppError
from tests.support.store import assert_refused
from tests.sync.helpers import b64, register

UID = "iris"


@pytest.fixture(autouse=True)
def devices(clock):
    register(UID, "phone")
    register(UID, "desktop", inference=True, models=["llama"])
    register("jack", "jack-desktop")


def sealed(text: str = "prompt", nonce: bytes | None = None) -> dict:
    return {"ciphertext": b64(text), "nonce": b64(nonce or os.urandom(24)), "mac": b64(b"m" * 16)}


def ask(source="phone", target="desktop", uid=UID, **fields):
    request = {"source_device_id": source, "target_device_id": target, **sealed(), **fields}
    return create_relay(uid, CreateRelay(**request))


def answer(relay_id: str, device="desktop", **fields):
    return respond_relay(
        UID, RespondRelay(device_id=device, relay_id=relay_id, **(sealed("answer") | fields))
    )


def test_the_full_flow(store, clock):
    created = ask()
    assert created.status == "pending"
    assert get_relay_status(UID, RelayRef(device_id="phone", relay_id=created.relay_id)).status == (
        "pending"
    )
    claimed = poll_relay(UID, PollRelay(device_id="desktop")).requests
    assert [r.relay_id for r in claimed] == [created.relay_id]
    assert claimed[0].ciphertext == b64("prompt") and claimed[0].source_device_id == "phone"
    assert poll_relay(UID, PollRelay(device_id="desktop")).requests == []  # claimed once
    response = sealed("the answer")
    done = answer(created.relay_id, **response)
    assert done.status == "done"
    status = get_relay_status(UID, RelayRef(device_id="phone", relay_id=created.relay_id))
    assert status.status == "done"
    assert status.response.model_dump() == response


def test_a_reused_nonce_is_refused_but_the_exact_same_request_is_a_safe_retry(store, clock):
    nonce = os.urandom(24)
    request = CreateRelay(
        source_device_id="phone", target_device_id="desktop", **sealed("a", nonce)
    )
    first = create_relay(UID, request)
    assert create_relay(UID, request) == first  # a retry
    other = CreateRelay(source_device_id="phone", target_device_id="desktop", **sealed("b", nonce))
    assert_refused(store, "ERR_4422", lambda: create_relay(UID, other))
    poll_relay(UID, PollRelay(device_id="desktop"))
    assert_refused(
        store, "ERR_4422", lambda: answer(first.relay_id, nonce=b64(nonce))
    )  # in an answer


def test_concurrent_requests_with_one_nonce_create_one_relay(store, clock):
    nonce = os.urandom(24)

    def attempt(i: int) -> str:
        try:
            request = sealed(f"text {i}", nonce)
            return create_relay(
                UID, CreateRelay(source_device_id="phone", target_device_id="desktop", **request)
            ).relay_id
        except AppError as e:
            return e.code

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(attempt, range(8)))
    assert sorted(outcomes).count("ERR_4422") == 7


def test_concurrent_pollers_never_get_the_same_request(store, clock):
    created = {ask().relay_id for _ in range(30)}
    start = threading.Barrier(6)

    def poller(_: int) -> list[str]:
        start.wait()
        got = []
        while batch := poll_relay(UID, PollRelay(device_id="desktop", limit=2)).requests:
            got += [r.relay_id for r in batch]
        return got

    with ThreadPoolExecutor(6) as pool:
        claims = [c for got in pool.map(poller, range(6)) for c in got]
    assert len(claims) == len(set(claims)) == 30
    assert set(claims) == created


def test_only_the_target_answers_and_only_while_processing(store, clock):
    relay_id = ask().relay_id
    assert_refused(store, "ERR_4424", lambda: answer(relay_id))  # not claimed yet
    poll_relay(UID, PollRelay(device_id="desktop"))
    error = assert_refused(store, "ERR_4423", lambda: answer(relay_id, device="phone"))
    assert error.params == {"role": "target"}
    response = sealed("once")
    answer(relay_id, **response)
    assert answer(relay_id, **response).status == "done"  # a retried answer
    assert_refused(store, "ERR_4424", lambda: answer(relay_id))  # a second, different answer


def test_only_the_source_reads_the_status(store, clock):
    relay_id = ask().relay_id
    with pytest.raises(AppError) as raised:
        get_relay_status(UID, RelayRef(device_id="desktop", relay_id=relay_id))
    assert (raised.value.code, raised.value.params) == ("ERR_4423", {"role": "source"})


def test_requests_expire_after_their_ttl(store, clock):
    relay_id = ask(ttl_seconds=30).relay_id
    late = ask().relay_id  # the default 120 s
    clock.advance(seconds=31)
    status = get_relay_status(UID, RelayRef(device_id="phone", relay_id=relay_id))
    assert status.status == "expired"
    assert [r.relay_id for r in poll_relay(UID, PollRelay(device_id="desktop")).requests] == [late]
    clock.advance(seconds=120)
    assert_refused(store, "ERR_4425", lambda: answer(late))


def test_the_target_must_be_online(store, clock):
    clock.advance(seconds=61)
    assert_refused(store, "ERR_4421", ask)
    poll_relay(UID, PollRelay(device_id="desktop"))  # polling counts as a heartbeat
    assert ask().status == "pending"


def test_another_users_device_or_relay(store, clock):
    assert_refused(store, "ERR_4410", lambda: ask(target="jack-desktop"))
    assert_refused(store, "ERR_4410", lambda: ask(source="jack-desktop"))
    register("jack", "jack-phone")
    theirs = ask(source="jack-phone", target="jack-desktop", uid="jack").relay_id
    assert_refused(store, "ERR_4420", lambda: answer(theirs))
    with pytest.raises(AppError) as raised:
        get_relay_status(UID, RelayRef(device_id="phone", relay_id=theirs))
    assert raised.value.code == "ERR_4420"


def test_unregistered_devices_cannot_relay(store, clock):
    assert_refused(store, "ERR_4410", lambda: ask(source="ghost"))
    assert_refused(store, "ERR_4410", lambda: poll_relay(UID, PollRelay(device_id="ghost")))
    assert_refused(store, "ERR_4427", lambda: ask(target="phone"))


def test_malformed_or_oversize_payloads(store, clock, monkeypatch):
    assert_refused(store, "ERR_4403", lambda: ask(ciphertext="%%%"))
    assert_refused(store, "ERR_4403", lambda: ask(mac="abc"))
    error = assert_refused(store, "ERR_4426", lambda: ask(nonce=b64(b"short")))
    assert error.params == {"field": "nonce", "min": 8, "max": 64, "size": 5}
    assert_refused(store, "ERR_4426", lambda: ask(ciphertext=b64(os.urandom(65_537))))


def test_relay_bodies_can_run_twice(clock):
    """Every transaction body runs twice (the first run discarded): claims and nonces hold."""
    from shared import wiring
    from shared.store.sqlite import SqliteStore
    from tests.support.store import all_documents as everything

    wiring.use(store=SqliteStore(rerun_transactions=True))
    store = wiring.store()
    register(UID, "phone")
    register(UID, "desktop")
    register(UID, "desktop")  # idempotent even when re-run
    assert store.get(f"device_registries/{UID}") == {"count": 2}
    request = CreateRelay(source_device_id="phone", target_device_id="desktop", **sealed())
    created = create_relay(UID, request)
    assert create_relay(UID, request) == created
    claimed = poll_relay(UID, PollRelay(device_id="desktop")).requests
    assert [r.relay_id for r in claimed] == [created.relay_id]
    assert poll_relay(UID, PollRelay(device_id="desktop")).requests == []
    response = sealed("answer")
    answer(created.relay_id, **response)
    before = everything(store)
    answer(created.relay_id, **response)  # the retry writes nothing
    assert everything(store) == before
    status = get_relay_status(UID, RelayRef(device_id="phone", relay_id=created.relay_id))
    assert status.status == "done" and status.response.model_dump() == response
