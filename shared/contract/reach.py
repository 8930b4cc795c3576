"""What a function's code can reach, read statically from the source of `shared/` and
`functions/`: the `ERR_` codes it may raise, the rate-limit actions it counts, the models it
parses.

The graph is over-approximate on purpose, so a code is never missed: every name a function
mentions (calls, callbacks, decorators, nested functions) is an edge; a class used reaches all
its methods; a method called on an object of unknown type (`client.verify(...)`) reaches every
method of that name in the code base, and an attribute read without a call every property of
that name; `super().m()` reaches the bases' `m`. Module-level constants are nodes too, so a
code kept in a table is found when the table is used. Only `ERR_nnnn` string literals count: a
code built at run time would be missed, and the catalog test would then name it as unused.
"""

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGES = ("shared", "functions")
# The catalog itself names every code; a code is reached only where code uses it.
SKIPPED = re.compile(r"^shared\.(errors\.codes_\w+|contract(\..*)?|dev(\..*)?)$")
CODE = re.compile(r"^ERR_\d{4}$")
PROPERTIES = {("property",), ("cached_property",), ("functools", "cached_property")}


@dataclass
class Node:
    """A top-level function, a method, a class or a module-level assignment."""

    module: str
    name: str
    codes: set[str] = field(default_factory=set)
    refs: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)  # (name, called)
    # (callee, its first string argument) of each call: rate-limit actions, parsed models
    calls: list[tuple[tuple[str, ...], str | None]] = field(default_factory=list)
    cls: str | None = None  # the class of a method
    is_property: bool = False

    @property
    def key(self) -> str:
        return f"{self.module}:{self.name}"


@dataclass
class Module:
    name: str
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # local -> target
    nodes: dict[str, Node] = field(default_factory=dict)  # by top-level or Class.method name
    bases: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)  # class -> bases


def _dotted(expr: ast.expr) -> tuple[str, ...] | None:
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if isinstance(expr, ast.Name):
        return (expr.id, *reversed(parts))
    return None


def _is_super(expr: ast.expr) -> bool:
    return (
        isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "super"
    )


def _scan(tree: ast.AST, node: Node) -> None:
    """Record the codes, references and calls inside `tree` (nested functions included)."""
    called = {id(sub.func) for sub in ast.walk(tree) if isinstance(sub, ast.Call)}
    for sub in ast.walk(tree):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            if CODE.match(sub.value):
                node.codes.add(sub.value)
        elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            node.refs.append(((sub.id,), id(sub) in called))
        elif isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Load):
            dotted = _dotted(sub) or (("super", sub.attr) if _is_super(sub.value) else None)
            node.refs.append((dotted or ("?", sub.attr), id(sub) in called))
        if isinstance(sub, ast.Call) and (callee := _dotted(sub.func)):
            texts = [a.value for a in sub.args if isinstance(a, ast.Constant)]
            node.calls.append((callee, next((t for t in texts if isinstance(t, str)), None)))


