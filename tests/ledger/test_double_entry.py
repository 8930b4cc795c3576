"""Double entry: every entry's counterpart system account comes from its type and source, each
user's entries are numbered in posting order, the entries fold back into the wallet with
re-derived deltas, the accounts sum to zero, and ledgers from before are migrated."""

from datetime import timedelta

import pytest

from shared import collections, config, ledger, wiring
from shared.ledger import EntryType, NewEntry, SystemAccount, Wallet, audit_entries, migration
from shared.ops import reconcile
from shared.store import query
from tests.ledger.helpers import entries, fund, post, wallet


@pytest.fixture(autouse=True)
def every_run_is_due(monkeypatch):
    monkeypatch.setenv("RECONCILE_FULL_EVERY_HOURS", "0")
    config.reset()


def post_one(uid: str, entry: NewEntry) -> None:
    now = wiring.now()
    wiring.store().transaction(lambda txn: ledger.post_entries(txn, uid, [entry], now))


@pytest.mark.parametrize(
    ("kind", "refs", "reason", "account"),
    [
        (EntryType.CREDITS_PURCHASE, {"paymentIntent": "pi_1"}, None, SystemAccount.STRIPE),
        (EntryType.CREDITS_PURCHASE, {"platform": "app_store"}, None, SystemAccount.APP_STORE),
        (EntryType.CREDITS_PURCHASE, {"platform": "play_store"}, None, SystemAccount.PLAY),
        (
            EntryType.CREDITS_GRANT,
            {"device": "d"},
            "guest_device_grant",
            SystemAccount.GUEST_GRANTS,
        ),
        (EntryType.CREDITS_GRANT, {}, None, SystemAccount.GRANTS),
        (EntryType.ADMIN_ADJUSTMENT, {"admin": "a"}, None, SystemAccount.ADMIN),
        (EntryType.CREDITS_BURN, {"session": "s"}, None, SystemAccount.BURN),
        (EntryType.ASH_GRANT, {"session": "s"}, None, SystemAccount.ASH_GRANTS),
        (EntryType.CREDITS_SPEND, {"job": "j"}, None, SystemAccount.PROVIDER_SPEND),
        (EntryType.CREDITS_SPEND_REFUND, {"job": "j"}, None, SystemAccount.PROVIDER_SPEND),
        (EntryType.CREDITS_CLAWBACK, {"paymentIntent": "pi_1"}, None, SystemAccount.REFUNDS),
        (EntryType.CREDITS_LOCK, {"session": "s"}, None, None),
        (EntryType.CREDITS_REFUND, {"session": "s"}, None, None),
    ],
)
def test_each_entry_type_and_source_has_its_counterpart(kind, refs, reason, account):
    assert ledger.counterpart(kind, refs, reason) == account


def test_posted_entries_carry_their_number_and_counterpart(store, clock):
    post_one(
        "u1",
        NewEntry(
            id="pi", type=EntryType.CREDITS_PURCHASE, amount=9, refs={"paymentIntent": "pi_1"}
        ),
    )
    post("u1", EntryType.CREDITS_LOCK, 4, entry_id="lock")
    post("u1", EntryType.CREDITS_BURN, 4, entry_id="burn")
    stored = {e["id"]: e for e in entries(store, "u1")}
    assert [(stored[i]["seq"], stored[i]["counterpart"]) for i in ("pi", "lock", "burn")] == [
        (1, "stripe"),
        (2, None),
        (3, "burn"),
    ]
    assert store.get(collections.user("u1"))["ledgerSeq"] == 3


def test_an_entry_is_a_balanced_transfer():
    burn = ledger.Delta(credits=-4, locked=-4)
    assert ledger.transfers(EntryType.CREDITS_BURN, 4, burn, "burn") == [
        {"from": "locked", "to": "system:burn", "amount": 4}
    ]
    repaid = ledger.Delta(credits=3, debt=-2)  # 5 credits in, 2 of them repay a debt
    assert ledger.transfers(EntryType.CREDITS_GRANT, 5, repaid, "grants") == [
        {"from": "system:grants", "to": "available", "amount": 3},
        {"from": "system:grants", "to": "debt", "amount": 2},
    ]


