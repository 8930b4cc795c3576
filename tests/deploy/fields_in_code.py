"""Which ever-increasing fields each collection holds, and which single-field indexes the
code's queries need, read from the source (shared/ and functions/).

A field belongs to a collection when one top-level function (or class) of a module names both:
the collection (through shared.collections, a *COLLECTION constant, or a path helper of the
module such as `record_path`) and the field as a string literal. That over-approximates a
little; an index exemption on a field a collection lacks costs nothing.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from shared.deploy.firestore import EVER_INCREASING
from shared.store.indexes import effective_orders, required_index
from shared.store.port import query
from tests.deploy.collections_in_code import _DYNAMIC, ROOT, SCANNED, Templates, collection_of

ANY = "*"  # a query whose collection the source does not tell


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path, ast.parse(path.read_text())


def _locals(tree: ast.Module, templates: Templates) -> dict[str, str]:
    """Module names bound to a collection: `COLLECTION = collections.IDEMPOTENCY` or a string."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id.isupper():
                text = templates.render(node.value, found)
                if not text.startswith(_DYNAMIC) and collection_of(text):
                    found[target.id] = text
    return found


def _helpers(tree: ast.Module, templates: Templates, local: dict[str, str]) -> dict[str, str]:
    """Module functions returning a document or collection path: name -> collection."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            returns = [n.value for n in ast.walk(node) if isinstance(n, ast.Return) and n.value]
            if returns:
                text = templates.render(returns[0], local)
                if not text.startswith(_DYNAMIC) and (collection := collection_of(text)):
                    found[node.name] = collection
    return found


def group(collection: str) -> str:
    return collection.rsplit("/", 1)[-1]


def ever_increasing_fields() -> dict[tuple[str, str], set[str]]:
    """(collection group, field) -> where in the code both are named."""
    templates = Templates()
    pairs: dict[tuple[str, str], set[str]] = {}
    for path, tree in _modules():
        local = _locals(tree, templates)
        helpers = _helpers(tree, templates, local)
        for top in tree.body:
            if not isinstance(top, ast.FunctionDef | ast.ClassDef):
                continue
            collections: set[str] = set()
            fields: set[str] = set()
            for node in ast.walk(top):
                if isinstance(node, ast.Attribute | ast.Call | ast.Name):
                    known = templates.known(node, local)
                    if known and (collection := collection_of(known)):
                        collections.add(collection)
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) in helpers:
                    collections.add(helpers[node.func.id])  # type: ignore[attr-defined]
                if isinstance(node, ast.Constant) and EVER_INCREASING.match(str(node.value)):
                    fields.add(node.value)
            where = f"{path.relative_to(ROOT)}:{top.name}"
            for collection in collections:
                for field in fields:
                    pairs.setdefault((group(collection), field), set()).add(where)
    return pairs


@dataclass(frozen=True)
class NeededSingleField:
    """A single-field index a query is served by: (group or ANY, field, order)."""

    group: str
    field: str
    order: str  # ASCENDING or DESCENDING


def _literal(node: ast.expr | None, names: dict[str, ast.expr]) -> object:
    """A where/order_by argument as data, field names and operators kept, values as None; a
    local list (`where = [...]`, or `[...] if x else []`) is followed."""
    if node is None:
        return []
    if isinstance(node, ast.Name) and node.id in names:
        return _literal(names[node.id], {})
    if isinstance(node, ast.IfExp):
        return _literal(node.body, names)
    if isinstance(node, ast.List | ast.Tuple):
        return [_literal(e, {}) for e in node.elts]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _list_names(function: ast.AST) -> dict[str, ast.expr]:
    """The local names of a function first bound to a list (what `.append` adds is not seen:
    an appended filter is an equality the query keeps all the same)."""
    found: dict[str, ast.expr] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and isinstance(node.value, ast.List | ast.IfExp):
                found.setdefault(target.id, node.value)
    return found


def _query_calls(tree: ast.Module) -> Iterator[tuple[ast.Call, dict[str, ast.expr]]]:
    for top in tree.body:
        names = _list_names(top)
        for node in ast.walk(top):
            name = getattr(getattr(node, "func", None), "id", None) or getattr(
                getattr(node, "func", None), "attr", None
            )
            if isinstance(node, ast.Call) and node.args and name == "query":
                yield node, names


def single_field_needs() -> tuple[set[NeededSingleField], list[str]]:
    """The single-field indexes the code's queries are served by, and the queries whose
    filters or orders the source does not spell out (named, for the reader)."""
    templates = Templates()
    needs: set[NeededSingleField] = set()
    unknown: list[str] = []
    for path, tree in _modules():
        if path.is_relative_to(ROOT / "shared" / "store"):
            continue  # the port itself
        local = _locals(tree, templates)
        for node, names in _query_calls(tree):
            keywords = {k.arg: k.value for k in node.keywords}
            where = _literal(node.args[1] if len(node.args) > 1 else keywords.get("where"), names)
            order = _literal(
                node.args[2] if len(node.args) > 2 else keywords.get("order_by"), names
            )
            text = templates.render(node.args[0], local)
            collection = collection_of(text) if not text.startswith(_DYNAMIC) else None
            if collection is None and not where and not order:
                continue  # `store.query(q)`: the query was built elsewhere
            spelled = isinstance(where, list) and isinstance(order, list)
            if not spelled or None in where or None in order:  # type: ignore[operator]
                unknown.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                if collection and isinstance(order, list) and None not in order:
                    # Filters built at run time, orders spelled out: without a filter (or with
                    # only one on the ordered field) the order's single-field index serves it.
                    target = group(collection)
                    for o in effective_orders(query(collection, order_by=order)):
                        direction = "ASCENDING" if o.direction == "asc" else "DESCENDING"
                        needs.add(NeededSingleField(target, o.field, direction))
                continue
            try:
                q = query(collection or ANY, [(w[0], w[1], None) for w in where], order)  # type: ignore[index,union-attr]
            except (TypeError, IndexError):
                unknown.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                continue
            if required_index(q) is not None:
                continue  # a composite index serves it
            target = group(collection) if collection else ANY
            for w in q.where:
                if w.op in ("==", "in"):
                    needs.add(NeededSingleField(target, w.field, "ASCENDING"))
            for o in effective_orders(q):
                needs.add(
                    NeededSingleField(
                        target, o.field, "ASCENDING" if o.direction == "asc" else "DESCENDING"
                    )
                )
    return needs, unknown
