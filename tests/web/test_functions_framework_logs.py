"""Under plain functions-framework, as Cloud Functions runs them, functions log the same JSON
lines as on the dev server: the fields the log-based metrics of ops/metrics/ extract."""

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.servers import free_port
from tests.support.tokens import PROJECT_ID, TokenSigner

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORK = Path(sys.executable).parent / "functions-framework"


def metric_fields() -> set[str]:
    """Every jsonPayload field a metric of ops/metrics/ filters on or extracts."""
    fields: set[str] = set()
    for path in (ROOT / "ops" / "metrics").glob("*.yaml"):
        fields |= set(re.findall(r"jsonPayload\.(\w+)", path.read_text()))
    return fields


@pytest.fixture
def served(tmp_path, certs_url) -> Iterator[tuple[str, Path]]:
    """`functions-framework --target=health --source=functions/main.py` on a free port."""
    port, out = free_port(), tmp_path / "stdout.log"
    env = {
        **os.environ,
        "APP_ENV": "test",
        "FIREBASE_PROJECT_ID": PROJECT_ID,
        "SQLITE_PATH": str(tmp_path / "store.sqlite3"),
        "AUTH_CERTS_URL": certs_url,
    }
    command = [str(FRAMEWORK), "--target=health", "--source=functions/main.py", f"--port={port}"]
    with out.open("w") as stdout:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.options(url, timeout=1)
                    break
                except httpx.HTTPError:
                    assert process.poll() is None, out.read_text()
                    time.sleep(0.1)
            yield url, out
        finally:
            process.terminate()
            process.wait(timeout=10)


def json_lines(out: Path) -> list[dict]:
    lines = []
    for line in out.read_text().splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue
    return lines


def test_a_call_under_functions_framework_logs_the_metric_fields(served, signer: TokenSigner):
    url, out = served
    ok = httpx.post(
        url,
        json={"data": None},
        headers={"Authorization": f"Bearer {signer.token('alice')}"},
    )
    assert ok.json()["result"]["uid"] == "alice"
    refused = httpx.post(url, json={"data": {}})
    assert refused.status_code == 401
    for _ in range(50):  # the lines are flushed as they are written; give the pipe a moment
        finished = [line for line in json_lines(out) if line.get("message") == "callable finished"]
        if len(finished) == 2:
            break
        time.sleep(0.1)
    assert [(f["status"], f["code"]) for f in finished] == [(200, None), (401, "ERR_4011")]
    first = finished[0]
    assert first["severity"] == "INFO" and first["function"] == "health"
    assert first["uid"] == "alice" and first["latencyMs"] > 0 and first["requestId"]
    # Every field a call-level metric reads is on the line.
    call_fields = {"message", "function", "status", "code", "latencyMs"}
    assert call_fields <= metric_fields()
    assert call_fields <= set(first)