def test_the_fold_rederives_deltas_and_flags_a_wrong_one(store, clock):
    fund("u1", 5)
    post("u1", EntryType.CREDITS_CLAWBACK, 8, entry_id="claw")  # takes 5, owes 3
    post("u1", EntryType.CREDITS_GRANT, 10, entry_id="grant")  # repays 3 first
    audit = audit_entries("u1", entries(store, "u1"))
    assert audit.wallet == wallet(store, "u1") == Wallet(credits=7)
    assert audit.findings == []
    assert sum(audit.system.values()) == -7  # the user's +7 against the system accounts
    # An entry written with wrong deltas but the right wallet passed the old sum; not now.
    store.update(f"{collections.LEDGER}/grant", {"delta.credits": 7, "delta.debt": 0})
    store.update(f"{collections.LEDGER}/claw", {"delta.credits": -5, "delta.debt": 0})
    assert ledger.sum_deltas(entries(store, "u1")) == Wallet(credits=7)
    found = audit_entries("u1", entries(store, "u1")).findings
    assert sorted((f["kind"], f["entryId"]) for f in found) == [
        ("delta", "claw"),
        ("delta", "grant"),
    ]
    report = reconcile.reconcile_balances()
    assert report.drifted == [] and report.findings == 2
    kinds = sorted(d.id for d in store.query(query(collections.LEDGER_FINDINGS)))
    assert kinds == ["delta_claw", "delta_grant"]


def test_a_full_pass_proves_the_global_sum_across_pages(store, clock, monkeypatch):
    monkeypatch.setenv("RECONCILE_USERS_PER_PAGE", "2")
    config.reset()
    for i in range(5):
        uid = f"u{i}"
        pi = NewEntry(
            id=f"pi{i}",
            type=EntryType.CREDITS_PURCHASE,
            amount=10,
            refs={"paymentIntent": f"pi_{i}"},
        )
        post_one(uid, pi)
        post(uid, EntryType.CREDITS_SPEND, 3)
        post(uid, EntryType.ASH_GRANT, 2)
    first = reconcile.reconcile_balances(max_pages=1)
    assert not first.finished and first.global_sum is None
    rest = reconcile.reconcile_balances()
    assert rest.resumed and rest.finished
    assert rest.global_sum == {"credits": 0, "ash": 0}
    assert rest.system_accounts == {
        "credits": {"stripe": -50, "provider_spend": 15},
        "ash": {"ash_grants": -10},
    }
    state = store.get("ops_state/reconcile_balances")
    assert state["globalSum"] == {"credits": 0, "ash": 0}


def test_a_global_sum_off_zero_is_a_finding(store, clock, monkeypatch):
    monkeypatch.setenv("RECONCILE_REPAIR", "false")
    config.reset()
    fund("u1", 10)
    store.update(collections.user("u1"), {"wallet.credits": 13})  # 3 credits from nowhere
    report = reconcile.reconcile_balances()
    assert report.drifted == ["u1"] and report.global_sum == {"credits": 3, "ash": 0}


def test_the_migration_numbers_old_entries_in_posting_order(store, clock, monkeypatch):
    # Entries as they were written before double entry: no seq, no counterpart; several share
    # a time (one posting) and are ordered only by the chain of their walletAfter.
    fund("u1", 5)
    post("u1", EntryType.CREDITS_CLAWBACK, 8)
    post("u1", EntryType.CREDITS_GRANT, 10)
    post("u1", EntryType.CREDITS_LOCK, 2)
    docs = store.query(query(collections.LEDGER, [("uid", "==", "u1")]))
    same_time = wiring.now() - timedelta(days=1)
    for doc in docs:
        data = {k: v for k, v in doc.data.items() if k not in ("seq", "counterpart")}
        store.set(doc.path, data | {"createdAt": same_time})
    store.set(collections.user("u1"), {"wallet": wallet(store, "u1").model_dump()})
    legacy = audit_entries("u1", entries(store, "u1"))
    assert legacy.wallet == wallet(store, "u1") and legacy.findings == []

    monkeypatch.setattr(migration, "CHUNK", 2)  # two transactions for this user
    report = migration.migrate_ledgers()
    assert (report.users_migrated, report.entries_numbered) == (1, 4)
    post("u1", EntryType.CREDITS_SPEND, 1)  # posted after: numbered after them
    numbered = sorted(entries(store, "u1"), key=lambda e: e["seq"])
    assert [e["seq"] for e in numbered] == [-3, -2, -1, 0, 1]
    assert [e["type"] for e in numbered] == [
        "credits_grant",
        "credits_clawback",
        "credits_grant",
        "credits_lock",
        "credits_spend",
    ]
    assert all("counterpart" in e for e in numbered)
    assert audit_entries("u1", entries(store, "u1")).findings == []
    assert migration.migrate_ledgers().entries_numbered == 0
    assert reconcile.reconcile_balances().global_sum == {"credits": 0, "ash": 0}
