"""Bad pushes and pulls: each refused with its code, and nothing written."""

from datetime import timedelta

import pytest

from shared.sync.models import EntryChange, StatusRequest
from shared.sync.status import get_status
from tests.support.store import assert_refused
from tests.sync.helpers import (
    T0,
    b64,
    change,
    configure,
    deletion,
    grant_sync,
    pull,
    push,
    random_text,
    register,
    sync_user,
)

UID = "carol"


@pytest.fixture(autouse=True)
def user(clock):
    sync_user(UID, "phone")
    sync_user("mallory", "mallory-phone")
    push(UID, "phone", [change("kept", "v1", {"phone": 1})])


def raw(entry_id: str, ciphertext: str, clock: dict) -> EntryChange:
    return EntryChange(id=entry_id, ciphertext=ciphertext, clock=clock, updated_at=T0)


def test_a_negative_clock_counter(store):
    bad = change("e", "x", {"phone": -1})
    assert_refused(
        store, "ERR_4404", lambda: push(UID, "phone", [change("ok", "x", {"phone": 1}), bad])
    )
    assert_refused(
        store, "ERR_4404", lambda: push(UID, "phone", [], [deletion("kept", {"phone": -3})])
    )


def test_an_empty_or_all_zero_clock_or_a_bad_device_key(store):
    for clock in ({}, {"phone": 0}, {"no/slash": 1}):
        assert_refused(
            store, "ERR_4404", lambda clock=clock: push(UID, "phone", [change("e", "x", clock)])
        )


def test_a_clock_naming_too_many_devices(store, monkeypatch):
    configure(monkeypatch, sync_max_clock_devices="3")
    clock = {f"d{i}": 1 for i in range(4)}
    error = assert_refused(store, "ERR_4405", lambda: push(UID, "phone", [change("e", "x", clock)]))
    assert error.params["max"] == 3


def test_an_oversize_entry(store):
    big = raw("big", b64(random_text(262_145)), {"phone": 1})
    error = assert_refused(store, "ERR_4402", lambda: push(UID, "phone", [big]))
    assert (error.params["size"], error.params["max"]) == (262_145, 262_144)
    push(UID, "phone", [raw("fits", b64(random_text(262_144)), {"phone": 1})])  # the limit itself


def test_too_many_entries_in_one_push(store):
    entries = [change(f"e{i}", "x", {"phone": 1}) for i in range(400)]
    deleted = [deletion(f"d{i}", {"phone": 1}) for i in range(101)]
    error = assert_refused(store, "ERR_4401", lambda: push(UID, "phone", entries, deleted))
    assert error.params == {"count": 501, "max": 500}


def test_malformed_base64(store):
    for text in ("not base64!", "abc", "", "YWJj\n"):
        error = assert_refused(
            store, "ERR_4403", lambda text=text: push(UID, "phone", [raw("e", text, {"phone": 1})])
        )
        assert error.params["field"] == "entries[0].ciphertext"


def test_the_same_id_twice_in_one_push(store):
    twice = [change("e", "x", {"phone": 1})]
    assert_refused(
        store, "ERR_4406", lambda: push(UID, "phone", twice, [deletion("e", {"phone": 2})])
    )


def test_an_unregistered_device(store):
    assert_refused(
        store, "ERR_4410", lambda: push(UID, "tablet", [change("e", "x", {"tablet": 1})])
    )
    assert_refused(store, "ERR_4410", lambda: pull(UID, "tablet"))
    assert_refused(store, "ERR_4410", lambda: get_status(UID, StatusRequest(device_id="tablet")))


def test_another_users_device(store):
    """Mallory's device is not Carol's: lookups are scoped to the caller's uid."""
    call = lambda: push(UID, "mallory-phone", [change("e", "x", {"mallory-phone": 1})])  # noqa: E731
    assert_refused(store, "ERR_4410", call)
    assert_refused(store, "ERR_4410", lambda: pull(UID, "mallory-phone"))


def test_no_sync_without_the_entitlement(store, clock):
    register("dave", "phone")
    for call in (
        lambda: push("dave", "phone", [change("e", "x", {"phone": 1})]),
        lambda: pull("dave", "phone"),
        lambda: get_status("dave", StatusRequest(device_id="phone")),
    ):
        error = assert_refused(store, "ERR_4400", call)
        assert error.status == "FAILED_PRECONDITION"
        assert error.details() == {"code": "ERR_4400", "productId": "sync_monthly"}


def test_an_expired_entitlement_stops_sync(store, clock):
    grant_sync(UID, expires_at=clock() + timedelta(hours=1))
    push(UID, "phone", [change("e", "x", {"phone": 1})])
    clock.advance(hours=2)
    assert_refused(store, "ERR_4400", lambda: push(UID, "phone", [change("f", "x", {"phone": 1})]))
