"""A device told to resync after a tombstone purge pages through to the end, then pushes
(issue 14, defect 1), over HTTP as an app does it."""

import pytest

from tests.sync.helpers import b64, configure, grant_sync

UID = "reset-user"
AT = "2026-01-01T12:00:00Z"


def entry(entry_id: str, counter: int = 1) -> dict:
    return {
        "id": entry_id,
        "ciphertext": b64(entry_id),
        "clock": {"phone": counter},
        "updatedAt": AT,
    }


@pytest.fixture
def purged(api, clock, monkeypatch):
    """The repro: 600 entries, the last one deleted (seq 601), its tombstone purged."""
    configure(monkeypatch, sync_tombstone_retention_days="0")
    grant_sync(UID)
    for device in ("phone", "laptop"):
        api.result(
            "device_register", {"deviceId": device, "name": device, "platform": "ios"}, uid=UID
        )
    for start in (0, 300):
        batch = [entry(f"e{i:04d}") for i in range(start, start + 300)]
        api.result("sync_push", {"deviceId": "phone", "entries": batch}, uid=UID)
    deletion = {"id": "e0599", "clock": {"phone": 2}, "updatedAt": AT}
    api.result("sync_push", {"deviceId": "phone", "deletedIds": [deletion]}, uid=UID)
    clock.advance(seconds=1)
    assert api.http.post("/__dev/run/purge_sync_tombstones").status_code == 200
    status = api.result("sync_status", {"deviceId": "laptop"}, uid=UID)
    assert (status["purgeHorizon"], status["lastSeq"]) == (601, 601)


def test_a_resync_from_zero_pages_through_a_purge_horizon_to_the_end(api, purged):
    first = api.result("sync_pull", {"deviceId": "laptop", "cursor": 0, "limit": 500}, uid=UID)
    assert (len(first["entries"]), first["nextCursor"], first["hasMore"]) == (500, 500, True)
    rest = api.result("sync_pull", {"deviceId": "laptop", "cursor": 500, "limit": 500}, uid=UID)
    assert not rest["hasMore"] and rest["nextCursor"] == 601
    ids = {e["id"] for e in first["entries"] + rest["entries"]}
    assert ids == {f"e{i:04d}" for i in range(599)}
    # Having reached the end, the device may push again.
    pushed = api.result("sync_push", {"deviceId": "laptop", "entries": [entry("new")]}, uid=UID)
    assert pushed["results"][0]["status"] == "accepted"


def test_a_device_behind_the_horizon_is_told_to_reset_and_can_finish(api, purged):
    # The phone last pulled nothing (cursor 0 recorded nowhere): its push is refused until it
    # has pulled to the end.
    status, code, _ = api.error(
        "sync_push", {"deviceId": "phone", "entries": [entry("x")]}, uid=UID
    )
    assert (status, code) == (400, "ERR_4407")
    cursor, pages = 0, 0
    while True:
        page = api.result(
            "sync_pull", {"deviceId": "phone", "cursor": cursor, "limit": 200}, uid=UID
        )
        cursor, pages = page["nextCursor"], pages + 1
        if not page["hasMore"]:
            break
    assert (cursor, pages) == (601, 3)
    pushed = api.result("sync_push", {"deviceId": "phone", "entries": [entry("x")]}, uid=UID)
    assert pushed["results"][0]["status"] == "accepted"


def test_an_old_cursor_answers_a_reset_followed_to_the_end(api, purged):
    # The laptop had pulled up to seq 300 before the purge: it is told to reset, with the
    # first page of a full listing, and the listing leaves out the purged and older tombstones.
    page = api.result("sync_pull", {"deviceId": "laptop", "cursor": 300, "limit": 400}, uid=UID)
    assert (page["reset"], page["resetReason"], page["drop"]) == (True, "purged", "unlisted")
    listed = {e["id"] for e in page["entries"]}
    while page["hasMore"]:
        page = api.result(
            "sync_pull", {"deviceId": "laptop", "cursor": page["nextCursor"]}, uid=UID
        )
        assert not page["reset"]
        listed |= {e["id"] for e in page["entries"]}
    assert listed == {f"e{i:04d}" for i in range(599)}  # e0599 is gone: drop it locally
    pushed = api.result("sync_push", {"deviceId": "laptop", "entries": [entry("new")]}, uid=UID)
    assert pushed["results"][0]["status"] == "accepted"


def test_a_first_sync_leaves_out_tombstones(api, clock):
    grant_sync("fresh")
    for device in ("old", "new"):
        api.result(
            "device_register", {"deviceId": device, "name": device, "platform": "ios"}, uid="fresh"
        )
    api.result("sync_push", {"deviceId": "old", "entries": [entry("a"), entry("b")]}, uid="fresh")
    gone = {"id": "a", "clock": {"phone": 2}, "updatedAt": AT}
    api.result("sync_push", {"deviceId": "old", "deletedIds": [gone]}, uid="fresh")
    page = api.result("sync_pull", {"deviceId": "new", "cursor": 0}, uid="fresh")
    assert [(e["id"], e["deleted"]) for e in page["entries"]] == [("b", False)]
    assert page["nextCursor"] == 3
    # A deletion after the first sync began reaches the new device.
    api.result("sync_push", {"deviceId": "old", "deletedIds": [{**gone, "id": "b"}]}, uid="fresh")
    later = api.result("sync_pull", {"deviceId": "new", "cursor": 3}, uid="fresh")
    assert [(e["id"], e["deleted"]) for e in later["entries"]] == [("b", True)]
