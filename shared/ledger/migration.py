"""Migration of ledgers written before double entry: number their entries and name their
counterpart, without changing what any entry means.

Entries posted before `seq` existed are ordered as they were posted (by time, ties chained by
their stored `walletAfter`) and numbered below every number `post_entries` gives (0, -1, ...),
so they come first in the fold; their `counterpart` is derived from type and source as for new
entries. Each user migrates in transactions of at most `CHUNK` entries, newest first, that
re-read the user's entries, so running it twice, or beside live posts, numbers nothing twice.

Run it once after deploying: `python -m shared.ledger.migration` (on the configured store).
"""

from typing import Any

from pydantic import BaseModel

from shared import collections, log, wiring
from shared.ledger.accounts import counterpart
from shared.ledger.audit import posting_order
from shared.ledger.model import EntryType
from shared.store import Doc, Transaction, query

CHUNK = 400  # entry updates per transaction
USERS_PER_PAGE = 300


class MigrationReport(BaseModel):
    users: int = 0
    users_migrated: int = 0
    entries_numbered: int = 0


def _migrate_chunk(txn: Transaction, uid: str) -> int:
    """Number the newest `CHUNK` unnumbered entries of `uid`; how many were numbered."""
    docs = txn.query(query(collections.LEDGER, [("uid", "==", uid)]))
    entries = [{**d.data, "id": d.id} for d in docs]
    numbered = [e["seq"] for e in entries if e.get("seq") is not None]
    legacy = [e for e in posting_order(entries) if e.get("seq") is None]
    if not legacy:
        return 0
    chunk = legacy[-CHUNK:]
    below = min([s for s in numbered if s <= 0], default=1)  # under all numbered so far
    for n, entry in enumerate(chunk):
        fields: dict[str, Any] = {"seq": below - len(chunk) + n}
        if "counterpart" not in entry:
            kind = EntryType(entry["type"])
            fields["counterpart"] = counterpart(kind, entry.get("refs") or {}, entry.get("reason"))
        txn.update(f"{collections.LEDGER}/{entry['id']}", fields)
    return len(chunk)


def migrate_user(uid: str) -> int:
    """Number all of `uid`'s unnumbered entries; how many were numbered."""
    total = 0
    while done := wiring.store().transaction(lambda txn: _migrate_chunk(txn, uid)):
        total += done
    return total


def migrate_ledgers() -> MigrationReport:
    """Migrate every user's ledger, a page of users at a time."""
    store, report, after = wiring.store(), MigrationReport(), None
    while True:
        page = store.query(query(collections.USERS, limit=USERS_PER_PAGE, start_after=after))
        for doc in page:
            numbered = migrate_user(doc.id)
            report.users += 1
            report.users_migrated += 1 if numbered else 0
            report.entries_numbered += numbered
        if len(page) < USERS_PER_PAGE:
            break
        after = Doc(page[-1].path, {})
    log.event("ledgers migrated to double entry", **report.model_dump())
    return report


if __name__ == "__main__":
    print(migrate_ledgers().model_dump_json())
