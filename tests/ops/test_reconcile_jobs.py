"""The reconcile jobs: find and repair drift with a record, resume from their token, check only
recent users incrementally, and never clobber a concurrent post."""

import json
import logging
import threading

import pytest

from shared import collections, config, ledger, log, wiring
from shared.ledger import EntryType, Wallet
from shared.ops import reconcile
from shared.store import query
from shared.store.sqlite import SqliteStore
from tests.ledger.helpers import fund, ledger_sum, post, wallet
from tests.support.store import all_documents


@pytest.fixture(autouse=True)
def every_run_is_due(monkeypatch):
    monkeypatch.setenv("RECONCILE_FULL_EVERY_HOURS", "0")
    monkeypatch.setenv("RECONCILE_INCREMENTAL_LAG_SECONDS", "0")
    config.reset()


def corrupt(store, uid: str, **fields: int) -> None:
    store.update(collections.user(uid), {f"wallet.{k}": v for k, v in fields.items()})


def repairs(store) -> list[dict]:
    return [d.data for d in store.query(query(collections.WALLET_REPAIRS))]


def test_no_drift_on_a_consistent_ledger(store, clock):
    for i in range(5):
        fund(f"u{i}", 10 + i)
        post(f"u{i}", EntryType.CREDITS_SPEND, 3)
    report = reconcile.reconcile_balances()
    assert (report.users_checked, report.entries_read, report.drifted) == (5, 10, [])
    assert report.finished and repairs(store) == []


def test_a_corrupted_wallet_is_found_repaired_and_recorded(store, clock, caplog):
    for i in range(5):
        fund(f"u{i}", 10)
    corrupt(store, "u3", credits=1_000, ash=7)
    with caplog.at_level(logging.WARNING, logger="app"):
        report = reconcile.reconcile_balances()
    assert report.drifted == report.repaired == ["u3"]
    assert wallet(store, "u3") == Wallet(credits=10)
    [record] = repairs(store)
    assert record["uid"] == "u3" and record["job"] == "reconcile_balances"
    assert record["before"] == {"credits": 1000, "locked": 0, "ash": 7, "debt": 0}
    assert record["after"] == {"credits": 10, "locked": 0, "ash": 0, "debt": 0}
    assert record["difference"] == {"credits": -990, "locked": 0, "ash": -7, "debt": 0}
    lines = [r for r in caplog.records if r.getMessage() == "wallet drift repaired"]
    assert [r.fields["uid"] for r in lines] == ["u3"]
    assert json.loads(log.JsonFormatter().format(lines[0]))["severity"] == "WARNING"
    assert store.get("ops_state/reconcile_balances")["drifted"] == ["u3"]
    assert reconcile.reconcile_balances().drifted == []


def test_a_wallet_without_entries_and_entries_without_a_wallet_are_drift(store, clock):
    store.set(collections.user("ghost"), {"wallet": {"credits": 50}})
    fund("lost", 8)
    store.update(collections.user("lost"), {"wallet": {}})
    report = reconcile.reconcile_balances()
    assert sorted(report.repaired) == ["ghost", "lost"]
    assert wallet(store, "ghost") == Wallet()
    assert wallet(store, "lost") == Wallet(credits=8)


def test_report_only_mode_writes_nothing(store, clock, monkeypatch):
    monkeypatch.setenv("RECONCILE_REPAIR", "false")
    config.reset()
    fund("u1", 10)
    corrupt(store, "u1", credits=3)
    before = {p: d for p, d in all_documents(store).items() if not p.startswith("ops_state/")}
    report = reconcile.reconcile_balances()
    assert report.drifted == ["u1"] and report.repaired == []
    after = {p: d for p, d in all_documents(store).items() if not p.startswith("ops_state/")}
    assert after == before


def test_a_stopped_pass_continues_from_its_token(store, clock, monkeypatch):
    monkeypatch.setenv("RECONCILE_USERS_PER_PAGE", "2")
    config.reset()
    for i in range(5):
        fund(f"u{i}", 10)
    corrupt(store, "u0", credits=1)
    corrupt(store, "u4", credits=2)
    first = reconcile.reconcile_balances(max_pages=1)
    assert (first.pages, first.users_checked, first.repaired, first.finished) == (
        1,
        2,
        ["u0"],
        False,
    )
    assert store.get("ops_state/reconcile_balances")["cursor"] == "u1"
    corrupt(store, "u0", credits=99)  # behind the token: this pass does not look again
    second = reconcile.reconcile_balances()
    assert second.resumed and second.finished
    assert (second.pages, second.users_checked, second.repaired) == (2, 3, ["u4"])
    state = store.get("ops_state/reconcile_balances")
    assert state["cursor"] is None and state["completedAt"] == clock()
    third = reconcile.reconcile_balances()  # a new pass from the start
    assert not third.resumed and third.repaired == ["u0"]


