"""Platform scenarios: the callable protocol with auth, and cold start."""

import os
import statistics
import subprocess
import sys
import tempfile
import threading
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


class Served:
    """One function under plain functions-framework (as Cloud Functions runs it), in a
    subprocess on a free port."""

    def __init__(self, source: str, target: str, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        framework = str(Path(sys.executable).parent / "functions-framework")
        command = [framework, f"--target={target}", f"--source={source}", f"--port={self.port}"]
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def first_answer(self, body: dict, headers: dict[str, str]) -> float:
        """Seconds from process start to the first HTTP answer (any status)."""
        while time.perf_counter() - self.started < 60:
            try:
                httpx.post(self.url, json=body, headers=headers, timeout=5)
                return time.perf_counter() - self.started
            except httpx.TransportError:
                time.sleep(0.005)
        raise RuntimeError(f"{self.url} did not answer within 60 s")

    def stop(self) -> float:
        """Stop the server; answers the CPU seconds it used (with its reaped children), a
        figure a busy machine disturbs less than wall time."""
        self.process.terminate()
        _, status, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        return usage.ru_utime + usage.ru_stime


def _served_env(tmp: str) -> tuple[dict[str, str], str]:
    auth_dir = Path(tmp) / "dev_auth"
    kid, key_pem, _ = ensure_dev_key(auth_dir)
    env = {
        **os.environ,
        "APP_ENV": "dev",
        "FIREBASE_PROJECT_ID": "demo-bench",
        "DEV_AUTH_DIR": str(auth_dir),
        "SQLITE_PATH": str(Path(tmp) / "store.sqlite3"),
        "LOG_LEVEL": "INFO",  # as deployed: one JSON line per call
    }
    return env, sign_id_token(key_pem, kid, "demo-bench", "bench-user")


def _throughput(bench: Bench, label: str, url: str, body: dict, headers: dict, clients: int):
    local = threading.local()

    def post(i: int) -> None:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(timeout=30)
        response = client.post(url, json=body, headers=headers)
        response.raise_for_status()

    for i in range(20):  # warm up: connections, caches
        post(i)
    return bench.measure(label, clients, 400 * clients if clients > 1 else 600, post)


@scenario("callable_overhead")
def callable_overhead(bench: Bench) -> None:
    """Authenticated `health` ÷ a bare functions-framework hello-world, both served by
    functions-framework in a subprocess, same client, same run, at 1 and 8 clients."""
    with tempfile.TemporaryDirectory(prefix="overhead-") as tmp:
        env, token = _served_env(tmp)
        hello = Served("bench/hello_world.py", "hello", env)
        health = Served("functions/main.py", "health", env)
        auth = {"Authorization": f"Bearer {token}"}
        try:
            hello.first_answer({"data": None}, {})
            health.first_answer({"data": None}, auth)
            for clients in (1, 8):
                none = {"data": None}
                bare = _throughput(bench, "hello-world", hello.url, none, {}, clients)
                ours = _throughput(bench, "health (auth)", health.url, none, auth, clients)
                bench.note(
                    f"{clients} client(s): health / hello-world throughput = "
                    f"{ours.per_second / bare.per_second:.2f}"
                )
        finally:
            hello.stop()
            health.stop()


@scenario("cold_start_ratio")
def cold_start_ratio(bench: Bench) -> None:
    """Process start to first answer under functions-framework, ÷ the bare hello-world, for
    `health`, `verify_purchase` and `stripe_webhook` (median of 5 runs each)."""
    with tempfile.TemporaryDirectory(prefix="cold-") as tmp:
        env, token = _served_env(tmp)
        env = {**env, "STRIPE_SECRET_KEY": "sk_test_bench", "STRIPE_WEBHOOK_SECRET": "whsec_b"}
        auth = {"Authorization": f"Bearer {token}"}
        targets = (
            ("hello-world", "bench/hello_world.py", "hello", {"data": None}, {}),
            ("health", "functions/main.py", "health", {"data": None}, auth),
            ("verify_purchase", "functions/main.py", "verify_purchase", {"data": {}}, auth),
            ("stripe_webhook", "functions/main.py", "stripe_webhook", {"id": "evt_1"}, {}),
        )
        runs: dict[str, list[float]] = {label: [] for label, *_ in targets}
        cpu: dict[str, list[float]] = {label: [] for label, *_ in targets}
        for _ in range(5):  # interleaved, so a busy moment of the machine hits every target
            for label, source, target, body, headers in targets:
                served = Served(source, target, env)
                try:
                    runs[label].append(served.first_answer(body, headers))
                finally:
                    cpu[label].append(served.stop())
        bare = statistics.median(runs["hello-world"])
        bare_cpu = statistics.median(cpu["hello-world"])
        for label, seconds in runs.items():
            median = statistics.median(seconds)
            median_cpu = statistics.median(cpu[label])
            bench.note(
                f"cold start {label}: median {median * 1000:.0f} ms, "
                f"{median / bare:.2f}x hello-world; CPU {median_cpu * 1000:.0f} ms, "
                f"{median_cpu / bare_cpu:.2f}x "
                f"(runs: {', '.join(f'{s * 1000:.0f}' for s in seconds)} ms)"
            )
