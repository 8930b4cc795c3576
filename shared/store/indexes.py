"""Which queries need a composite index, and whether firestore.indexes.json declares it.

The SQLite adapter refuses a query that Firestore would refuse, so a test that runs a new
query fails until the index file covers it. Firestore serves without a composite index:
equality filters alone (merged single-field indexes), or a single ordered field (the only
range filter and/or the only order) with no other filter. Anything else needs an index whose
fields are the equality fields (any order) followed by the ordered fields, directions equal.

The ordered fields are those of `effective_orders`: Firestore appends every inequality-filtered
field that the query does not order by itself (StructuredQuery.order_by), and both adapters
sort by them, so results and cursors agree.
"""

import functools
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shared.store.port import MissingIndex, Order, Query

INDEX_FILE = Path(__file__).resolve().parents[2] / "firestore.indexes.json"

_EQUALITY_OPS = {"==", "in", "array_contains"}

# Firestore indexes every field by itself; the SQLite adapter indexes only these (collection
# group, field), the fields the code filters or orders on outside a composite index. It
# refuses a query that would scan a collection, so a missing entry fails in tests.
SINGLE_FIELD_INDEXES: tuple[tuple[str, str], ...] = (
    ("backfills", "kind"),
    ("backfills", "status"),
    ("customers", "email"),
    ("customers", "stripeId"),
    ("devices", "capabilities.canRunInference"),
    ("entitlement_expiries", "endsAt"),
    ("entitlement_sources", "addOn"),
    ("entitlement_sources", "originalTransactionId"),
    ("generation_jobs", "providerRequestId"),
    ("generation_jobs", "uid"),
    ("idempotency", "expiresAt"),
    ("ledger", "createdAt"),
    ("ledger", "uid"),
    ("models", "available"),
    ("play_watch", "endsAt"),
    ("purchases", "uid"),
    ("rate_limits", "expiresAt"),
    ("store_notifications", "consumptionAnswer.status"),
    ("sync_conflicts", "seq"),
    ("sync_entries", "deletedAt"),
    ("sync_entries", "seq"),
    ("sync_state", "nextPurgeAt"),
    ("sync_state", "pokeFlushAt"),
    ("users", "email"),
)


@dataclass(frozen=True)
class IndexField:
    field: str
    mode: str  # ASCENDING, DESCENDING or CONTAINS


@dataclass(frozen=True)
class NeededIndex:
    collection_group: str
    equality: frozenset[IndexField]
    ordered: tuple[IndexField, ...]

    def as_json(self) -> dict:
        fields = sorted(self.equality, key=lambda f: f.field) + list(self.ordered)
        return {
            "collectionGroup": self.collection_group,
            "queryScope": "COLLECTION",
            "fields": [
                {"fieldPath": f.field, "arrayConfig": "CONTAINS"}
                if f.mode == "CONTAINS"
                else {"fieldPath": f.field, "order": f.mode}
                for f in fields
            ],
        }


@cache
def declared_indexes(path: Path = INDEX_FILE) -> tuple[tuple[str, tuple[IndexField, ...]], ...]:
    """(collectionGroup, fields without __name__) for each index in the file."""
    raw = json.loads(path.read_text()) if path.exists() else {}
    return tuple(
        (
            entry["collectionGroup"],
            tuple(
                IndexField(f["fieldPath"], f.get("order") or f.get("arrayConfig", "ASCENDING"))
                for f in entry["fields"]
                if f["fieldPath"] != "__name__"
            ),
        )
        for entry in raw.get("indexes", [])
    )


def single_field_indexes() -> tuple[tuple[str, str], ...]:
    """(collection group, field) of each single-field index the SQLite adapter builds."""
    return SINGLE_FIELD_INDEXES


