"""App Check tokens signed with a key the tests generate, and its JWKS endpoint."""

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.wrappers import Request, Response

from tests.support.tokens import PROJECT_ID

PROJECT_NUMBER = "123456789012"
APP_ID = "1:123456789012:ios:0123456789abcdef"


@dataclass
class AppCheckSigner:
    """Mints App Check tokens as Firebase does (RS256, typ JWT, kid in the JWKS)."""

    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    kid: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    def token(self, app_id: str = APP_ID, lifetime: int = 3600, **claims: Any) -> str:
        now = int(time.time())
        payload = {
            "iss": f"https://firebaseappcheck.googleapis.com/{PROJECT_NUMBER}",
            "sub": app_id,
            "aud": [f"projects/{PROJECT_NUMBER}", f"projects/{PROJECT_ID}"],
            "iat": now,
            "exp": now + lifetime,
            "jti": uuid.uuid4().hex,
            **claims,
        }
        return jwt.encode(
            payload, self.key, algorithm="RS256", headers={"kid": self.kid, "typ": "JWT"}
        )

    def jwks_app(self):
        """A WSGI app answering like https://firebaseappcheck.googleapis.com/v1/jwks."""
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        body = json.dumps({"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]})

        @Request.application
        def app(request: Request) -> Response:
            return Response(body, mimetype="application/json")

        return app
