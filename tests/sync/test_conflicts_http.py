"""Conflicts readable over HTTP: listed on every device, newest first, per entry; the device
whose write lost learns it on pull; acknowledging removes them."""

import pytest

from tests.sync.helpers import b64, grant_sync

UID = "conflicted"


def entry(entry_id: str, device: str, at: str) -> dict:
    return {
        "id": entry_id,
        "ciphertext": b64(f"{device}:{entry_id}"),
        "clock": {device: 1},
        "updatedAt": at,
    }


def push(api, device: str, *entries: dict) -> list[dict]:
    return api.result("sync_push", {"deviceId": device, "entries": list(entries)}, uid=UID)[
        "results"
    ]


def pull(api, device: str) -> dict[str, dict]:
    page = api.result("sync_pull", {"deviceId": device, "cursor": 0, "limit": 500}, uid=UID)
    return {e["id"]: e for e in page["entries"]}


def conflicts(api, device: str, **options) -> dict:
    return api.result("sync_conflicts", {"deviceId": device, **options}, uid=UID)


@pytest.fixture
def devices(api, clock):
    grant_sync(UID)
    for device in ("phone", "laptop"):
        api.result(
            "device_register", {"deviceId": device, "name": device, "platform": "ios"}, uid=UID
        )


def test_the_device_whose_write_lost_is_told_on_pull_and_both_list_it(api, devices):
    push(api, "phone", entry("x", "phone", "2026-01-01T12:00:00Z"))
    [outcome] = push(api, "laptop", entry("x", "laptop", "2026-01-01T12:05:00Z"))
    assert (outcome["status"], outcome["winner"]) == ("conflict", "incoming")
    listed = {device: conflicts(api, device)["conflicts"] for device in ("phone", "laptop")}
    assert listed["phone"] == listed["laptop"] and len(listed["phone"]) == 1
    [record] = listed["phone"]
    assert (record["entryId"], record["winner"]["deviceId"], record["loser"]["deviceId"]) == (
        "x",
        "laptop",
        "phone",
    )
    assert record["loser"]["updatedAt"] == "2026-01-01T12:00:00Z"
    assert pull(api, "phone")["x"]["ownWriteLost"] == {"conflictId": record["conflictId"]}
    assert pull(api, "laptop")["x"]["ownWriteLost"] is None


def test_when_the_stored_version_wins_the_pusher_sees_the_marker_too(api, devices):
    push(api, "phone", entry("x", "phone", "2026-01-01T12:05:00Z"))
    [outcome] = push(api, "laptop", entry("x", "laptop", "2026-01-01T12:00:00Z"))
    assert (outcome["status"], outcome["winner"]) == ("conflict", "stored")
    assert pull(api, "laptop")["x"]["ownWriteLost"] is not None
    assert pull(api, "phone")["x"]["ownWriteLost"] is None


def test_paged_newest_first_per_entry_and_acknowledged(api, devices):
    for name in ("a", "b", "c"):
        push(api, "phone", entry(name, "phone", "2026-01-01T12:00:00Z"))
    for name in ("a", "b", "c"):
        push(api, "laptop", entry(name, "laptop", "2026-01-01T12:05:00Z"))
    first = conflicts(api, "phone", limit=2)
    assert [c["entryId"] for c in first["conflicts"]] == ["c", "b"]
    second = conflicts(api, "phone", limit=2, before=first["nextBefore"])
    assert [c["entryId"] for c in second["conflicts"]] == ["a"] and second["nextBefore"] is None
    only_b = conflicts(api, "laptop", entryId="b")["conflicts"]
    assert [c["entryId"] for c in only_b] == ["b"]
    ids = [c["conflictId"] for c in first["conflicts"]]
    ack = {"deviceId": "laptop", "conflictIds": ids}
    assert api.result("sync_conflicts_ack", ack, uid=UID) == {"acknowledged": 2}
    assert api.result("sync_conflicts_ack", ack, uid=UID) == {"acknowledged": 0}  # idempotent
    assert [c["entryId"] for c in conflicts(api, "phone")["conflicts"]] == ["a"]
    assert api.result("sync_status", {"deviceId": "phone"}, uid=UID)["conflictCount"] == 1


def test_bad_conflict_requests_are_refused(api, devices):
    for data, expected in (
        ({"deviceId": "phone", "conflictIds": []}, "ERR_4000"),
        ({"deviceId": "phone", "conflictIds": ["../x"]}, "ERR_4030"),  # not a document id
    ):
        status, code, _ = api.error("sync_conflicts_ack", data, uid=UID)
        assert (status, code) == (400, expected)
    assert api.error("sync_conflicts", {"deviceId": "nope"}, uid=UID)[1] == "ERR_4410"
    assert api.error("sync_conflicts", {"deviceId": "phone"}, uid="other")[1] == "ERR_4400"
