"""Reconcile jobs: every wallet must equal the fold of its ledger entries, with each entry's
delta re-derived from its type and amount (`ledger.audit_entries`), and, over a full pass, all
accounts (the users' and the system accounts computed from the entries) must sum to zero per
currency.

- `reconcile_balances` walks all users in pages (by id) and sums each page's entries. Its
  token (`ops_state/reconcile_balances.cursor`, the last user checked) is saved after every
  page, so a run that stops (time budget, crash) is continued by the next one. A finished
  pass starts again once `RECONCILE_FULL_EVERY_HOURS` have passed.
- `reconcile_incremental` walks the ledger by `createdAt` from its token and checks only the
  users with new entries. It stops `RECONCILE_INCREMENTAL_LAG_SECONDS` short of now: an
  entry's `createdAt` is taken before its transaction commits, so the newest ones may still
  be arriving out of order.

Detection reads outside transactions (cheap, maybe stale); every suspect is confirmed and
repaired by `ledger.repair_wallet` in one transaction that re-reads the wallet and entries,
so a post racing the check is never clobbered. Users whose document is gone are not visited
by the full pass (their entries stay, unreconciled).

Findings are recorded in `ledger_findings` (one document per entry and kind, so a second run
rewrites the same one): an entry whose stored delta, currency or counterpart disagrees with
the re-derived one, and a full pass whose global sum is not zero. The full pass keeps its
running totals with its token, so the global check survives a stop half-way.
"""

import logging
import time
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field

from shared import collections, config, faults, ledger, log, wiring
from shared.config import AppSettings
from shared.ledger import WalletRepair
from shared.store import Doc, query

FULL = "reconcile_balances"
INCREMENTAL = "reconcile_incremental"
MAX_LISTED = 100  # drifted uids kept on the state document per pass


class ReconcileSettings(AppSettings):
    reconcile_users_per_page: int = Field(default=300, ge=1, le=1000)
    reconcile_entries_per_query: int = Field(default=5000, ge=1, le=10_000)
    reconcile_max_seconds: float = Field(default=420, gt=0)
    reconcile_full_every_hours: float = Field(default=24, ge=0)
    reconcile_incremental_lag_seconds: float = Field(default=60, ge=0)
    # false: only report drift (confirmed in a transaction), never write wallets.
    reconcile_repair: bool = True


def settings() -> ReconcileSettings:
    return config.load(ReconcileSettings)


class ReconcileReport(BaseModel):
    job: str
    run_id: str
    resumed: bool = False
    pages: int = 0
    users_checked: int = 0
    entries_read: int = 0
    drifted: list[str] = []
    repaired: list[str] = []
    unconfirmed: int = 0  # looked off outside a transaction, agreed inside it (a racing post)
    finished: bool = False  # the pass (full) or the backlog (incremental) is done
    skipped: bool = False  # a full pass finished recently; nothing to do yet
    findings: int = 0  # entries whose stored data disagrees with the re-derived
    # When a full pass finishes: each currency's sum over all accounts (zero when sound),
    # and the system accounts' balances.
    global_sum: dict[str, int] | None = None
    system_accounts: dict[str, dict[str, int]] | None = None


class Totals(BaseModel):
    """A full pass's running sums: the users' per currency and each system account's."""

    users: dict[str, int] = Field(default_factory=lambda: {"credits": 0, "ash": 0})
    system: dict[str, dict[str, int]] = Field(default_factory=dict)

    def add(self, wallet: ledger.Wallet, audit: ledger.UserAudit) -> None:
        for currency, amount in ledger.user_totals(wallet).items():
            self.users[currency] = self.users.get(currency, 0) + amount
        for (currency, account), amount in audit.system.items():
            accounts = self.system.setdefault(currency, {})
            accounts[account] = accounts.get(account, 0) + amount

    def document(self) -> list[dict[str, Any]]:
        """As a list, which a merge replaces whole (a map would keep a former pass's keys)."""
        rows = [{"currency": c, "account": "users", "amount": n} for c, n in self.users.items()]
        for currency, accounts in self.system.items():
            rows += [{"currency": currency, "account": a, "amount": n} for a, n in accounts.items()]
        return rows

    @classmethod
    def of(cls, rows: list[dict[str, Any]]) -> "Totals":
        totals = cls()
        for row in rows:
            currency, account, amount = row["currency"], row["account"], row["amount"]
            if account == "users":
                totals.users[currency] = amount
            else:
                totals.system.setdefault(currency, {})[account] = amount
        return totals

    def global_sum(self) -> dict[str, int]:
        currencies = set(self.users) | set(self.system)
        return {c: self.users.get(c, 0) + sum(self.system.get(c, {}).values()) for c in currencies}


