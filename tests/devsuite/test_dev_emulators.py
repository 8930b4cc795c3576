"""`./dev emulators` as an app team runs it: one command brings up the Auth, Firestore and
Pub/Sub emulators around the backend; an app signs in and calls it; a message published to a
job's topic runs the job by push; Ctrl-C stops every process."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shared.dev import emulators
from tests.support.node import requires_node, run_node
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "demo-local"


def _missing() -> str | None:
    for component in ("cloud-firestore-emulator", "pubsub-emulator"):
        if reason := emulators.gcloud_emulator_missing(component):
            return reason
    return emulators.firebase_cli_missing()


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait_for(output: Path, text: str, process: subprocess.Popen, seconds: float = 240) -> str:
    deadline = time.monotonic() + seconds
    while text not in (seen := output.read_text()):
        assert process.poll() is None, f"./dev emulators exited:\n{seen}"
        assert time.monotonic() < deadline, f"no {text!r} from ./dev emulators:\n{seen}"
        time.sleep(0.25)
    return seen


@requires_node
@pytest.mark.skipif(_missing() is not None, reason=_missing() or "")
def test_dev_emulators_runs_the_suite_and_ctrl_c_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ports = {name: free_port() for name in ("port", "auth", "firestore", "pubsub")}
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.endswith("_EMULATOR_HOST") and key not in ("STORE_BACKEND", "PORT")
    }
    env |= {"APP_ENV": "dev", "FIREBASE_PROJECT_ID": PROJECT, "DEV_SCHEDULER": "off"}
    env |= {"SQLITE_PATH": str(tmp_path / "unused.sqlite3"), "DEV_AUTH_DIR": str(tmp_path)}
    flags = [f"--{name}-port={port}" for name, port in ports.items() if name != "port"]
    argv = [str(ROOT / "dev"), "emulators", f"--port={ports['port']}", *flags]
    output = tmp_path / "out.log"
    with output.open("w") as out:
        suite = subprocess.Popen(
            [*argv, "--logs", str(tmp_path / "logs")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        banner = _wait_for(output, "Serving", suite)
        assert f"FIRESTORE_EMULATOR_HOST=127.0.0.1:{ports['firestore']}" in banner
        assert f"(store: firestore 127.0.0.1:{ports['firestore']}" in banner
        assert f"topics/play-notifications -> http://127.0.0.1:{ports['port']}/" in banner

        seen = run_node(
            "emulator_suite.mjs",
            env={
                "PROJECT_ID": PROJECT,
                "AUTH_EMULATOR": f"127.0.0.1:{ports['auth']}",
                "FUNCTIONS_EMULATOR": f"127.0.0.1:{ports['port']}",
            },
        )
        assert seen["anonymous"]["health"]["data"]["uid"] == seen["anonymous"]["uid"]
        assert seen["email"]["health"]["data"]["uid"] == seen["email"]["uid"]
        assert seen["anonymous"]["notEnoughCredits"]["error"]["details"]["code"] == "ERR_4001"

        # What `gcloud pubsub topics publish scheduled-entitlement-sweep` does, locally.
        from google.cloud import pubsub_v1

        monkeypatch.setenv("PUBSUB_EMULATOR_HOST", f"127.0.0.1:{ports['pubsub']}")
        publisher = pubsub_v1.PublisherClient()
        topic = publisher.topic_path(PROJECT, "scheduled-entitlement-sweep")
        message_id = publisher.publish(topic, b"{}").result(timeout=30)
        ran = _wait_for(output, '"event function finished"', suite, seconds=60)
        finished = [
            json.loads(line) for line in ran.splitlines() if '"event function finished"' in line
        ]
        assert [(f["function"], f["requestId"]) for f in finished] == [
            ("entitlement_sweep", message_id)
        ]
    finally:
        suite.send_signal(signal.SIGINT)  # Ctrl-C
        code = suite.wait(timeout=60)
    assert code == 0 and "Stopped the backend and the emulators." in output.read_text()
    assert [name for name, port in ports.items() if _listening(port)] == []


def test_stopping_an_emulator_waits_for_the_children_that_outlive_its_wrapper(
    tmp_path: Path,
) -> None:
    # As `gcloud emulators ... start` does: a wrapper that exits at once on SIGTERM, and a child
    # (the Java emulator) that takes a moment to close its port.
    port = free_port()
    child = (
        "import signal, socket, sys, time\n"
        "def late_exit(*_):\n"
        "    time.sleep(1.5)\n"
        "    sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, late_exit)\n"
        f"s = socket.create_server(('127.0.0.1', {port}))\n"
        "open(sys.argv[1], 'w').close()\n"
        "while True:\n"
        "    time.sleep(1)\n"
    )
    ready = tmp_path / "ready"
    wrapper = f'"{sys.executable}" -c "$CHILD" "{ready}" & wait'
    process = subprocess.Popen(
        ["bash", "-c", wrapper], env={**os.environ, "CHILD": child}, start_new_session=True
    )
    deadline = time.monotonic() + 30
    while not ready.exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    emulators._stop(process)
    assert process.poll() is not None and not _listening(port)
