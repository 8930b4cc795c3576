"""The typed client contract, generated from the code into `contract/` by `./dev contract`.

- `contract.json`: one JSON Schema document: every callable (request and response schema,
  auth and App Check modes, rate limits, the codes it can fail with), webhook (the models it
  parses), event function and scheduled job; the error catalog (code, callable status, HTTP
  status, en/tr/es messages and their placeholders); the Firestore documents an app may read.
  The dev server serves it at GET /__dev/contract.
- `typescript/`: quicktype's types and a typed wrapper over the Firebase JS SDK;
  `swift/Contract.swift` (Codable) and `kotlin/Contract.kt` (kotlinx.serialization) by quicktype.

quicktype-core runs from tests/js/node_modules (pinned there), offline.
"""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from shared.contract import typescript
from shared.contract.build import ROOT, build, pascal

OUT = ROOT / "contract"
NODE_MODULES_DIR = ROOT / "tests" / "js"
QUICKTYPE = Path(__file__).with_name("quicktype.mjs")


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _refs(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        own = {schema["$ref"]} if isinstance(schema.get("$ref"), str) else set()
        return own.union(*(_refs(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_refs(v) for v in schema))
    return set()


def _plain(schema: Any) -> Any:
    """The schema as quicktype should see it: timestamps stay ISO-8601 strings on every
    platform (no `format`), references point into `definitions`."""
    if isinstance(schema, dict):
        return {
            k: (v.replace("#/$defs/", "#/definitions/") if k == "$ref" else _plain(v))
            for k, v in schema.items()
            if not (k == "format" and isinstance(v, str))
        }
    if isinstance(schema, list):
        return [_plain(v) for v in schema]
    return schema


def _client_definitions(contract: dict[str, Any], codes: list[str]) -> dict[str, Any]:
    """The models the callables use (and what they refer to), and the enum of error codes."""
    defs = contract["$defs"]
    todo = {
        e[part]["$ref"]
        for e in contract["callables"].values()
        for part in ("request", "response")
        if e[part]
    }
    names: set[str] = set()
    while todo:
        name = todo.pop().rsplit("/", 1)[1]
        if name not in names:
            names.add(name)
            todo |= _refs(defs[name])
    found = {name: _plain(defs[name]) for name in sorted(names)}
    found["ErrorCode"] = {"type": "string", "enum": codes, "title": "ErrorCode"}
    return found


def _quicktype(definitions: dict[str, Any]) -> dict[str, str]:
    if shutil.which("node") is None or not (NODE_MODULES_DIR / "node_modules").is_dir():
        raise SystemExit("./dev contract needs node and tests/js/node_modules (./dev test)")
    done = subprocess.run(
        ["node", str(QUICKTYPE), str(NODE_MODULES_DIR)],
        input=json.dumps({"definitions": definitions}, sort_keys=True),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"quicktype failed:\n{done.stderr}")
    return json.loads(done.stdout)


def render() -> dict[str, str]:
    """Every file of contract/, by path relative to it."""
    contract = build()
    definitions = _client_definitions(contract, sorted(contract["errors"]))
    types = _quicktype(definitions)
    type_of = {f"#/$defs/{name}": pascal(name) for name in definitions}
    return {
        "contract.json": _dumps(contract),
        "typescript/types.ts": typescript.HEADER + types["typescript"],
        "typescript/client.ts": typescript.client(contract, type_of),
        "swift/Contract.swift": types["swift"],
        "kotlin/Contract.kt": types["kotlin"],
    }


def write(out: Path = OUT) -> list[str]:
    """Write contract/ afresh; answer the files that changed."""
    files = render()
    changed = []
    for old in sorted(p for p in out.rglob("*") if p.is_file()) if out.exists() else []:
        if str(old.relative_to(out)) not in files:
            old.unlink()
            changed.append(str(old.relative_to(out)))
    for name, text in sorted(files.items()):
        path = out / name
        if not path.exists() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            changed.append(name)
    return changed
