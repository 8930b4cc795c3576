"""Firebase ID token verification with PyJWT, as the Admin SDK does it.

Keys are the x509 certificates Google publishes for the project's token signer, fetched from
a configurable URL and cached for the Cache-Control max-age. In dev mode the verifier trusts
a local key instead (`./dev token` signs with it), and never Google's.
"""

import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from pydantic import BaseModel, Field

from shared import config, http, wiring
from shared.errors import AppError

PublicKeys = dict[str, RSAPublicKey]


class AuthToken(BaseModel):
    """The verified caller: uid and every claim, custom claims included."""

    uid: str
    claims: dict[str, Any] = Field(default_factory=dict)

    @property
    def is_admin(self) -> bool:
        return self.claims.get("admin") is True

    @property
    def is_anonymous(self) -> bool:
        return self.claims.get("firebase", {}).get("sign_in_provider") == "anonymous"


def parse_certificates(certs: dict[str, str]) -> PublicKeys:
    return {
        kid: x509.load_pem_x509_certificate(pem.encode()).public_key()  # type: ignore[misc]
        for kid, pem in certs.items()
    }


class HttpCertSource:
    """Google's published certificates (`{kid: PEM}`), cached per Cache-Control max-age."""

    def __init__(self, url: str, client_factory: Callable[[], httpx.Client] = http.client) -> None:
        self.url = url
        self._client_factory = client_factory
        self._keys: PublicKeys = {}
        self._expires = 0.0
        self._lock = threading.Lock()

    def keys(self, refresh: bool = False) -> PublicKeys:
        with self._lock:
            if refresh or time.monotonic() >= self._expires:
                self._fetch()
            return self._keys

    def _fetch(self) -> None:
        with self._client_factory() as client:
            response = client.get(self.url)
        response.raise_for_status()
        self._keys = parse_certificates(response.json())
        match = re.search(r"max-age=(\d+)", response.headers.get("cache-control", ""))
        self._expires = time.monotonic() + (int(match.group(1)) if match else 0)


class StaticCertSource:
    """Fixed certificates (the local dev key)."""

    def __init__(self, certs: dict[str, str]) -> None:
        self._keys = parse_certificates(certs)

    def keys(self, refresh: bool = False) -> PublicKeys:
        return self._keys


class TokenVerifier:
    """Verifies a Firebase ID token for one project; raises AppError ERR_4012 / ERR_4013."""

    def __init__(self, project_id: str, certs: HttpCertSource | StaticCertSource, leeway: int):
        self.project_id = project_id
        self.certs = certs
        self.leeway = leeway

    def verify(self, token: str) -> AuthToken:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AppError("ERR_4012") from None
        if header.get("alg") != "RS256" or not header.get("kid"):
            raise AppError("ERR_4012")
        key = self._key(header["kid"])
        # Real time, not the injectable clock: PyJWT checks exp and iat against it too.
        issued_now = time.time()
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=["RS256"],
                audience=self.project_id,
                issuer=f"https://securetoken.google.com/{self.project_id}",
                leeway=self.leeway,
                options={"require": ["exp", "iat", "aud", "iss", "sub", "auth_time"]},
            )
        except jwt.ExpiredSignatureError:
            raise AppError("ERR_4013") from None
        except jwt.PyJWTError:
            raise AppError("ERR_4012") from None
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub or len(sub) > 128:
            raise AppError("ERR_4012")
        if (
            not isinstance(claims["auth_time"], int | float)
            or claims["auth_time"] > issued_now + self.leeway
        ):
            raise AppError("ERR_4012")
        return AuthToken(uid=sub, claims=claims)

    def _key(self, kid: str) -> RSAPublicKey:
        try:
            keys = self.certs.keys()
            if kid not in keys:  # Google may have rotated its keys since we cached them.
                keys = self.certs.keys(refresh=True)
        except (httpx.HTTPError, ValueError) as e:
            raise AppError("ERR_6001") from e
        if kid not in keys:
            raise AppError("ERR_4012")
        return keys[kid]


def dev_certificates(directory: str) -> dict[str, str]:
    """The dev server's {kid: certificate PEM}, creating the local dev key on first use."""
    from shared.dev.keys import ensure_dev_key

    kid, _, cert_pem = ensure_dev_key(Path(directory))
    return {kid: cert_pem}


def _build_verifier() -> TokenVerifier:
    settings = config.platform()
    certs: HttpCertSource | StaticCertSource
    if settings.app_env == "dev":
        certs = StaticCertSource(dev_certificates(settings.dev_auth_dir))
    else:
        certs = HttpCertSource(settings.auth_certs_url)
    return TokenVerifier(settings.firebase_project_id, certs, settings.auth_clock_skew_seconds)


def verifier() -> TokenVerifier:
    return wiring.part("token_verifier", _build_verifier)
