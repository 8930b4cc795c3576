"""A seeded, randomized mix of 2,000 operations from 8 threads, checked against a small
in-memory model of the wallet, and after every step against double entry: the user's entries
fold (deltas re-derived) into the model's wallet, and the user's accounts plus the system
accounts of their entries sum to zero per currency (so the global sum, a sum over users, stays
zero). Then the reconcile jobs find no drift and a zero global sum, and after one wallet is
corrupted by hand, exactly that one.

Each thread owns its users, so every user's operations happen in a known order and the model
can predict each outcome exactly (refusals included), while the store sees 8 writers at once.
"""

import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest

from shared import collections, config, sessions, wiring
from shared.errors import AppError
from shared.ledger import EntryType, Wallet, audit_entries, user_totals
from shared.ops import reconcile
from shared.sessions import HeartbeatSession, ResolveSession, StartSession
from tests.ledger.helpers import entries, ledger_sum, post, wallet

SEED = 20260101
THREADS = 8
USERS_PER_THREAD = 3
OPERATIONS = 2_000


@dataclass
class Model:
    """What a wallet must hold, by the rules written out independently of the ledger code."""

    credits: int = 0
    locked: int = 0
    ash: int = 0
    debt: int = 0
    sessions: list[tuple[str, int]] = field(default_factory=list)
    posted: list[tuple[str, EntryType, int]] = field(default_factory=list)

    @property
    def available(self) -> int:
        return self.credits - self.locked

    def inflow(self, amount: int) -> str:
        repay = min(self.debt, amount)
        self.debt -= repay
        self.credits += amount - repay
        return "ok"

    def outflow(self, amount: int) -> str:
        if self.available < amount:
            return "ERR_4001"
        self.credits -= amount
        return "ok"

    def clawback(self, amount: int) -> str:
        taken = min(amount, max(self.available, 0))
        self.credits -= taken
        self.debt += amount - taken
        return "ok"

    def lock(self, sid: str, pledge: int) -> str:
        if self.available < pledge:
            return "ERR_4001"
        self.locked += pledge
        self.sessions.append((sid, pledge))
        return "ok"

    def settle(self, pledge: int, failed: bool) -> str:
        self.locked -= pledge
        if failed:
            self.credits -= pledge
            self.ash += pledge  # one ash per burned credit (the default ratio)
        return "ok"

    def wallet(self) -> Wallet:
        return Wallet(credits=self.credits, locked=self.locked, ash=self.ash, debt=self.debt)


def outcome(call) -> str:
    try:
        call()
        return "ok"
    except AppError as e:
        return e.code


