"""post_entries: every entry type's effect, append-only ids, all-or-nothing, debt, no overdraft,
and the optional shortcuts sessions use (pre-read user, extra user fields, fresh ids)."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from shared import collections, ledger, wiring
from shared.errors import AppError
from shared.ledger import EntryType, NewEntry, Wallet
from shared.store import DocumentExists
from shared.store.sqlite import SqliteStore
from tests.ledger.helpers import entries, fund, ledger_sum, post, wallet
from tests.support.store import all_documents


def test_each_entry_records_its_delta_and_the_wallet_is_their_sum(store, clock):
    fund("u1", 10)
    post("u1", EntryType.CREDITS_PURCHASE, 5)
    post("u1", EntryType.CREDITS_LOCK, 4)
    post("u1", EntryType.CREDITS_BURN, 3)
    post("u1", EntryType.CREDITS_REFUND, 1)
    post("u1", EntryType.ASH_GRANT, 3)
    post("u1", EntryType.CREDITS_SPEND, 2)
    post("u1", EntryType.CREDITS_SPEND_REFUND, 2)
    post("u1", EntryType.ADMIN_ADJUSTMENT, -4)
    assert wallet(store, "u1") == Wallet(credits=8, locked=0, ash=3, debt=0)
    assert ledger_sum(store, "u1") == wallet(store, "u1")
    burn = next(e for e in entries(store, "u1") if e["type"] == "credits_burn")
    assert burn["delta"] == {"credits": -3, "locked": -3, "ash": 0, "debt": 0}
    assert burn["walletAfter"] == {"credits": 12, "locked": 1, "ash": 0, "debt": 0}


def test_the_same_id_posts_once(store, clock):
    post("u1", EntryType.CREDITS_GRANT, 5, entry_id="grant_1")
    again = post("u1", EntryType.CREDITS_GRANT, 5, entry_id="grant_1")
    assert not again.posted_anything
    assert wallet(store, "u1").credits == 5
    assert len(entries(store, "u1")) == 1


def test_an_id_reused_for_another_entry_is_refused(store, clock):
    post("u1", EntryType.CREDITS_GRANT, 5, entry_id="grant_1")
    with pytest.raises(RuntimeError):
        post("u1", EntryType.CREDITS_GRANT, 6, entry_id="grant_1")


@pytest.mark.parametrize(
    ("kind", "amount"),
    [
        (EntryType.CREDITS_SPEND, 6),
        (EntryType.CREDITS_LOCK, 6),
        (EntryType.ADMIN_ADJUSTMENT, -6),
    ],
)
def test_outflows_never_overdraw_and_write_nothing(store, clock, kind, amount):
    fund("u1", 5)
    post("u1", EntryType.CREDITS_LOCK, 2)
    before = all_documents(store)
    with pytest.raises(AppError) as raised:
        post("u1", kind, amount)
    assert raised.value.code == "ERR_4001"
    assert raised.value.params == {"required": abs(amount), "available": 3}
    assert all_documents(store) == before


def test_a_posting_is_all_or_nothing(store, clock):
    fund("u1", 5)
    before = all_documents(store)
    ok = NewEntry(id="spend_ok", type=EntryType.CREDITS_SPEND, amount=3)
    too_much = NewEntry(id="spend_big", type=EntryType.CREDITS_SPEND, amount=3)
    now = wiring.now()
    with pytest.raises(AppError):
        store.transaction(lambda txn: ledger.post_entries(txn, "u1", [ok, too_much], now))
    assert all_documents(store) == before


def test_a_clawback_beyond_available_becomes_debt_repaid_by_later_inflows(store, clock):
    fund("u1", 10)
    post("u1", EntryType.CREDITS_LOCK, 4)
    post("u1", EntryType.CREDITS_CLAWBACK, 9)
    assert wallet(store, "u1") == Wallet(credits=4, locked=4, debt=3)
    post("u1", EntryType.CREDITS_PURCHASE, 5)
    assert wallet(store, "u1") == Wallet(credits=6, locked=4, debt=0)
    assert ledger_sum(store, "u1") == wallet(store, "u1")


def test_amounts_must_be_positive(store, clock):
    with pytest.raises(ValueError):
        post("u1", EntryType.CREDITS_GRANT, -1)
    assert all_documents(store) == {}


def test_user_fields_ride_in_the_wallet_write_and_a_pre_read_user_is_not_read_again(store, clock):
    fund("u1", 5)
    now = wiring.now()
    lock = NewEntry(id="lock_1", type=EntryType.CREDITS_LOCK, amount=2)

    def body(txn):
        user = txn.get(collections.user("u1")) or {}
        return ledger.post_entries(
            txn, "u1", [lock], now, user=user, user_fields={"activeSessions": 1}, fresh=True
        )

    store.transaction(body)
    assert store.get(collections.user("u1")) == {
        "wallet": {"credits": 5, "locked": 2, "ash": 0, "debt": 0},
        "activeSessions": 1,
        "ledgerSeq": 2,
    }


def test_fresh_ids_that_exist_fail_at_commit_instead_of_posting_twice(store, clock):
    post("u1", EntryType.CREDITS_GRANT, 5, entry_id="grant_1")
    grant = NewEntry(id="grant_1", type=EntryType.CREDITS_GRANT, amount=5)
    now = wiring.now()
    with pytest.raises(DocumentExists):
        store.transaction(lambda txn: ledger.post_entries(txn, "u1", [grant], now, fresh=True))
    assert wallet(store, "u1").credits == 5


@pytest.mark.many_threads
def test_concurrent_spends_never_overdraw(store, clock):
    fund("u1", 10)

    def spend(i: int) -> bool:
        try:
            post("u1", EntryType.CREDITS_SPEND, 3, entry_id=f"spend_{i}")
            return True
        except AppError:
            return False

    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(spend, range(24)))
    assert sum(results) == 3
    assert wallet(store, "u1") == Wallet(credits=1)
    assert ledger_sum(store, "u1") == wallet(store, "u1")


def test_bodies_rerun_by_the_store_post_once(tmp_path, clock):
    wiring.use(store=SqliteStore(str(tmp_path / "rerun.sqlite3"), rerun_transactions=True))
    store = wiring.store()
    fund("u1", 10)
    post("u1", EntryType.CREDITS_SPEND, 4, entry_id="spend_1")
    post("u1", EntryType.CREDITS_SPEND, 4, entry_id="spend_1")
    assert wallet(store, "u1") == Wallet(credits=6)
    assert len(entries(store, "u1")) == 2
