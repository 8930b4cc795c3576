"""The official Firebase Auth emulator (firebase-tools, pure JS) on free ports, for a session.

`auth_emulator` is a session-scoped fixture: it starts `firebase emulators:start --only auth`
from tests/js/node_modules the way `./dev emulators` does (shared.dev.emulators: its own
firebase.json with free ports for its hub and logging, so parallel sessions never collide),
on a free port, waits until it answers, and stops it (its whole process group) at the end.
Tests that need it skip, saying why, where node or firebase-tools is missing.

firebase-admin talks to it when FIREBASE_AUTH_EMULATOR_HOST is set
(`monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", auth_emulator.host)`), and the REST helpers
here sign users up and in as the client SDKs do, answering the emulator's unsigned ID tokens.
"""

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.dev import emulators
from tests.support.node import _missing
from tests.support.servers import free_port
from tests.support.tokens import PROJECT_ID

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


@contextmanager
def run_auth_emulator(project_id: str = PROJECT_ID) -> Iterator[AuthEmulator]:
    """Start the Auth emulator on a free port (as `./dev emulators` does); stop it on exit."""
    with (
        tempfile.TemporaryDirectory(prefix="auth-emulator-") as logs,
        emulators.auth_emulator(free_port(), project_id, Path(logs)) as started,
    ):
        emulators.wait_ready(started, timeout=START_TIMEOUT_SECONDS)
        emulator = AuthEmulator(started.host, project_id)
        try:
            yield emulator
        finally:
            emulator.http.close()


@pytest.fixture(scope="session")
def auth_emulator() -> Iterator[AuthEmulator]:
    """The Firebase Auth emulator for the whole session (skips where node is missing)."""
    if (reason := _missing()) is not None or not emulators.FIREBASE_CLI.exists():
        pytest.skip(reason or "firebase-tools is missing from tests/js/node_modules")
    with run_auth_emulator() as emulator:
        yield emulator
