"""Run Node scripts that drive the backend with the official Firebase JS clients.

The clients are pinned in tests/js/package.json and installed by `./dev test` (ensure_js) into
tests/js/node_modules. Tests that need them use `requires_node`, which skips with the reason
where node or the packages are missing; on our machines and in CI they run.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

JS_DIR = Path(__file__).resolve().parent.parent / "js"
NODE_MODULES = JS_DIR / "node_modules"


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (NODE_MODULES / "firebase").is_dir():
        return "tests/js/node_modules is missing: run ./dev test (it runs npm ci in tests/js)"
    return None


requires_node = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


def run_node(
    script: str | Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> Any:
    """Run a script of tests/js (ES module) and answer the JSON its last stdout line prints."""

    done = subprocess.run(
        ["node", str(JS_DIR / script), *args],
        cwd=JS_DIR,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(
            f"node {script} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1]) if lines else None