def effective_orders(q: Query) -> tuple[Order, ...]:
    """The orders Firestore applies to `q`, before the final `__name__` tiebreak.

    The explicit orders, then each inequality-filtered field not already ordered, by field
    name, in the direction of the last explicit order (ascending if none).
    """
    explicit = {o.field for o in q.order_by}
    direction = q.order_by[-1].direction if q.order_by else "asc"
    implicit = sorted(
        {w.field for w in q.where if w.op not in _EQUALITY_OPS and w.field not in explicit}
    )
    return tuple(q.order_by) + tuple(Order(f, direction) for f in implicit)


def required_index(q: Query) -> NeededIndex | None:
    """The composite index `q` needs, or None if single-field indexes serve it."""
    orders = effective_orders(q)
    ordered_fields = {o.field for o in orders}
    equality = frozenset(
        IndexField(w.field, "CONTAINS" if w.op == "array_contains" else "ASCENDING")
        for w in q.where
        if w.op in _EQUALITY_OPS and w.field not in ordered_fields
    )
    if not orders or (not equality and len(orders) == 1):
        return None
    ordered = tuple(
        IndexField(o.field, "ASCENDING" if o.direction == "asc" else "DESCENDING") for o in orders
    )
    return NeededIndex(q.collection.rsplit("/", 1)[-1], equality, ordered)


def _serves(group: str, fields: tuple[IndexField, ...], needed: NeededIndex) -> bool:
    n_eq = len(needed.equality)
    if group != needed.collection_group or len(fields) != n_eq + len(needed.ordered):
        return False
    eq_key = {(f.field, f.mode == "CONTAINS") for f in fields[:n_eq]}
    return eq_key == {(f.field, f.mode == "CONTAINS") for f in needed.equality} and (
        fields[n_eq:] == needed.ordered
    )


@cache
def exempted_single_fields(path: Path = INDEX_FILE) -> dict[tuple[str, str], frozenset[str]]:
    """(collectionGroup, field) -> the single-field orders its `fieldOverrides` entry keeps
    (COLLECTION scope); a field without an entry keeps both."""
    # Every query checks this: parse the file once per version of it, not once per query.
    return _exempted(path, path.stat().st_mtime_ns if path.exists() else None)


@functools.lru_cache(maxsize=8)
def _exempted(path: Path, version: int | None) -> dict[tuple[str, str], frozenset[str]]:
    raw = json.loads(path.read_text()) if version is not None else {}
    return {
        (o["collectionGroup"], o["fieldPath"]): frozenset(
            i["order"] for i in o.get("indexes", [])
            if "order" in i and i.get("queryScope", "COLLECTION") == "COLLECTION"
        )
        for o in raw.get("fieldOverrides", [])
    }  # fmt: skip


def _check_single_fields(q: Query, path: Path) -> None:
    """A query served by single-field indexes fails on Firestore if one of them is exempted."""
    group = q.collection.rsplit("/", 1)[-1]
    used = [(w.field, "ASCENDING") for w in q.where if w.op in ("==", "in")]
    used += [(o.field, "ASCENDING" if o.direction == "asc" else "DESCENDING")
             for o in effective_orders(q)]  # fmt: skip
    kept = exempted_single_fields(path)
    for field, order in used:
        if (group, field) in kept and order not in kept[(group, field)]:
            raise MissingIndex(
                f"query on {q.collection!r} needs the single-field {order} index on {field!r}, "
                "which fieldOverrides in firestore.indexes.json exempts; keep it there"
            )


def check(q: Query, path: Path = INDEX_FILE) -> None:
    """Raise MissingIndex, naming the JSON to add, if `q` needs an undeclared index (or a
    single-field index that fieldOverrides exempts)."""
    needed = required_index(q)
    if needed is None:
        _check_single_fields(q, path)
        return
    if any(_serves(group, fields, needed) for group, fields in declared_indexes(path)):
        return
    raise MissingIndex(
        f"query on {q.collection!r} needs a composite index; add to firestore.indexes.json: "
        + json.dumps(needed.as_json())
    )
