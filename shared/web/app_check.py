"""Firebase App Check: verify `X-Firebase-AppCheck` as firebase-admin's `app_check` does.

A token is an RS256 JWT whose `kid` names a key of the App Check JWKS (cached six hours, as
firebase-admin does), issued by `https://firebaseappcheck.googleapis.com/<projectNumber>`
for the audience `projects/<projectNumber>` or `projects/<projectId>`; its `sub` is the app
id. Each function declares whether it enforces App Check (`FunctionSpec.app_check`); the
APP_CHECK_ENFORCE setting decides what applies (see `enforced`). Functions that give
something away once (the free-credit grant) consume the token: a limited-use token is then
accepted once, ever (a create-once record per token digest, the local equivalent of
firebase-admin's `consume=True`). In dev, the raw debug tokens of DEV_APP_CHECK_DEBUG_TOKENS are
accepted too, as the App Check debug provider's exchange would accept them.
"""

import hashlib
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field

from shared import collections, config, wiring
from shared.config import AppSettings
from shared.errors import AppError
from shared.store import DocumentExists

AppCheckMode = Literal["enforced", "off"]
ISSUER = "https://firebaseappcheck.googleapis.com/"
CACHE_LIMIT = 10_000


class AppCheckSettings(AppSettings):
    """App Check (see .env.example)."""

    # default: each function's declared mode in prod, off elsewhere; all; none; or a
    # comma-separated list of the functions that enforce it.
    app_check_enforce: str = "default"
    app_check_project_number: str = ""
    app_check_jwks_url: str = "https://firebaseappcheck.googleapis.com/v1/jwks"
    dev_app_check_debug_tokens: str = ""
    app_check_jwks_cache_seconds: int = Field(default=21600, ge=0)


class AppCheckToken(BaseModel):
    """A verified App Check token: the app it vouches for, and its claims."""

    app_id: str
    claims: dict[str, Any] = Field(default_factory=dict)
    debug: bool = False


def enforced(name: str, declared: AppCheckMode) -> bool:
    """Whether `name` (declared `declared`) refuses calls without a valid App Check token."""
    rule = config.load(AppCheckSettings).app_check_enforce.strip()
    if rule == "default":
        return declared == "enforced" and config.platform().app_env == "prod"
    if rule in ("all", "none"):
        return rule == "all"
    return name in {n.strip() for n in rule.split(",")}


class AppCheckVerifier:
    """Verifies App Check tokens for one project; raises AppError ERR_4033."""

    def __init__(
        self,
        project_id: str,
        project_number: str,
        jwks_url: str,
        debug_tokens: frozenset[str] = frozenset(),
        jwks_cache_seconds: int = 21600,
    ) -> None:
        self.audiences = {f"projects/{project_id}"} | (
            {f"projects/{project_number}"} if project_number else set()
        )
        self.issuer = f"{ISSUER}{project_number}" if project_number else None
        self.debug_tokens = debug_tokens
        self.jwks_url, self.jwks_cache_seconds = jwks_url, max(jwks_cache_seconds, 1)
        self._jwks: Any = None  # built with the first token: PyJWT's JWKS client is slow to import
        self._cache: dict[str, tuple[AppCheckToken, float]] = {}
        self._lock = threading.Lock()

    def verify(self, token: str) -> AppCheckToken:
        if token in self.debug_tokens:
            return AppCheckToken(app_id="debug", debug=True)
        now = time.time()
        cached = self._cache.get(token)
        if cached is not None and now <= cached[1]:
            return cached[0]
        verified = self._verify(token)
        with self._lock:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[token] = (verified, verified.claims["exp"])
        return verified

    def _verify(self, token: str) -> AppCheckToken:
        import jwt

        if self._jwks is None:
            self._jwks = jwt.PyJWKClient(self.jwks_url, lifespan=self.jwks_cache_seconds)
        try:
            header = jwt.get_unverified_header(token)
            if header.get("typ") != "JWT" or header.get("alg") != "RS256" or not header.get("kid"):
                raise AppError("ERR_4033")
            key = self._jwks.get_signing_key(header["kid"]).key
            claims = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=list(self.audiences),
                options={"require": ["exp", "iat", "aud", "iss", "sub"]},
            )
        except jwt.PyJWKClientConnectionError as e:
            raise AppError("ERR_6001") from e
        except jwt.PyJWTError:
            raise AppError("ERR_4033") from None
        audience, issuer, sub = claims.get("aud"), claims.get("iss"), claims.get("sub")
        if not isinstance(audience, list) or not self.audiences & set(audience):
            raise AppError("ERR_4033")
        if not isinstance(issuer, str) or not issuer.startswith(ISSUER):
            raise AppError("ERR_4033")
        if self.issuer is not None and issuer != self.issuer:
            raise AppError("ERR_4033")
        if not isinstance(sub, str) or not sub:
            raise AppError("ERR_4033")
        return AppCheckToken(app_id=sub, claims=claims)


def _build_verifier() -> AppCheckVerifier:
    settings, platform = config.load(AppCheckSettings), config.platform()
    debug = {t.strip() for t in settings.dev_app_check_debug_tokens.split(",") if t.strip()}
    return AppCheckVerifier(
        platform.firebase_project_id,
        settings.app_check_project_number,
        settings.app_check_jwks_url,
        frozenset(debug) if platform.app_env == "dev" else frozenset(),
        settings.app_check_jwks_cache_seconds,
    )


def verifier() -> AppCheckVerifier:
    return wiring.part("app_check_verifier", _build_verifier)


def consume(token: str, app: AppCheckToken) -> None:
    """Accept `token` once, ever (ERR_4034 on replay); debug tokens are not consumed."""
    if app.debug:
        return
    digest = hashlib.sha256(token.encode()).hexdigest()
    expires = datetime.fromtimestamp(app.claims["exp"], UTC) + timedelta(days=1)
    try:
        wiring.store().create(
            f"{collections.APP_CHECK_CONSUMED}/{digest}",
            {"appId": app.app_id, "consumedAt": wiring.now(), "expiresAt": expires},
        )
    except DocumentExists:
        raise AppError("ERR_4034") from None
