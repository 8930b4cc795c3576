"""Verifying App Store signed data (JWS) with Apple's own `SignedDataVerifier`.

Every JWS is checked against Apple's root certificates (configured), for our bundle id, app
Apple id and environment. With APPLE_ONLINE_CHECKS on (by default in prod), the library checks
the chain as of now and asks each certificate's OCSP responder (named in its Authority
Information Access) whether it was revoked, caching a good chain for 15 minutes; a chain
naming no OCSP responder is refused (ERR_4202), an unreachable responder is ERR_5101. Off (by
default in dev and test), certificates are checked as of the data's signedDate, offline. In
Production, Sandbox data is accepted only with APPLE_ACCEPT_SANDBOX.
"""

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import jwt
from appstoreserverlibrary.models.Environment import Environment
from appstoreserverlibrary.models.JWSRenewalInfoDecodedPayload import JWSRenewalInfoDecodedPayload
from appstoreserverlibrary.models.JWSTransactionDecodedPayload import JWSTransactionDecodedPayload
from appstoreserverlibrary.models.ResponseBodyV2DecodedPayload import ResponseBodyV2DecodedPayload
from appstoreserverlibrary.signed_data_verifier import (
    SignedDataVerifier,
    VerificationException,
    VerificationStatus,
)
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from shared import config, log, wiring
from shared.errors import AppError
from shared.purchases.apple import MAX_JWS_LENGTH
from shared.purchases.settings import settings

T = TypeVar("T")


def _root_certificates(paths: str) -> list[bytes]:
    """DER bytes of each configured root certificate (files in DER or PEM)."""
    roots = []
    for path in filter(None, (p.strip() for p in paths.split(","))):
        raw = Path(path).read_bytes()
        if b"-----BEGIN CERTIFICATE-----" in raw:
            roots += [c.public_bytes(Encoding.DER) for c in x509.load_pem_x509_certificates(raw)]
        else:
            roots.append(raw)
    return roots


def _build_verifiers() -> list[SignedDataVerifier]:
    s = settings()
    unsigned = s.apple_environment in ("Xcode", "LocalTesting")
    if unsigned and config.platform().app_env == "prod":
        raise config.ConfigError("APPLE_ENVIRONMENT Xcode/LocalTesting is refused in prod")
    roots = _root_certificates(s.apple_root_certificates)
    if not roots and not unsigned:
        raise config.ConfigError("APPLE_ROOT_CERTIFICATES names no certificate")
    environments = [s.apple_environment]
    if s.apple_environment == "Production" and s.apple_accept_sandbox:
        environments.append("Sandbox")
    online = s.apple_online_checks_on(config.platform().app_env)
    return [
        SignedDataVerifier(roots, online, Environment(env), s.apple_bundle_id, s.apple_app_apple_id)
        for env in environments
    ]


def verifiers() -> list[SignedDataVerifier]:
    """The verifiers to try, the configured environment first (built once)."""
    try:
        return wiring.part("apple_verifiers", _build_verifiers)
    except (config.ConfigError, ValueError, OSError) as e:
        log.event("App Store verification is misconfigured", logging.ERROR, error=str(e))
        raise AppError("ERR_6003") from None


def _unverified(jws: str) -> dict[str, Any]:
    """The claims without checking anything; ERR_4203 if it is not a JWS at all."""
    if not isinstance(jws, str) or len(jws) > MAX_JWS_LENGTH or jws.count(".") != 2:
        raise AppError("ERR_4203", reason="not a compact JWS")
    try:
        header = jwt.get_unverified_header(jws)
        claims = jwt.decode(jws, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise AppError("ERR_4203", reason="the JWS does not decode") from None
    if not isinstance(header.get("x5c"), list):
        raise AppError("ERR_4203", reason="the JWS has no certificate chain")
    return claims


def _environment_of(claims: dict[str, Any]) -> str:
    for source in (claims, claims.get("data") or {}, claims.get("summary") or {}):
        if isinstance(source, dict) and source.get("environment"):
            return str(source["environment"])
    return "unknown"


def _verified(jws: str, decode: Callable[[SignedDataVerifier, str], T], only=None) -> T:
    claims = _unverified(jws)
    failure: VerificationException | None = None
    for verifier in [only] if only is not None else verifiers():
        try:
            return decode(verifier, jws)
        except VerificationException as e:
            failure = e
            if e.status != VerificationStatus.INVALID_ENVIRONMENT:
                break
        except Exception:
            # The signature held but the content does not fit Apple's model.
            raise AppError("ERR_4203", reason="unexpected content") from None
    assert failure is not None
    if failure.status == VerificationStatus.INVALID_APP_IDENTIFIER:
        raise AppError("ERR_4204")
    if failure.status == VerificationStatus.INVALID_ENVIRONMENT:
        raise AppError("ERR_4205", environment=_environment_of(claims))
    if failure.status == VerificationStatus.RETRYABLE_VERIFICATION_FAILURE:
        raise AppError("ERR_5101")
    raise AppError("ERR_4202")


def verify_transaction(
    jws: str, verifier: SignedDataVerifier | None = None
) -> JWSTransactionDecodedPayload:
    """A verified signedTransaction (from the device, the API or a notification)."""
    return _verified(jws, lambda v, s: v.verify_and_decode_signed_transaction(s), verifier)


def verify_renewal_info(
    jws: str, verifier: SignedDataVerifier | None = None
) -> JWSRenewalInfoDecodedPayload:
    """A verified signedRenewalInfo."""
    return _verified(jws, lambda v, s: v.verify_and_decode_renewal_info(s), verifier)


def verify_notification(jws: str) -> tuple[ResponseBodyV2DecodedPayload, SignedDataVerifier]:
    """A verified notification signedPayload, and the verifier that accepted it (whose
    environment its nested signed data must share)."""

    def decode(v: SignedDataVerifier, s: str) -> tuple[ResponseBodyV2DecodedPayload, Any]:
        return v.verify_and_decode_notification(s), v

    return _verified(jws, decode)
