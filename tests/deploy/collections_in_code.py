"""Which collections the code uses and which ones firestore.rules matches, read from the source.

A collection is a path template with `*` for every id: `ledger`, `users/*/devices`.
Found in: the constants and path functions of shared/collections.py; f-strings that start with
one of them (`f"{collections.sync_conflicts(uid)}/{id}"`); module constants named *COLLECTION;
and string literals or f-strings given as the path to a store call (`txn.get("a/b")`,
`query("sessions", ...)`).
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("shared", "functions")
STORE_CALLS = {"get", "get_many", "create", "set", "update", "delete", "query"}
_DYNAMIC = "\0"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _constants(tree: ast.Module) -> dict[str, str]:
    return {
        t.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for t in node.targets
        if isinstance(t, ast.Name) and t.id.isupper()
    }  # fmt: skip


class Templates:
    """The path templates of shared/collections.py: constants and path functions."""

    def __init__(self) -> None:
        tree = ast.parse((ROOT / "shared" / "collections.py").read_text())
        self.constants = _constants(tree)
        self.functions: dict[str, str] = {}
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                returned = next(n for n in ast.walk(node) if isinstance(n, ast.Return)).value
                self.functions[node.name] = self.render(returned, self.constants)

    def render(self, node: ast.expr | None, local: dict[str, str]) -> str:
        """The text of a string expression, `\\0` where it is not known."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return "".join(self.render(v, local) for v in node.values)
        if isinstance(node, ast.FormattedValue):
            return self.render(node.value, local)
        return self.known(node, local) or _DYNAMIC

    def known(self, node: ast.expr | None, local: dict[str, str]) -> str | None:
        """The template a reference to shared.collections (or a local constant) stands for."""
        if isinstance(node, ast.Name):
            return local.get(node.id)
        if _is_collections_attr(node):
            return self.constants.get(node.attr)  # type: ignore[union-attr]
        if isinstance(node, ast.Call) and _is_collections_attr(node.func):
            return self.functions.get(node.func.attr)  # type: ignore[union-attr]
        return None


def _is_collections_attr(node: ast.expr | None) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "collections"
    )


def collection_of(text: str) -> str | None:
    """`users/\\0/devices/\\0` -> `users/*/devices`; None if it is not a path of names and ids."""
    segments = ["*" if _DYNAMIC in s else s for s in text.split("/")]
    if not segments or not all(segments):
        return None
    if not all(_NAME.match(s) for s in segments[::2]) or "*" in segments[::2]:
        return None
    return "/".join(segments[: len(segments) - (len(segments) % 2 == 0)])


def _candidates(tree: ast.Module, templates: Templates) -> Iterator[str]:
    local = {k: v for k, v in _constants(tree).items() if k.endswith("COLLECTION")}
    yield from local.values()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            if isinstance(first, ast.FormattedValue) and templates.known(first.value, local):
                yield templates.render(node, local)
        elif isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            text = templates.render(node.args[0], local)
            is_path = name == "query" or "/" in text
            if name in STORE_CALLS and is_path and not text.startswith(_DYNAMIC):
                yield text


def code_collections() -> set[str]:
    """Every collection template the code of shared/ and functions/ uses."""
    templates = Templates()
    found = set(templates.constants.values()) | set(templates.functions.values())
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            found.update(_candidates(ast.parse(path.read_text()), templates))
    return {c for text in found if (c := collection_of(text))}


_TOKEN = re.compile(r"match\s+((?:/(?:\{[^}]*\}|[^/\s{]+))+)\s*\{|\{|\}")


def rules_matches(rules: str) -> list[list[str]]:
    """The full path of every `match` block in a rules file (nesting resolved), without the
    `/databases/{database}/documents` prefix."""
    text = re.sub(r"//[^\n]*", "", rules)
    stack: list[str | None] = []
    found: list[list[str]] = []
    for token in _TOKEN.finditer(text):
        if token.group(1):
            stack.append(token.group(1))
            path = "".join(p for p in stack if p).strip("/").split("/")
            if path[:3] == ["databases", "{database}", "documents"] and len(path) > 3:
                found.append(path[3:])
        elif token.group(0) == "{":
            stack.append(None)
        else:
            stack.pop()
    return found


def covered(collection: str, matches: list[list[str]]) -> bool:
    """Whether some match names this collection (and its parents) literally, with one id
    wildcard per document level; `{document=**}` does not count."""
    wanted = [*collection.split("/"), "*"]
    for match in matches:
        if len(match) == len(wanted) and all(
            (w == "*" and m.startswith("{") and "=**" not in m) or w == m
            for w, m in zip(wanted, match, strict=True)
        ):
            return True
    return False


def rules_collections(matches: list[list[str]]) -> set[str]:
    """The collections the rules name (`users/*/devices`), wildcard blocks left out."""
    return {
        "/".join("*" if s.startswith("{") else s for s in match[:-1])
        for match in matches
        if len(match) % 2 == 0 and not any("=**" in s for s in match)
    }
