"""The dev server as a separate process on the test's SQLite file, to kill (SIGKILL, or its
own `os._exit` at a fault point) and start again on the same store."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.api import Api
from tests.support.tokens import PROJECT_ID, TokenSigner

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DevServer:
    """One run of `python -m shared.dev.server`; `start` again after a kill."""

    def __init__(self, sqlite_path: str, certs_url: str, signer: TokenSigner, env: dict) -> None:
        self.env = {
            **os.environ,
            "APP_ENV": "test",
            "FIREBASE_PROJECT_ID": PROJECT_ID,
            "STORE_BACKEND": "sqlite",
            "SQLITE_PATH": sqlite_path,
            "AUTH_CERTS_URL": certs_url,
            "DEV_SCHEDULER": "off",
            "LOG_LEVEL": "WARNING",
            **env,
        }
        self.signer = signer
        self.process: subprocess.Popen | None = None
        self.api: Api | None = None

    def start(self, **faults: str) -> Api:
        """Start (with the fault-injection settings given, e.g. FAULT_POINT) and wait for it."""
        port = free_port()
        env = {**self.env, **faults, "PORT": str(port)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "shared.dev.server"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the dev server exited with {self.process.returncode}")
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise TimeoutError("the dev server did not start")
        self.api = Api(url, self.signer)
        return self.api

    def died(self) -> bool:
        """Whether the process is gone (waits for it a little)."""
        assert self.process is not None
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            return False
        return True

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        if self.api is not None:
            self.api.http.close()

    def run_job(self, name: str) -> httpx.Response:
        assert self.api is not None
        return self.api.http.post(f"/__dev/run/{name}")