def state_path(job: str) -> str:
    return f"{collections.OPS_STATE}/{job}"


class _Run:
    """One run's budget and tallies."""

    def __init__(self, job: str, max_pages: int | None, s: ReconcileSettings) -> None:
        self.report = ReconcileReport(job=job, run_id=uuid.uuid4().hex[:12])
        self.max_pages = max_pages
        self.deadline = time.monotonic() + s.reconcile_max_seconds
        self.s = s

    def out_of_budget(self) -> bool:
        pages = self.max_pages is not None and self.report.pages >= self.max_pages
        return pages or time.monotonic() >= self.deadline


def _check_wallets(
    run: _Run, wallets: dict[str, ledger.Wallet], now: datetime, totals: Totals | None = None
) -> None:
    """Compare stored wallets with their re-derived ledgers; confirm and repair each that
    differs; record findings; add each user, as it stands after the check, to `totals`."""
    uids = list(wallets)
    audits, read = ledger.ledger_audits(wiring.store(), uids, run.s.reconcile_entries_per_query)
    run.report.users_checked += len(uids)
    run.report.entries_read += read
    for uid in uids:
        wallet, audit = wallets[uid], audits[uid]
        if wallet != audit.wallet:
            wallet, audit = _confirm(run, uid, now)
            faults.point("reconcile.mid_page")
        _record_findings(run, audit, now)
        if totals is not None:
            totals.add(wallet, audit)


def _confirm(run: _Run, uid: str, now: datetime) -> tuple[ledger.Wallet, ledger.UserAudit]:
    dry_run = not run.s.reconcile_repair
    repair: WalletRepair | None
    repair, wallet, audit = wiring.store().transaction(
        lambda txn: ledger.confirm_wallet(
            txn, uid, now, job=run.report.job, run_id=run.report.run_id, dry_run=dry_run
        )
    )
    if repair is None:  # a post landed between our reads: not drift
        run.report.unconfirmed += 1
        return wallet, audit
    run.report.drifted.append(uid)
    if dry_run:
        log.event("wallet drift found", logging.WARNING, uid=uid, job=run.report.job)
        return wallet, audit
    run.report.repaired.append(uid)
    ledger.log_repair(repair)
    return wallet, audit


def _record(run: _Run, doc_id: str, record: dict[str, Any], now: datetime) -> None:
    """Keep a finding in `ledger_findings` (report-only mode: log it, write nothing)."""
    record |= {"job": run.report.job, "runId": run.report.run_id}
    log.event(f"ledger finding: {record['kind']}", logging.ERROR, **record)
    if run.s.reconcile_repair:
        wiring.store().set(f"{collections.LEDGER_FINDINGS}/{doc_id}", record | {"foundAt": now})


def _record_findings(run: _Run, audit: ledger.UserAudit, now: datetime) -> None:
    for finding in audit.findings:
        run.report.findings += 1
        _record(run, f"{finding['kind']}_{finding['entryId']}", {**finding, "uid": audit.uid}, now)


def _check_global_sum(run: _Run, totals: Totals, now: datetime) -> None:
    run.report.global_sum = totals.global_sum()
    run.report.system_accounts = totals.system
    if all(v == 0 for v in run.report.global_sum.values()):
        return
    record = {
        "kind": "global_sum",
        "sum": run.report.global_sum,
        "users": totals.users,
        "system": totals.system,
    }
    _record(run, f"global_{run.report.run_id}", record, now)


