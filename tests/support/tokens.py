"""Firebase-shaped ID tokens signed with a key the tests generate, and its cert endpoint."""

import json
import time
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Request, Response

from shared.dev.keys import new_signing_key, sign_id_token

PROJECT_ID = "demo-test"


@dataclass
class TokenSigner:
    kid: str
    key_pem: str
    cert_pem: str
    project_id: str = PROJECT_ID

    def token(
        self,
        uid: str,
        claims: dict[str, Any] | None = None,
        lifetime: int = 3600,
        now: float | None = None,
    ) -> str:
        return sign_id_token(self.key_pem, self.kid, self.project_id, uid, claims, lifetime, now)

    def cert_app(self):
        """A WSGI app answering like Google's x509 endpoint for this key."""
        return certs_app({self.kid: self.cert_pem})


def certs_app(certs: dict[str, str]):
    """A WSGI app answering like Google's x509 endpoints: {kid: PEM} with a max-age."""
    body = json.dumps(certs)

    @Request.application
    def app(request: Request) -> Response:
        return Response(
            body, mimetype="application/json", headers={"Cache-Control": "public, max-age=3600"}
        )

    return app


def new_signer() -> TokenSigner:
    return TokenSigner(*new_signing_key("test-token-signer"))


def now() -> float:
    return time.time()