class Worker:
    """One thread's users, their models, and the operations it runs on them."""

    def __init__(self, index: int) -> None:
        self.rng = random.Random(SEED + index)
        self.users = {f"t{index}_u{i}": Model() for i in range(USERS_PER_THREAD)}
        self.counter = 0
        self.mismatches: list[str] = []

    def next_id(self, kind: str) -> str:
        self.counter += 1
        return f"{kind}_{id(self)}_{self.counter}"

    def step(self) -> None:
        uid = self.rng.choice(sorted(self.users))
        model = self.users[uid]
        kind = self.rng.choices(
            [
                "grant",
                "spend",
                "spend_refund",
                "clawback",
                "adjust",
                "start",
                "resolve",
                "heartbeat",
                "replay",
            ],
            weights=[18, 14, 5, 6, 8, 18, 18, 5, 8],
        )[0]
        expected, actual = getattr(self, f"op_{kind}")(uid, model)
        if expected != actual:
            self.mismatches.append(f"{kind} on {uid}: model {expected}, service {actual}")
        self.check_double_entry(kind, uid, model)

    def check_double_entry(self, kind: str, uid: str, model: Model) -> None:
        store = wiring.store()
        audit = audit_entries(uid, entries(store, uid))
        totals = user_totals(wallet(store, uid))
        for (currency, _), balance in audit.system.items():
            totals[currency] += balance
        if audit.wallet != model.wallet() or audit.findings or any(totals.values()):
            self.mismatches.append(f"{kind} on {uid}: fold {audit.wallet}, sums {totals}")

    def _post(self, uid: str, model: Model, type_: EntryType, amount: int, expected: str):
        entry_id = self.next_id(type_.value)
        actual = outcome(lambda: post(uid, type_, amount, entry_id=entry_id))
        if actual == "ok":
            model.posted.append((entry_id, type_, amount))
        return expected, actual

    def op_grant(self, uid: str, model: Model):
        amount = self.rng.randint(1, 40)
        return self._post(uid, model, EntryType.CREDITS_GRANT, amount, model.inflow(amount))

    def op_spend_refund(self, uid: str, model: Model):
        amount = self.rng.randint(1, 10)
        return self._post(uid, model, EntryType.CREDITS_SPEND_REFUND, amount, model.inflow(amount))

    def op_spend(self, uid: str, model: Model):
        amount = self.rng.randint(1, 30)
        return self._post(uid, model, EntryType.CREDITS_SPEND, amount, model.outflow(amount))

    def op_clawback(self, uid: str, model: Model):
        amount = self.rng.randint(1, 25)
        return self._post(uid, model, EntryType.CREDITS_CLAWBACK, amount, model.clawback(amount))

    def op_adjust(self, uid: str, model: Model):
        amount = self.rng.choice([-1, 1]) * self.rng.randint(1, 20)
        expected = model.inflow(amount) if amount > 0 else model.outflow(-amount)
        return self._post(uid, model, EntryType.ADMIN_ADJUSTMENT, amount, expected)

    def op_replay(self, uid: str, model: Model):
        """Post an already posted entry again: nothing changes."""
        if not model.posted:
            return "ok", "ok"
        entry_id, type_, amount = self.rng.choice(model.posted)
        return "ok", outcome(lambda: post(uid, type_, amount, entry_id=entry_id))

    def op_start(self, uid: str, model: Model):
        pledge, key = self.rng.randint(1, 30), self.next_id("start")
        request = StartSession(pledge=pledge, duration_minutes=30, idempotency_key=key)
        sid = sessions.session_id_for(uid, key)
        expected = model.lock(sid, pledge)
        return expected, outcome(lambda: sessions.start_session(uid, request))

    def op_resolve(self, uid: str, model: Model):
        if not model.sessions:
            return "ok", "ok"
        sid, pledge = model.sessions.pop(self.rng.randrange(len(model.sessions)))
        result = self.rng.choice(["SUCCESS", "FAILURE"])
        request = ResolveSession(session_id=sid, outcome=result, idempotency_key="r")
        expected = model.settle(pledge, failed=result == "FAILURE")
        actual = outcome(lambda: sessions.resolve_session(uid, request))
        replay = outcome(lambda: sessions.resolve_session(uid, request))  # a retried request
        return expected, actual if replay == "ok" else f"replay {replay}"

    def op_heartbeat(self, uid: str, model: Model):
        if not model.sessions:
            return "ok", "ok"
        sid, _ = self.rng.choice(model.sessions)
        request = HeartbeatSession(session_id=sid)
        return "ok", outcome(lambda: sessions.heartbeat_session(uid, request))


@pytest.fixture
def workers(store, clock, monkeypatch) -> list[Worker]:
    monkeypatch.setenv("SESSION_ONE_ACTIVE", "false")  # several open sessions per user
    monkeypatch.setenv("RECONCILE_FULL_EVERY_HOURS", "0")
    monkeypatch.setenv("RECONCILE_INCREMENTAL_LAG_SECONDS", "0")
    monkeypatch.setenv("RECONCILE_USERS_PER_PAGE", "10")
    config.reset()
    workers = [Worker(i) for i in range(THREADS)]

    def run(worker: Worker) -> None:
        for _ in range(OPERATIONS // THREADS):
            worker.step()

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(run, workers))
    return workers


def test_random_operations_match_the_model_and_reconcile_finds_drift_exactly(store, workers):
    assert [m for w in workers for m in w.mismatches] == []
    models = {uid: model for w in workers for uid, model in w.users.items()}
    assert len(models) == THREADS * USERS_PER_THREAD
    for uid, model in models.items():
        assert wallet(store, uid) == model.wallet(), uid
        assert ledger_sum(store, uid) == model.wallet(), uid
        assert model.available >= 0
        user = store.get(collections.user(uid))
        assert user.get("activeSessions", 0) == len(model.sessions)

    assert reconcile.reconcile_incremental().drifted == []
    clean = reconcile.reconcile_balances()
    assert (clean.users_checked, clean.drifted, clean.finished) == (len(models), [], True)
    assert clean.global_sum == {"credits": 0, "ash": 0} and clean.findings == 0
    burned = sum(m.ash for m in models.values())
    assert clean.system_accounts["ash"] == {"ash_grants": -burned}
    assert clean.system_accounts["credits"]["burn"] == burned

    victim = sorted(models)[7]
    store.update(collections.user(victim), {"wallet.credits": models[victim].credits + 13})
    found = reconcile.reconcile_balances()
    assert found.drifted == found.repaired == [victim]
    assert wallet(store, victim) == models[victim].wallet()
    assert reconcile.reconcile_balances().drifted == []