def _save_state(job: str, run: _Run, fields: dict[str, Any], now: datetime) -> None:
    report = run.report
    wiring.store().set(
        state_path(job),
        {
            **fields,
            "runId": report.run_id,
            "updatedAt": now,
            "lastRun": report.model_dump(exclude={"drifted", "repaired"}),
            "drifted": report.drifted[:MAX_LISTED],
        },
        merge=True,
    )


def _full_pass_due(state: dict[str, Any], now: datetime, s: ReconcileSettings) -> bool:
    if state.get("cursor") or not state.get("completedAt"):
        return True
    return now - state["completedAt"] >= timedelta(hours=s.reconcile_full_every_hours)


def reconcile_balances(max_pages: int | None = None, force: bool = False) -> ReconcileReport:
    """Check (and repair) every wallet, a page of users at a time, from the saved token."""
    s, now = settings(), wiring.now()
    store = wiring.store()
    state = store.get(state_path(FULL)) or {}
    run = _Run(FULL, max_pages, s)
    if not force and not _full_pass_due(state, now, s):
        run.report.skipped = True
        return run.report
    cursor: str | None = state.get("cursor")
    run.report.resumed = cursor is not None
    totals = Totals.of(state.get("totals") or []) if cursor else Totals()
    while not run.out_of_budget():
        start = Doc(collections.user(cursor), {}) if cursor else None
        users = store.query(
            query(collections.USERS, limit=s.reconcile_users_per_page, start_after=start)
        )
        _check_wallets(run, {d.id: ledger.stored_wallet(d.data) for d in users}, now, totals)
        run.report.pages += 1
        cursor = users[-1].id if len(users) == s.reconcile_users_per_page else None
        done: dict[str, Any] = {}
        if cursor is None:
            _check_global_sum(run, totals, now)
            done = {"completedAt": now, "globalSum": run.report.global_sum}
            done["systemAccounts"] = totals.system
        _save_state(FULL, run, {"cursor": cursor, "totals": totals.document(), **done}, now)
        if cursor is None:
            run.report.finished = True
            break
    log.event("wallets reconciled", **run.report.model_dump())
    return run.report


def _ledger_page(upper: datetime, after: Doc | None, limit: int) -> list[Doc]:
    return wiring.store().query(
        query(
            collections.LEDGER,
            [("createdAt", "<=", upper)],
            [("createdAt", "asc")],
            limit=limit,
            start_after=after,
        )
    )


def _wallets_of(uids: Sequence[str]) -> dict[str, ledger.Wallet]:
    users = wiring.store().get_many([collections.user(uid) for uid in uids])
    return {uid: ledger.stored_wallet(user) for uid, user in zip(uids, users, strict=True)}


def reconcile_incremental(max_pages: int | None = None) -> ReconcileReport:
    """Check (and repair) the wallets of users with entries since the saved token."""
    s, now = settings(), wiring.now()
    state = wiring.store().get(state_path(INCREMENTAL)) or {}
    token = state.get("after")
    after = (
        Doc(ledger.entry_path(token["id"]), {"createdAt": token["createdAt"]}) if token else None
    )
    run = _Run(INCREMENTAL, max_pages, s)
    run.report.resumed = after is not None
    upper = now - timedelta(seconds=s.reconcile_incremental_lag_seconds)
    checked: set[str] = set()  # a user's sum covers all their entries up to `upper`
    while not run.out_of_budget():
        page = _ledger_page(upper, after, s.reconcile_entries_per_query)
        fresh = list(dict.fromkeys(d.data["uid"] for d in page if d.data["uid"] not in checked))
        _check_wallets(run, _wallets_of(fresh), now)
        checked.update(fresh)
        run.report.pages += 1
        if page:
            after = page[-1]
            _save_state(
                INCREMENTAL,
                run,
                {"after": {"createdAt": after.data["createdAt"], "id": after.id}},
                now,
            )
        if len(page) < s.reconcile_entries_per_query:
            run.report.finished = True
            break
    log.event("recent wallets reconciled", **run.report.model_dump())
    return run.report
