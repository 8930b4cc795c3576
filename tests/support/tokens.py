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
        """A WSGI app answering like Google's x509 endpoint: {kid: PEM} with max-age."""
        certs = json.dumps({self.kid: self.cert_pem})

        @Request.application
        def app(request: Request) -> Response:
            return Response(
                certs,
                mimetype="application/json",
                headers={"Cache-Control": "public, max-age=3600"},
            )

        return app


def new_signer() -> TokenSigner:
    return TokenSigner(*new_signing_key("test-token-signer"))


def now() -> float:
    return time.time()