def _module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _parse_module(name: str, path: Path) -> Module:
    module = Module(name)
    tree = ast.parse(path.read_text(), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for stmt in ast.walk(tree):  # imports anywhere (lazy imports inside functions too)
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                local = alias.asname or alias.name.split(".")[0]
                module.imports.setdefault(local, (alias.name if alias.asname else local, None))
        elif isinstance(stmt, ast.ImportFrom):
            base = stmt.module or ""
            if stmt.level:
                anchor = package.rsplit(".", stmt.level - 1)[0] if stmt.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in stmt.names:
                module.imports.setdefault(alias.asname or alias.name, (base, alias.name))
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            node = module.nodes[stmt.name] = Node(name, stmt.name)
            _scan(stmt, node)
        elif isinstance(stmt, ast.ClassDef):
            cls = module.nodes[stmt.name] = Node(name, stmt.name)
            module.bases[stmt.name] = [d for b in stmt.bases if (d := _dotted(b))]
            for item in stmt.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    decorators = {_dotted(d) for d in item.decorator_list}
                    method = Node(
                        name,
                        f"{stmt.name}.{item.name}",
                        cls=stmt.name,
                        is_property=bool(decorators & PROPERTIES),
                    )
                    module.nodes[method.name] = method
                    _scan(item, method)
                    cls.refs.append(((stmt.name, item.name), False))
                else:
                    _scan(item, cls)
            for base in stmt.bases + stmt.decorator_list:
                _scan(base, cls)
        elif isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    node = module.nodes.setdefault(target.id, Node(name, target.id))
                    _scan(stmt.value, node)
    return module


class CodeBase:
    """Every module of `shared/` and `functions/`, parsed once."""

    def __init__(self, root: Path = ROOT) -> None:
        self.modules: dict[str, Module] = {}
        for package in PACKAGES:
            for path in sorted((root / package).rglob("*.py")):
                name = _module_name(root, path)
                if not SKIPPED.match(name):
                    self.modules[name] = _parse_module(name, path)

    @cached_property
    def methods_by_name(self) -> dict[str, list[Node]]:
        found: dict[str, list[Node]] = {}
        for module in self.modules.values():
            for node in module.nodes.values():
                if node.cls:
                    found.setdefault(node.name.split(".", 1)[1], []).append(node)
        return found

    def _lookup(self, module: str, name: str, depth: int = 0) -> Node | str | None:
        """A name in a module: its node, the name of a module, or None (outside the code)."""
        if depth > 20:
            return None
        mod = self.modules.get(module)
        if f"{module}.{name}" in self.modules and (mod is None or name not in mod.nodes):
            return f"{module}.{name}"
        if mod is None:
            return None
        if name in mod.nodes:
            return mod.nodes[name]
        if name in mod.imports:
            target, symbol = mod.imports[name]
            if symbol is None:
                return target if target in self.modules else None
            return self._lookup(target, symbol, depth + 1)
        return None

    def _method(self, module: str, cls: str, name: str, seen: frozenset[str] = frozenset()):
        mod = self.modules[module]
        if f"{cls}.{name}" in mod.nodes:
            return [mod.nodes[f"{cls}.{name}"]]
        found = []
        for base in mod.bases.get(cls, []):
            target = self._resolve_dotted(module, base)
            if isinstance(target, Node) and target.key not in seen and "." not in target.name:
                found += self._method(target.module, target.name, name, seen | {target.key})
        return found

    def _base_methods(self, module: str, cls: str, name: str) -> list[Node]:
        found = []
        for base in self.modules[module].bases.get(cls, []):
            target = self._resolve_dotted(module, base)
            if isinstance(target, Node) and target.cls is None:
                found += self._method(target.module, target.name, name)
        return found

    def _resolve_dotted(self, module: str, dotted: tuple[str, ...]) -> Node | str | None:
        target: Node | str | None = self._lookup(module, dotted[0])
        for part in dotted[1:]:
            if isinstance(target, str):
                target = self._lookup(target, part)
            elif isinstance(target, Node) and target.cls is None and target.key in self._classes:
                methods = self._method(target.module, target.name, part)
                target = methods[0] if methods else None
            else:
                return None
        return target

    @cached_property
    def _classes(self) -> set[str]:
        return {
            f"{m.name}:{cls}" for m in self.modules.values() for cls in m.bases
        }  # every class, by key

    def edges(self, node: Node) -> Iterator[Node]:
        """The nodes `node` mentions."""
        for ref, called in node.refs:
            if (
                ref[0] == "super" and node.cls and len(ref) > 1
            ):  # the bases' method (none outside the code)
                yield from self._base_methods(node.module, node.cls, ref[1])
                continue
            if ref[0] in ("self", "cls") and node.cls and len(ref) > 1:
                own = self._method(node.module, node.cls, ref[1])
                yield from own
                if len(ref) > 2 or not own:  # inherited from outside, or an attribute's
                    yield from self._by_name(ref[-1], called)
                continue
            target = self._resolve_dotted(node.module, ref) if ref[0] != "?" else None
            if isinstance(target, Node):
                yield target
            elif len(ref) > 1 and not isinstance(target, str):
                # A method of an object whose type the source does not say: every method of
                # that name, unless the head is a module outside the code base (`json.dumps`).
                head = self._lookup(node.module, ref[0])
                outside = head is None and ref[0] in self.modules[node.module].imports
                if not outside:
                    yield from self._by_name(ref[-1], called)

    def _by_name(self, name: str, called: bool) -> list[Node]:
        # Read without a call, an attribute runs code only if it is a property.
        return [m for m in self.methods_by_name.get(name, []) if called or m.is_property]

    def node(self, module: str, name: str) -> Node:
        return self.modules[module].nodes[name]

    def reach(self, starts: Iterable[Node], depth: int | None = None) -> list[Node]:
        """Every node reachable from `starts` (within `depth` steps), in a stable order."""
        seen = {node.key: node for node in starts}
        layer = list(seen.values())
        while layer and (depth is None or depth > 0):
            depth = None if depth is None else depth - 1
            layer = [n for node in layer for n in self.edges(node) if n.key not in seen]
            seen.update((n.key, n) for n in layer)
        return [seen[k] for k in sorted(seen)]

    def resolve(self, node: Node, dotted: tuple[str, ...]) -> Node | None:
        """What a dotted name in `node` names in the code base, if it is a function or class."""
        target = self._resolve_dotted(node.module, dotted)
        return target if isinstance(target, Node) else None

    def literal_codes(self) -> dict[str, set[str]]:
        """Every code written in the code base, with the nodes writing it (for reports)."""
        found: dict[str, set[str]] = {}
        for module in self.modules.values():
            for node in module.nodes.values():
                for code in node.codes:
                    found.setdefault(code, set()).add(node.key)
        return found
