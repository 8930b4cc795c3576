"""Write sentinels (like Firestore's field transforms) and how a write changes a document.

The SQLite adapter uses `apply_*` to compute new documents; the Firestore adapter maps the
sentinels to google-cloud-firestore's own.
"""

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Increment:
    amount: int | float


@dataclass(frozen=True)
class ArrayUnion:
    values: tuple[Any, ...]


@dataclass(frozen=True)
class ArrayRemove:
    values: tuple[Any, ...]


class _Sentinel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


SERVER_TIMESTAMP = _Sentinel("SERVER_TIMESTAMP")
DELETE_FIELD = _Sentinel("DELETE_FIELD")

_MISSING = object()


def _resolve(value: Any, current: Any, now: datetime) -> Any:
    if value is SERVER_TIMESTAMP:
        return now
    if isinstance(value, Increment):
        is_number = isinstance(current, int | float) and not isinstance(current, bool)
        return (current if is_number else 0) + value.amount
    if isinstance(value, ArrayUnion):
        base = list(current) if isinstance(current, list) else []
        for v in value.values:  # one by one, so repeats in `values` are added once
            if v not in base:
                base.append(v)
        return base
    if isinstance(value, ArrayRemove):
        base = list(current) if isinstance(current, list) else []
        return [v for v in base if v not in value.values]
    if isinstance(value, dict):
        inner = current if isinstance(current, dict) else {}
        return {k: _resolve(v, inner.get(k, _MISSING), now) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_resolve(v, _MISSING, now) for v in value]
    if value is DELETE_FIELD:
        raise ValueError("DELETE_FIELD is only allowed in update() or set(merge=True)")
    return value


def resolve_new(value: Any, now: datetime) -> Any:
    """A value written where nothing was: transforms resolve as on a missing field."""
    return _resolve(value, _MISSING, now)


def apply_set(current: dict[str, Any] | None, data: dict[str, Any], now: datetime) -> dict:
    """The document after `set(data)`."""
    return _resolve(data, _MISSING, now)


def apply_merge(current: dict[str, Any] | None, data: dict[str, Any], now: datetime) -> dict:
    """The document after `set(data, merge=True)`: nested maps merge, others replace."""
    result = copy.deepcopy(current) if current else {}
    _merge_into(result, data, now)
    return result


def _merge_into(target: dict[str, Any], data: dict[str, Any], now: datetime) -> None:
    for key, value in data.items():
        if value is DELETE_FIELD:
            target.pop(key, None)
        elif isinstance(value, dict) and value:  # an empty map is a value: it replaces
            child = target.get(key)
            if not isinstance(child, dict):
                child = target[key] = {}
            _merge_into(child, value, now)
        else:
            target[key] = _resolve(value, target.get(key, _MISSING), now)


def apply_update(current: dict[str, Any], fields: dict[str, Any], now: datetime) -> dict:
    """The document after `update(fields)` with dotted field paths; maps given are replaced."""
    result = copy.deepcopy(current)
    for dotted, value in fields.items():
        *parents, leaf = split_field_path(dotted)
        node = result
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        if value is DELETE_FIELD:
            node.pop(leaf, None)
        else:
            # A map replaces the field whole, so transforms inside it start from nothing.
            current_value = _MISSING if isinstance(value, dict) else node.get(leaf, _MISSING)
            node[leaf] = _resolve(value, current_value, now)
    return result


def split_field_path(dotted: str) -> list[str]:
    parts = dotted.split(".")
    if not all(parts) or any('"' in p or "`" in p for p in parts):
        raise ValueError(f"invalid field path: {dotted!r}")
    return parts


def field_value(data: dict[str, Any], dotted: str) -> Any:
    """The value at a dotted path, or None when absent."""
    node: Any = data
    for part in split_field_path(dotted):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node
