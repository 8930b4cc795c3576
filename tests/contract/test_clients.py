"""The generated clients: the TypeScript one compiles under `tsc --strict` and makes a typed
call with the official Firebase JS SDK; the Swift and Kotlin sources parse.

No Swift or Kotlin compiler runs on our machines (the Kotlin sources also need the
kotlinx.serialization plugin): they are parsed with tree-sitter's grammars instead, and
compiled only where `swiftc` / `kotlinc` with that plugin are on PATH.
"""

import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.contract import OUT
from tests.support.node import JS_DIR, NODE_MODULES, requires_node, run_node
from tests.support.tokens import TokenSigner


@pytest.fixture(scope="module")
def compiled() -> Iterator[Path]:
    """contract/typescript and tests/js/contract-call.ts compiled with tsc --strict, into a
    folder under node_modules so the output finds the Firebase SDK."""
    out = Path(tempfile.mkdtemp(prefix=".contract-build-", dir=NODE_MODULES))
    try:
        done = subprocess.run(
            [
                str(NODE_MODULES / ".bin" / "tsc"),
                "-p",
                "contract.tsconfig.json",
                "--outDir",
                str(out),
            ],
            cwd=JS_DIR,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"tsc --strict failed:\n{done.stdout}\n{done.stderr}"
        yield out
    finally:
        shutil.rmtree(out, ignore_errors=True)


@requires_node
def test_typescript_client_compiles_strict_and_calls_with_the_js_sdk(
    compiled: Path, server_url: str, signer: TokenSigner
) -> None:
    config = json.loads((JS_DIR / "contract.tsconfig.json").read_text())
    assert config["compilerOptions"]["strict"] is True
    answer = run_node(
        compiled / "tests" / "js" / "contract-call.js", server_url, signer.token("ts-user")
    )
    # session_start is refused with a typed ERR_4001 (no credits yet), then reads succeed.
    assert answer == {"refused": "ERR_4001: 5 > 0", "credits": 0, "uid": "ts-user"}


def _sources() -> dict[str, Path]:
    return {"swift": OUT / "swift" / "Contract.swift", "kotlin": OUT / "kotlin" / "Contract.kt"}


@requires_node
def test_swift_and_kotlin_sources_parse_and_declare_every_callable_type() -> None:
    contract = json.loads((OUT / "contract.json").read_text())
    wanted = {
        ref["$ref"].rsplit("/", 1)[1].replace("-", "").replace("_", "")
        for entry in contract["callables"].values()
        for ref in (entry["request"], entry["response"])
        if ref
    } | {"ErrorCode"}
    parsed = run_node(
        "contract-parse.mjs", *(f"{lang}:{path}" for lang, path in _sources().items())
    )
    for path in _sources().values():
        result = parsed[str(path)]
        assert result["errors"] == [], f"{path.name} does not parse: {result['errors']}"
        assert wanted <= set(result["types"]), wanted - set(result["types"])


@requires_node
def test_the_parse_check_sees_a_broken_source(tmp_path: Path) -> None:
    broken = tmp_path / "Broken.kt"
    broken.write_text(_sources()["kotlin"].read_text().replace("data class", "data class (((", 1))
    assert run_node("contract-parse.mjs", f"kotlin:{broken}")[str(broken)]["errors"]


@pytest.mark.skipif(shutil.which("swiftc") is None, reason="no Swift compiler (swiftc) here")
def test_swift_sources_compile(tmp_path: Path) -> None:
    subprocess.run(
        [
            "swiftc",
            "-parse-as-library",
            "-emit-library",
            "-o",
            str(tmp_path / "contract"),
            str(_sources()["swift"]),
        ],
        check=True,
        timeout=600,
    )
