"""A local FCM HTTP v1 API: Google's OAuth token endpoint for service accounts, and
`POST /v1/projects/{project}/messages:send` answering as FCM does (the message name, or a
404 UNREGISTERED FcmError for a token the test declared dead)."""

import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import jwt
import pytest
from werkzeug.wrappers import Request, Response

from shared import config
from tests.purchases.play_fakes import GOOGLE_TOKEN_AUDIENCE, ServiceAccount
from tests.support.servers import serve_wsgi

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
SEND_PATH = re.compile(r"^/v1/projects/([^/]+)/messages:send$")


@dataclass
class FcmServer:
    account: ServiceAccount
    issued: set[str] = field(default_factory=set)
    messages: list[dict[str, Any]] = field(default_factory=list)
    dead_tokens: set[str] = field(default_factory=set)

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path == "/token":
            response = self._token(request)
        elif match := SEND_PATH.match(request.path):
            response = self._send(request, match.group(1))
        else:
            response = _error(404, "NOT_FOUND", "Not found.")
        return response(environ, start_response)

    def _token(self, request: Request) -> Response:
        form = parse_qs(request.get_data(as_text=True))
        claims = jwt.decode(
            form["assertion"][0],
            self.account.key.public_key(),
            algorithms=["RS256"],
            audience=GOOGLE_TOKEN_AUDIENCE,
        )
        assert SCOPE in claims["scope"].split()
        token = "ya29." + secrets.token_urlsafe(16)
        self.issued.add(token)
        body = {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}
        return Response(json.dumps(body), mimetype="application/json")

    def _send(self, request: Request, project: str) -> Response:
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if bearer not in self.issued:
            return _error(401, "UNAUTHENTICATED", "Request had invalid authentication.")
        message = request.get_json()["message"]
        token = message.get("token")
        if token in self.dead_tokens:
            return _error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED")
        self.messages.append(message)
        name = f"projects/{project}/messages/0:{secrets.randbelow(10**12)}"
        return Response(json.dumps({"name": name}), mimetype="application/json")

    def to(self, token: str) -> list[dict[str, str]]:
        """The data of every message delivered to `token`, in order."""
        return [m["data"] for m in self.messages if m["token"] == token]


def _error(status: int, code: str, message: str, fcm_code: str | None = None) -> Response:
    error: dict[str, Any] = {"code": status, "message": message, "status": code}
    if fcm_code:
        error["details"] = [
            {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": fcm_code}
        ]
    return Response(json.dumps({"error": error}), status, mimetype="application/json")


@pytest.fixture(scope="session")
def fcm_service() -> Iterator[tuple[FcmServer, str]]:
    server = FcmServer(ServiceAccount.new())
    with serve_wsgi(server) as url:
        yield server, url


@pytest.fixture
def fcm(fcm_service, monkeypatch) -> FcmServer:
    """Pokes on, sent to the local FCM (fresh records per test)."""
    server, url = fcm_service
    server.messages.clear()
    server.dead_tokens.clear()
    monkeypatch.setenv("SYNC_POKES", "fcm")
    monkeypatch.setenv("FCM_API_BASE_URL", url)
    monkeypatch.setenv("FCM_SERVICE_ACCOUNT_JSON", json.dumps(server.account.info(f"{url}/token")))
    config.reset()
    return server
