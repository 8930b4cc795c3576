"""Platform scenarios: the callable protocol with auth, and cold start."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.harness import Bench, scenario
from shared.dev.keys import ensure_dev_key, sign_id_token
from shared.dev.servers import free_port

ROOT = Path(__file__).resolve().parents[1]


@scenario("health")
def health(bench: Bench) -> None:
    """Protocol and ID-token verification overhead: `health` with a valid token."""
    token = bench.api.token("bench-user")
    bench.api.result("health", token=token)  # warm the certificate cache
    for clients, total in ((1, 500), (16, 2000)):
        bench.measure(
            "health (auth)", clients, total, lambda i: bench.api.result("health", token=token)
        )


def _time_to_first_answer(command: list[str], env: dict[str, str], port: int, token: str) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = started + 60
        while time.perf_counter() < deadline:
            try:
                response = httpx.post(
                    f"http://127.0.0.1:{port}/{'health' if 'shared.dev.server' in command else ''}",
                    json={"data": {}},
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=2,
                )
                if response.status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                time.sleep(0.02)
        raise RuntimeError(f"{command} did not answer within 60 s")
    finally:
        process.terminate()
        process.wait(timeout=10)


@scenario("cold_start")
def cold_start(bench: Bench) -> None:
    """Process start to first answered `health`: one deployed target, and the dev server."""
    with tempfile.TemporaryDirectory(prefix="cold-") as tmp:
        auth_dir = Path(tmp) / "dev_auth"
        kid, key_pem, _ = ensure_dev_key(auth_dir)
        token = sign_id_token(key_pem, kid, "demo-bench", "cold-user")
        base_env = {
            **os.environ,
            "APP_ENV": "dev",
            "FIREBASE_PROJECT_ID": "demo-bench",
            "DEV_AUTH_DIR": str(auth_dir),
            "SQLITE_PATH": str(Path(tmp) / "store.sqlite3"),
            "DEV_SCHEDULER": "off",
            "LOG_LEVEL": "WARNING",
        }
        framework = str(Path(sys.executable).parent / "functions-framework")
        for label, make in (
            (
                "functions-framework --target health",
                lambda p: [
                    framework,
                    "--target",
                    "health",
                    "--source",
                    "functions/main.py",
                    "--port",
                    str(p),
                ],
            ),
            ("dev server (every function)", lambda p: [sys.executable, "-m", "shared.dev.server"]),
        ):
            seconds = []
            for _ in range(3):
                port = free_port()
                env = {**base_env, "PORT": str(port)}
                seconds.append(_time_to_first_answer(make(port), env, port, token))
            bench.note(
                f"cold start, {label}: median {sorted(seconds)[1] * 1000:.0f} ms "
                f"(runs: {', '.join(f'{s * 1000:.0f}' for s in seconds)} ms)"
            )
