"""Firebase ID token verification with PyJWT, with firebase-admin's `verify_id_token` rules.

Keys are the x509 certificates Google publishes for the project's token signer, fetched from
a configurable URL and cached for the Cache-Control max-age. In dev mode the verifier trusts
a local key instead (`./dev token` signs with it), and never Google's. Like firebase-admin,
the unsigned (`alg: none`) tokens of the Firebase Auth emulator are accepted while
FIREBASE_AUTH_EMULATOR_HOST is set, and here only outside prod. A verified token is cached
until it expires, so a repeated token costs a dictionary look-up, not a signature check.
"""

import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from shared import config, wiring
from shared.config import AppSettings
from shared.errors import AppError

if TYPE_CHECKING:
    import httpx
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

# Imported on first use (jwt, x509, httpx): a function's cold start should not pay for them before
# its first token needs them.
PublicKeys = dict[str, "RSAPublicKey"]
REQUIRED_CLAIMS = ["exp", "iat", "aud", "iss", "sub", "auth_time"]
CACHE_LIMIT = 10_000


class AuthSettings(AppSettings):
    """The Auth emulator, as firebase-admin finds it (see .env.example)."""

    firebase_auth_emulator_host: str | None = None


class AuthToken(BaseModel):
    """The verified caller: uid and every claim, custom claims included."""

    uid: str
    claims: dict[str, Any] = Field(default_factory=dict)

    @property
    def is_admin(self) -> bool:
        return self.claims.get("admin") is True

    @property
    def signed_in_at(self) -> datetime | None:
        auth_time = self.claims.get("auth_time")
        return (
            datetime.fromtimestamp(auth_time, UTC) if isinstance(auth_time, int | float) else None
        )

    @property
    def is_anonymous(self) -> bool:
        return self.claims.get("firebase", {}).get("sign_in_provider") == "anonymous"


def parse_certificates(certs: dict[str, str]) -> PublicKeys:
    from cryptography import x509

    return {
        kid: x509.load_pem_x509_certificate(pem.encode()).public_key()  # type: ignore[misc]
        for kid, pem in certs.items()
    }


class HttpCertSource:
    """Google's published certificates (`{kid: PEM}`), cached per Cache-Control max-age."""

    def __init__(
        self, url: str, client_factory: Callable[[], "httpx.Client"] | None = None
    ) -> None:
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
        from shared import http

        with (self._client_factory or http.client)() as client:
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

    def __init__(
        self,
        project_id: str,
        certs: HttpCertSource | StaticCertSource,
        leeway: int,
        accept_emulator_tokens: bool = False,
    ):
        self.project_id = project_id
        self.certs = certs
        self.leeway = leeway
        self.accept_emulator_tokens = accept_emulator_tokens
        self._cache: dict[str, tuple[AuthToken, float]] = {}
        self._lock = threading.Lock()

    def verify(self, token: str) -> AuthToken:
        # Real time, not the injectable clock: PyJWT checks exp and iat against it too.
        now = time.time()
        cached = self._cache.get(token)
        if cached is not None and now <= cached[1]:
            return cached[0]
        auth = self._verify(token, now)
        with self._lock:
            if len(self._cache) >= CACHE_LIMIT:  # bounded: drop everything rather than grow
                self._cache.clear()
            self._cache[token] = (auth, auth.claims["exp"] + self.leeway)
        return auth

    def _verify(self, token: str, issued_now: float) -> AuthToken:
        import jwt

        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AppError("ERR_4012") from None
        options: dict[str, Any] = {"require": REQUIRED_CLAIMS}
        if header.get("alg") == "none" and self.accept_emulator_tokens:
            # The Auth emulator signs nothing; every other check still applies.
            key: Any = None
            options.update(verify_signature=False, verify_exp=True, verify_iat=True)
            options.update(verify_aud=True, verify_iss=True)
        elif header.get("alg") != "RS256" or not header.get("kid"):
            raise AppError("ERR_4012")
        else:
            key = self._key(header["kid"])
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=["RS256"],
                audience=self.project_id,
                issuer=f"https://securetoken.google.com/{self.project_id}",
                leeway=self.leeway,
                options=options,
            )
        except jwt.ExpiredSignatureError:
            raise AppError("ERR_4013") from None
        except jwt.PyJWTError:
            raise AppError("ERR_4012") from None
        if not isinstance(claims["exp"], int | float) or not isinstance(claims["iat"], int | float):
            raise AppError("ERR_4012")
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub or len(sub) > 128:
            raise AppError("ERR_4012")
        if (
            not isinstance(claims["auth_time"], int | float)
            or claims["auth_time"] > issued_now + self.leeway
        ):
            raise AppError("ERR_4012")
        return AuthToken(uid=sub, claims=claims)

    def _key(self, kid: str) -> "RSAPublicKey":
        try:
            keys = self.certs.keys()
            if kid not in keys:  # Google may have rotated its keys since we cached them.
                keys = self.certs.keys(refresh=True)
        except Exception as e:  # unreachable, refused or unreadable: not the caller's fault
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
    emulator = config.load(AuthSettings).firebase_auth_emulator_host
    return TokenVerifier(
        settings.firebase_project_id,
        certs,
        settings.auth_clock_skew_seconds,
        accept_emulator_tokens=bool(emulator) and settings.app_env != "prod",
    )


def verifier() -> TokenVerifier:
    return wiring.part("token_verifier", _build_verifier)
