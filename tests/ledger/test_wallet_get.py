"""wallet_get over HTTP: balances, newest entries first, exact paging by an opaque cursor."""

import pytest

from shared.ledger import EntryType
from tests.ledger.helpers import fund, post


def test_balances_and_newest_entries(api, store, clock):
    fund("alice", 10)
    clock.advance(seconds=1)
    post("alice", EntryType.CREDITS_LOCK, 4)
    clock.advance(seconds=1)
    post("alice", EntryType.CREDITS_CLAWBACK, 8)
    fund("bob", 99)
    result = api.result("wallet_get", {"limit": 10}, uid="alice")
    assert {k: result[k] for k in ("credits", "locked", "available", "ash", "debt")} == {
        "credits": 4,
        "locked": 4,
        "available": 0,
        "ash": 0,
        "debt": 2,
    }
    assert [e["type"] for e in result["entries"]] == [
        "credits_clawback",
        "credits_lock",
        "credits_grant",
    ]
    assert result["entries"][0]["delta"] == {"credits": -6, "locked": 0, "ash": 0, "debt": 2}
    assert result["nextCursor"] is None


def test_paging_visits_every_entry_once_even_with_equal_timestamps(api, store, clock):
    for i in range(23):
        if i % 5 == 0:
            clock.advance(seconds=1)  # groups of entries share a createdAt
        fund("alice", i + 1)
    seen, cursor = [], None
    while True:
        page = api.result("wallet_get", {"limit": 4, "cursor": cursor}, uid="alice")
        seen += [e["amount"] for e in page["entries"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert sorted(seen) == list(range(1, 24))
    assert len(seen) == 23


def test_a_new_user_has_an_empty_wallet(api, store):
    result = api.result("wallet_get", {}, uid="newcomer")
    assert result["credits"] == result["available"] == 0
    assert result["entries"] == []


@pytest.mark.parametrize("cursor", ["garbage", "eyJ0IjoieCJ9", "e30", "a" * 400])
def test_a_bad_cursor_is_refused(api, store, cursor):
    status, code, _ = api.error("wallet_get", {"cursor": cursor}, uid="alice")
    assert (status, code) == (400, "ERR_4108")


@pytest.mark.parametrize("limit", [0, 101, 2.5, "5"])
def test_a_bad_limit_is_refused(api, store, limit):
    status, code, error = api.error("wallet_get", {"limit": limit}, uid="alice")
    assert (status, code) == (400, "ERR_4000")
    assert error["details"]["fields"][0]["field"] == "limit"


def test_sign_in_is_required(api, store):
    assert api.error("wallet_get", {})[:2] == (401, "ERR_4011")
