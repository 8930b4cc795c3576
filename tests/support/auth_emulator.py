"""The official Firebase Auth emulator (firebase-tools, pure JS) on free ports, for a session.

`auth_emulator` is a session-scoped fixture: it starts `firebase emulators:start --only auth`
from tests/js/node_modules in a temporary directory (its own firebase.json: free ports for
the emulator, its hub and its logging, so parallel sessions never collide), waits until it
answers, and stops it (its whole process group) at the end. Tests that need it skip, saying
why, where node or firebase-tools is missing.

firebase-admin talks to it when FIREBASE_AUTH_EMULATOR_HOST is set
(`monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", auth_emulator.host)`), and the REST helpers
here sign users up and in as the client SDKs do, answering the emulator's unsigned ID tokens.
"""

import json
import os
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.node import NODE_MODULES, _missing
from tests.support.servers import free_port
from tests.support.tokens import PROJECT_ID

FIREBASE_CLI = NODE_MODULES / ".bin" / "firebase"
START_TIMEOUT_SECONDS = 240  # a loaded machine takes a minute to boot firebase-tools


@dataclass
class AuthEmulator:
    """A running Auth emulator: `host` ("127.0.0.1:port") and the client-side REST calls."""

    host: str
    project_id: str = PROJECT_ID
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30))

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    def _identity(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        # The emulator accepts any API key; the client SDKs send theirs as `key`.
        response = self.http.post(
            f"{self.url}/identitytoolkit.googleapis.com/v1/accounts:{method}",
            params={"key": "fake-api-key"},
            json=body,
        )
        response.raise_for_status()
        return response.json()

    def sign_up(self, email: str | None = None, password: str = "secret-123") -> tuple[str, str]:
        """A new email/password user: (uid, ID token)."""
        email = email or f"u{uuid.uuid4().hex[:12]}@example.com"
        answer = self._identity(
            "signUp", {"email": email, "password": password, "returnSecureToken": True}
        )
        return answer["localId"], answer["idToken"]

    def sign_in(self, email: str, password: str = "secret-123") -> tuple[str, str]:
        """Sign an existing user in again: (uid, a fresh ID token)."""
        answer = self._identity(
            "signInWithPassword",
            {"email": email, "password": password, "returnSecureToken": True},
        )
        return answer["localId"], answer["idToken"]

    def sign_in_anonymously(self) -> tuple[str, str]:
        answer = self._identity("signUp", {"returnSecureToken": True})
        return answer["localId"], answer["idToken"]

    def clear(self) -> None:
        """Delete every user of the project (the emulator's own admin endpoint)."""
        self.http.delete(
            f"{self.url}/emulator/v1/projects/{self.project_id}/accounts"
        ).raise_for_status()


def _config() -> dict[str, Any]:
    return {
        "emulators": {
            "auth": {"host": "127.0.0.1", "port": free_port()},
            "hub": {"host": "127.0.0.1", "port": free_port()},
            "logging": {"host": "127.0.0.1", "port": free_port()},
            "ui": {"enabled": False},
            "singleProjectMode": False,
        }
    }


def _wait_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Auth emulator exited:\n{log.read_text()}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"the Auth emulator did not start in time:\n{log.read_text()}")


@contextmanager
def run_auth_emulator(project_id: str = PROJECT_ID) -> Iterator[AuthEmulator]:
    """Start the Auth emulator (firebase-tools) on free ports; stop it on exit."""
    with tempfile.TemporaryDirectory(prefix="auth-emulator-") as tmp:
        directory = Path(tmp)
        config = _config()
        (directory / "firebase.json").write_text(json.dumps(config))
        log = directory / "emulator.log"
        host = f"127.0.0.1:{config['emulators']['auth']['port']}"
        with log.open("w") as out:
            process = subprocess.Popen(
                [str(FIREBASE_CLI), "emulators:start", "--only", "auth", "--project", project_id],
                cwd=directory,
                stdout=out,
                stderr=subprocess.STDOUT,
                # Its own process group, so stopping it stops every child it spawned.
                start_new_session=True,
                # Its own TMPDIR: the emulator hub writes a locator file there, named after the
                # project only, which parallel sessions would otherwise share.
                env={**os.environ, "CI": "true", "TMPDIR": str(directory)},
            )
            emulator = AuthEmulator(host, project_id)
            try:
                _wait_ready(emulator.url, process, log)
                yield emulator
            finally:
                emulator.http.close()
                _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@pytest.fixture(scope="session")
def auth_emulator() -> Iterator[AuthEmulator]:
    """The Firebase Auth emulator for the whole session (skips where node is missing)."""
    if (reason := _missing()) is not None or not FIREBASE_CLI.exists():
        pytest.skip(reason or "firebase-tools is missing from tests/js/node_modules")
    with run_auth_emulator() as emulator:
        yield emulator
