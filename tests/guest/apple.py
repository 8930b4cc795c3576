"""A local stand-in for Apple's DeviceCheck API: it verifies the ES256 JWT with the public half
of a key the tests generate, and keeps two bits per physical device.

A test device token is base64 of `device:<physical id>:<nonce>`, so many tokens (installs)
map to one physical device, as real DeviceCheck tokens do.
"""

import base64
import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from werkzeug.wrappers import Request, Response

KEY_ID = "TESTKEY123"
TEAM_ID = "TEAM456789"


def new_p8_key() -> tuple[str, Any]:
    """(PKCS#8 PEM, as in an App Store Connect .p8 file, and its public key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return pem, key.public_key()


def device_token(physical: str) -> str:
    return base64.b64encode(f"device:{physical}:{uuid.uuid4().hex}".encode()).decode()


@dataclass
class FakeDeviceCheck:
    public_key: Any
    private_pem: str = ""  # the signing half, for tests that configure it themselves
    bits: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)  # (endpoint, physical)
    refused_tokens: int = 0
    script: dict[str, deque] = field(default_factory=dict)  # endpoint -> statuses to answer
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self, public_key: Any) -> None:
        with self.lock:
            self.public_key = public_key
            self.bits.clear()
            self.calls.clear()
            self.script.clear()
            self.refused_tokens = 0

    def fail_next(self, endpoint: str, *statuses: int) -> None:
        self.script.setdefault(endpoint, deque()).extend(statuses)

    def __call__(self, environ, start_response):
        return self._app(environ, start_response)

    @Request.application
    def _app(self, request: Request) -> Response:
        endpoint = request.path.rsplit("/", 1)[-1]
        if request.method != "POST" or endpoint not in ("query_two_bits", "update_two_bits"):
            return Response("Not Found", 404)
        if not self._authorized(request.headers.get("Authorization", "")):
            with self.lock:
                self.refused_tokens += 1
            return Response("Unable to verify authorization token", 401)
        with self.lock:
            queue = self.script.get(endpoint)
            scripted = queue.popleft() if queue else None
        if scripted is not None:
            return Response("scripted failure", scripted)
        physical = self._physical(request)
        if physical is None:
            return Response("Missing or incorrectly formatted device token payload", 400)
        with self.lock:
            self.calls.append((endpoint, physical))
            if endpoint == "update_two_bits":
                body = request.get_json()
                self.bits[physical] = {
                    "bit0": bool(body.get("bit0")),
                    "bit1": bool(body.get("bit1")),
                    "last_update_time": time.strftime("%Y-%m"),
                }
                return Response("", 200)
            state = self.bits.get(physical)
        if state is None:
            return Response("Failed to find bit state", 200)
        return Response(json.dumps(state), 200, mimetype="application/json")

    def _authorized(self, header: str) -> bool:
        scheme, _, token = header.partition(" ")
        if scheme != "Bearer":
            return False
        try:
            if jwt.get_unverified_header(token).get("kid") != KEY_ID:
                return False
            claims = jwt.decode(token, self.public_key, algorithms=["ES256"])
        except jwt.PyJWTError:
            return False
        return claims.get("iss") == TEAM_ID and abs(time.time() - claims.get("iat", 0)) < 3600

    def _physical(self, request: Request) -> str | None:
        try:
            body = request.get_json()
            assert isinstance(body["transaction_id"], str) and isinstance(body["timestamp"], int)
            kind, physical, _ = base64.b64decode(body["device_token"]).decode().split(":")
        except Exception:
            return None
        return physical if kind == "device" else None

    def claimed(self, physical: str) -> bool:
        return self.bits.get(physical, {}).get("bit0") is True

    def count(self, endpoint: str) -> int:
        return sum(1 for e, _ in self.calls if e == endpoint)