def test_a_finished_pass_waits_for_its_interval(store, clock, monkeypatch):
    monkeypatch.setenv("RECONCILE_FULL_EVERY_HOURS", "24")
    config.reset()
    fund("u1", 10)
    assert reconcile.reconcile_balances().finished
    assert reconcile.reconcile_balances().skipped
    assert reconcile.reconcile_balances(force=True).finished
    clock.advance(hours=24)
    assert not reconcile.reconcile_balances().skipped


def test_incremental_checks_only_users_with_new_entries(store, clock):
    for i in range(4):
        fund(f"u{i}", 10)
    assert reconcile.reconcile_incremental().users_checked == 4
    clock.advance(seconds=5)
    fund("u1", 1)
    corrupt(store, "u1", credits=500)
    corrupt(store, "u2", credits=500)  # no new entries: not this job's business
    report = reconcile.reconcile_incremental()
    assert (report.users_checked, report.repaired, report.resumed) == (1, ["u1"], True)
    assert wallet(store, "u1") == Wallet(credits=11)
    assert wallet(store, "u2").credits == 500
    assert reconcile.reconcile_incremental().users_checked == 0
    assert reconcile.reconcile_balances().repaired == ["u2"]


def test_incremental_leaves_the_newest_entries_for_the_next_run(store, clock, monkeypatch):
    monkeypatch.setenv("RECONCILE_INCREMENTAL_LAG_SECONDS", "60")
    config.reset()
    fund("u1", 10)
    assert reconcile.reconcile_incremental().users_checked == 0
    clock.advance(seconds=61)
    assert reconcile.reconcile_incremental().users_checked == 1


def test_incremental_resumes_page_by_page(store, clock, monkeypatch):
    monkeypatch.setenv("RECONCILE_ENTRIES_PER_QUERY", "3")
    config.reset()
    for i in range(7):
        clock.advance(seconds=1)
        fund(f"u{i}", 10)
    first = reconcile.reconcile_incremental(max_pages=1)
    assert (first.users_checked, first.finished) == (3, False)
    second = reconcile.reconcile_incremental()
    assert (second.users_checked, second.finished, second.resumed) == (4, True, True)


def test_repair_never_clobbers_a_concurrent_post(store, clock):
    """Posts keep landing while reconcile runs: its unlocked reads often disagree, but every
    suspect is re-checked in a transaction, so nothing is 'repaired' and nothing is lost."""
    users = [f"u{i}" for i in range(4)]
    for uid in users:
        fund(uid, 1_000)
    stop = threading.Event()

    def keep_posting(uid: str) -> None:
        while not stop.is_set():
            post(uid, EntryType.CREDITS_SPEND, 2)
            post(uid, EntryType.CREDITS_GRANT, 2)

    threads = [threading.Thread(target=keep_posting, args=(u,)) for u in users]
    for t in threads:
        t.start()
    try:
        reports = [reconcile.reconcile_balances() for _ in range(6)]
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert all(r.drifted == [] for r in reports)
    print("suspects re-checked and cleared:", sum(r.unconfirmed for r in reports))
    for uid in users:
        assert ledger_sum(store, uid) == wallet(store, uid)


def test_repair_wallet_leaves_a_consistent_wallet_alone(store, clock):
    fund("u1", 10)
    before = all_documents(store)
    now = wiring.now()
    result = store.transaction(
        lambda txn: ledger.repair_wallet(txn, "u1", now, job="test", run_id="r")
    )
    assert result is None
    assert all_documents(store) == before


def test_repair_bodies_rerun_by_the_store_repair_once(tmp_path, clock):
    wiring.use(store=SqliteStore(str(tmp_path / "rerun.sqlite3"), rerun_transactions=True))
    store = wiring.store()
    fund("u1", 10)
    corrupt(store, "u1", credits=3)
    assert reconcile.reconcile_balances().repaired == ["u1"]
    assert wallet(store, "u1") == Wallet(credits=10)
    assert len(repairs(store)) == 1


def test_the_dev_server_runs_both_jobs_over_http(api, store, clock):
    fund("alice", 10)
    corrupt(store, "alice", credits=77)
    assert api.http.post("/__dev/run/reconcile_balances").status_code == 200
    assert wallet(store, "alice") == Wallet(credits=10)
    clock.advance(seconds=1)
    fund("alice", 5)
    corrupt(store, "alice", locked=1)
    assert api.http.post("/__dev/run/reconcile_incremental").status_code == 200
    assert wallet(store, "alice") == Wallet(credits=15)
    assert len(repairs(store)) == 2
