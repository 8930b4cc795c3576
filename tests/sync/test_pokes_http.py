"""Pokes over HTTP: a push from one device sends one FCM data message to each other device
with a token (none to the pusher), coalesced under a burst, and dead tokens are dropped."""

import pytest

from tests.sync.fcm_standin import fcm, fcm_service  # noqa: F401 (fixtures)
from tests.sync.helpers import b64, grant_sync

UID = "poked"
AT = "2026-01-01T12:00:00Z"


def entry(entry_id: str, counter: int = 1) -> dict:
    return {"id": entry_id, "ciphertext": b64(entry_id), "clock": {"a": counter}, "updatedAt": AT}


def push(api, device: str, *entries: dict) -> dict:
    return api.result("sync_push", {"deviceId": device, "entries": list(entries)}, uid=UID)


@pytest.fixture
def devices(api, clock, fcm):  # noqa: F811
    grant_sync(UID)
    for device in ("a", "b", "c"):
        data = {
            "deviceId": device,
            "name": device,
            "platform": "android",
            "fcmToken": f"tok-{device}",
        }
        assert api.result("device_register", data, uid=UID)["pushEnabled"] is True
    api.result("device_register", {"deviceId": "d", "name": "no push", "platform": "ios"}, uid=UID)


def test_a_push_pokes_every_other_device_once(api, devices, fcm):  # noqa: F811
    last_seq = push(api, "a", entry("n1"))["lastSeq"]
    assert fcm.to("tok-b") == fcm.to("tok-c") == [{"type": "sync", "lastSeq": str(last_seq)}]
    assert fcm.to("tok-a") == []
    [message] = [m for m in fcm.messages if m["token"] == "tok-b"]
    assert message["apns"]["payload"]["aps"] == {"content-available": 1}
    assert "notification" not in message  # a silent data message


def test_a_burst_is_coalesced_and_its_last_seq_flushed(api, devices, fcm, clock):  # noqa: F811
    for i in range(10):
        push(api, "a", entry(f"n{i}"))
        clock.advance(seconds=0.2)
    assert fcm.to("tok-b") == [{"type": "sync", "lastSeq": "1"}]  # one poke for the burst
    assert api.http.post("/__dev/run/flush_sync_pokes").status_code == 200
    assert len(fcm.to("tok-b")) == 1  # the window is not over yet
    clock.advance(seconds=5)
    assert api.http.post("/__dev/run/flush_sync_pokes").status_code == 200
    assert fcm.to("tok-b")[-1] == fcm.to("tok-c")[-1] == {"type": "sync", "lastSeq": "10"}
    assert fcm.to("tok-a") == []  # the pusher wrote lastSeq itself
    api.http.post("/__dev/run/flush_sync_pokes")
    assert len(fcm.to("tok-b")) == 2  # flushed once
    clock.advance(seconds=5)
    push(api, "b", entry("n1", 2))  # a quiet window later, the next push sends at once
    assert fcm.to("tok-a") == [{"type": "sync", "lastSeq": "11"}]


def test_a_push_that_changes_nothing_pokes_nobody(api, devices, fcm, clock):  # noqa: F811
    push(api, "a", entry("n1"))
    clock.advance(seconds=10)
    push(api, "a", entry("n1"))  # a retry: nothing written
    assert len(fcm.to("tok-b")) == 1


def test_dead_tokens_are_dropped(api, devices, fcm, clock):  # noqa: F811
    fcm.dead_tokens.add("tok-c")
    push(api, "a", entry("n1"))
    devices_now = {d["deviceId"]: d for d in api.result("device_list", {}, uid=UID)["devices"]}
    assert devices_now["c"]["pushEnabled"] is False
    assert devices_now["b"]["pushEnabled"] is True
    clock.advance(seconds=10)
    push(api, "a", entry("n2"))
    assert len(fcm.to("tok-b")) == 2 and fcm.to("tok-c") == []
    # Registering again with a fresh token turns pokes back on.
    data = {"deviceId": "c", "name": "c", "platform": "android", "fcmToken": "tok-c2"}
    assert api.result("device_register", data, uid=UID)["pushEnabled"] is True


def test_a_token_can_be_removed(api, devices):
    data = {"deviceId": "b", "name": "b", "platform": "android", "fcmToken": None}
    assert api.result("device_register", data, uid=UID)["pushEnabled"] is False
    again = {"deviceId": "c", "name": "c", "platform": "android"}  # not sent: kept
    assert api.result("device_register", again, uid=UID)["pushEnabled"] is True
