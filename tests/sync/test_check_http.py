"""sync_check over HTTP: every difference in a set of 10,000 entries is found in a bounded
number of calls (digests first, then listings of the ranges that differ)."""

from shared.sync.check import range_digest
from tests.sync.helpers import change, configure, deletion, push, sync_user

UID = "checker"
N = 10_000
CHUNK = 100  # entries per digest range


def call(api, data: dict) -> dict:
    return api.result("sync_check", {"deviceId": "phone", **data}, uid=UID)


def ranges_of(held: dict[str, int], ids: list[str], listed: bool) -> list[dict]:
    """Consecutive ranges of CHUNK of the device's ids (the last one open-ended)."""
    out = []
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        up_to = part[-1] if start + CHUNK < len(ids) else None
        live = [(i, held[i]) for i in part]
        out.append(
            {
                "upTo": up_to,
                **(
                    {"entries": [{"id": i, "version": v} for i, v in live]}
                    if listed
                    else {"digest": range_digest(live)}
                ),
            }
        )
    return out


def test_every_difference_in_ten_thousand_entries_in_few_calls(api, clock):
    sync_user(UID, "phone", "laptop")
    ids = [f"e{i:05d}" for i in range(N)]
    for start in range(0, N, 500):
        push(UID, "laptop", [change(i, "v1", {"laptop": 1}) for i in ids[start : start + 500]])
    held = dict.fromkeys(ids, 1)  # the phone's copy: version 1 of everything
    push(UID, "laptop", [change(i, "v2", {"laptop": 2}) for i in ("e00010", "e05000", "e09999")])
    push(UID, "laptop", [], [deletion(i, {"laptop": 2}) for i in ("e00500", "e07777")])
    push(UID, "laptop", [change("e99999", "server only", {"laptop": 1})])
    held["e03333x"] = 1  # the phone holds what the server never had
    del held["e06000"]  # and lacks one entry
    phone_ids = sorted(held)

    calls, after, differing = 0, None, []
    pending = ranges_of(held, phone_ids, listed=False)
    bounds = {r["upTo"]: k for k, r in enumerate(pending)}
    while pending:
        answer = call(api, {"after": after, "ranges": pending[:500]})
        calls += 1
        for outcome in answer["ranges"]:
            assert outcome["status"] in ("equal", "differs")
            if outcome["status"] == "differs":
                differing.append(bounds[outcome["upTo"]])
        done = len(answer["ranges"])
        after, pending = answer["checkedUpTo"], pending[done:]
    assert answer["complete"]

    found = {"newer": set(), "deleted": set(), "missing": set()}
    for k in differing:  # list each differing range (its own lower bound)
        lower = None if k == 0 else phone_ids[k * CHUNK - 1]
        [listing] = ranges_of(held, phone_ids[k * CHUNK : (k + 1) * CHUNK], listed=True)
        listing["upTo"] = (
            None if k == (len(phone_ids) - 1) // CHUNK else phone_ids[(k + 1) * CHUNK - 1]
        )
        answer = call(api, {"after": lower, "ranges": [listing]})
        calls += 1
        found["newer"] |= {e["id"] for e in answer["newer"]}
        found["deleted"] |= {e["id"] for e in answer["deleted"]}
        found["missing"] |= set(answer["missing"])
    assert found == {
        "newer": {"e00010", "e05000", "e09999", "e99999", "e06000"},
        "deleted": {"e00500", "e07777"},
        "missing": {"e03333x"},
    }
    assert calls <= 5 + 8, calls  # 10,000 digests at 2,000 reads a call, then 8 listings


def test_a_range_too_large_is_listed_part_by_part(api, clock, monkeypatch):
    sync_user(UID, "phone")
    push(UID, "phone", [change(f"e{i:03d}", "x", {"phone": 1}) for i in range(30)])
    configure(monkeypatch, sync_check_max_reads="10")
    answer = call(api, {"ranges": [{"digest": range_digest([])}]})
    assert answer["ranges"] == [{"upTo": None, "status": "tooLarge"}]
    newer, after = set(), None
    for _ in range(4):
        answer = call(api, {"after": after, "ranges": [{"entries": []}]})
        newer |= {e["id"] for e in answer["newer"]}
        after = answer["checkedUpTo"]
        if answer["complete"]:
            break
    assert answer["complete"] and len(newer) == 30


def test_bad_ranges_are_refused(api, clock):
    sync_user(UID, "phone")
    for ranges in (
        [{"upTo": None}],
        [{"upTo": None, "digest": "0" * 64}, {"upTo": "b", "digest": "0" * 64}],
        [{"upTo": "b", "entries": [{"id": "c", "version": 1}]}],
    ):
        status, code, _ = api.error("sync_check", {"deviceId": "phone", "ranges": ranges}, uid=UID)
        assert (status, code) == (400, "ERR_4412")
