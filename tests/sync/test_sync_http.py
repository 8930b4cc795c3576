"""Sync end to end over HTTP on the dev server, as apps call it."""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.support.store import all_documents
from tests.sync.helpers import b64, grant_sync, server_entries

UID = "kate"


def entry(entry_id: str, text: str, clock: dict, at: str = "2026-01-01T12:00:00Z") -> dict:
    return {"id": entry_id, "ciphertext": b64(text), "clock": clock, "updatedAt": at}


@pytest.fixture
def devices(api, clock):
    grant_sync(UID)
    for device in ("phone", "laptop"):
        api.result(
            "device_register",
            {"deviceId": device, "name": device, "platform": "ios"},
            uid=UID,
        )


def test_device_a_pushes_and_device_b_pulls_it(api, devices):
    pushed = api.result(
        "sync_push",
        {
            "deviceId": "phone",
            "entries": [entry("note-1", "secret", {"phone": 1})],
            "deletedIds": [
                {"id": "gone", "clock": {"phone": 1}, "updatedAt": "2026-01-01T12:00:00Z"}
            ],
        },
        uid=UID,
    )
    assert [(r["id"], r["status"], r["seq"]) for r in pushed["results"]] == [
        ("note-1", "accepted", 1),
        ("gone", "accepted", 2),
    ]
    page = api.result("sync_pull", {"deviceId": "laptop", "cursor": 0, "limit": 1}, uid=UID)
    assert page["hasMore"] and page["nextCursor"] == 1
    assert page["entries"][0] == {
        "id": "note-1",
        "ciphertext": b64("secret"),
        "clock": {"phone": 1},
        "updatedAt": "2026-01-01T12:00:00Z",
        "version": 1,
        "deleted": False,
        "seq": 1,
        "deviceId": "phone",
        "ownWriteLost": None,
    }
    rest = api.result("sync_pull", {"deviceId": "laptop", "cursor": 1}, uid=UID)
    # A first sync leaves out the tombstone of an entry the laptop never had.
    assert (rest["entries"], rest["nextCursor"], rest["hasMore"]) == ([], 2, False)
    status = api.result("sync_status", {"deviceId": "laptop"}, uid=UID)
    assert (status["entryCount"], status["tombstoneCount"], status["lastSeq"]) == (1, 1, 2)


def test_no_sync_without_the_entitlement(api, clock, store):
    api.result("device_register", {"deviceId": "phone", "name": "p", "platform": "ios"}, uid="lee")
    before = all_documents(store)
    for name, data in (
        ("sync_push", {"deviceId": "phone", "entries": [entry("e", "x", {"phone": 1})]}),
        ("sync_pull", {"deviceId": "phone", "cursor": 0}),
        ("sync_status", {"deviceId": "phone"}),
    ):
        status, code, error = api.error(name, data, uid="lee")
        assert (status, code, error["status"]) == (400, "ERR_4400", "FAILED_PRECONDITION")
        assert error["details"]["productId"] == "sync_monthly"
    assert all_documents(store) == before


def test_bad_input_over_http_has_codes_and_writes_nothing(api, devices, store):
    before = all_documents(store)
    cases = [
        ({"deviceId": "phone", "entries": [entry("e", "x", {"phone": -1})]}, 400, "ERR_4404"),
        (
            {
                "deviceId": "phone",
                "entries": [{**entry("e", "x", {"phone": 1}), "ciphertext": "**"}],
            },
            400,
            "ERR_4403",
        ),
        (
            {
                "deviceId": "phone",
                "entries": [entry(f"e{i}", "x", {"phone": 1}) for i in range(501)],
            },
            400,
            "ERR_4401",
        ),
        (
            {
                "deviceId": "phone",
                "entries": [{**entry("e", "x", {"phone": 1}), "ciphertext": b64(b"\0" * 262_145)}],
            },
            400,
            "ERR_4402",
        ),
        ({"deviceId": "tablet", "entries": [entry("e", "x", {"tablet": 1})]}, 404, "ERR_4410"),
        ({"deviceId": "phone", "entries": [entry("e/1", "x", {"phone": 1})]}, 400, "ERR_4030"),
    ]
    for data, http_status, code in cases:
        assert api.error("sync_push", data, uid=UID)[:2] == (http_status, code)
    assert api.error("sync_pull", {"deviceId": "phone", "cursor": -1}, uid=UID)[1] == "ERR_4000"
    assert all_documents(store) == before


@pytest.mark.many_threads
def test_concurrent_pushes_and_a_paging_puller_over_http(api, devices, store):
    pushers = [f"p{i}" for i in range(4)]
    for device in pushers:
        api.result(
            "device_register", {"deviceId": device, "name": device, "platform": "ios"}, uid=UID
        )
    done, start = threading.Event(), threading.Barrier(len(pushers) + 1)

    def push(device: str) -> None:
        with httpx.Client(base_url=api.base_url, timeout=30) as http:
            headers = {"Authorization": f"Bearer {api.token(UID)}"}
            start.wait()
            for n in range(5):
                entries = [
                    entry(f"{device}-{n}", "x", {device: 1}),
                    entry("shared", device, {device: n + 1}),
                ]
                data = {"deviceId": device, "entries": entries}
                assert (
                    http.post("/sync_push", json={"data": data}, headers=headers).status_code == 200
                )

    def pull() -> tuple[dict, list]:
        seen, seqs, cursor = {}, [], 0
        start.wait()
        while True:
            finished = done.is_set()
            page = api.result(
                "sync_pull", {"deviceId": "laptop", "cursor": cursor, "limit": 3}, uid=UID
            )
            for e in page["entries"]:
                seen[e["id"]] = (e["seq"], e["version"], e["ciphertext"])
                seqs.append(e["seq"])
            cursor = page["nextCursor"]
            if finished and not page["hasMore"]:
                return seen, seqs

    with ThreadPoolExecutor(5) as pool:
        reader = pool.submit(pull)
        list(pool.map(push, pushers))
        done.set()
        seen, seqs = reader.result()
    assert seqs == sorted(set(seqs))
    server = {
        i: (d["seq"], d["version"], d["ciphertext"]) for i, d in server_entries(store, UID).items()
    }
    assert seen == server and len(server) == 21


def test_the_purge_job_runs_through_the_dev_server(api, devices, clock, store):
    api.result(
        "sync_push",
        {
            "deviceId": "phone",
            "deletedIds": [{"id": "x", "clock": {"phone": 1}, "updatedAt": "2026-01-01T00:00:00Z"}],
        },
        uid=UID,
    )
    clock.advance(days=31)
    assert api.http.post("/__dev/run/purge_sync_tombstones").status_code == 200
    assert server_entries(store, UID) == {}
    assert api.result("sync_status", {"deviceId": "phone"}, uid=UID)["purgeHorizon"] == 1
    # The laptop never pulled past the purged tombstone: it resyncs before it may push.
    laptop_push = {"deviceId": "laptop", "entries": [entry("x", "back", {"laptop": 1})]}
    assert api.error("sync_push", laptop_push, uid=UID)[:2] == (400, "ERR_4407")
    assert api.result("sync_pull", {"deviceId": "laptop", "cursor": 0}, uid=UID)["entries"] == []
    assert api.result("sync_push", laptop_push, uid=UID)["results"][0]["status"] == "accepted"
