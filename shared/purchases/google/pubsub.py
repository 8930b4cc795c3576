"""Authenticating Pub/Sub push requests: the OIDC token Pub/Sub attaches to each push.

The token is verified with google-auth against Google's published certificates (URL
configurable; fetched through a small cache honouring max-age), for our audience, and must be
issued by Google to the push subscription's service account with a verified email.
"""

import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import google.auth.exceptions
import httpx
from google.oauth2 import id_token

from shared import http, log, wiring
from shared.errors import AppError
from shared.purchases.settings import settings

ISSUERS = {"accounts.google.com", "https://accounts.google.com"}


@dataclass
class _Response:
    """The little of google.auth.transport.Response that id_token reads."""

    status: int
    headers: dict[str, str]
    data: bytes


class CachedCertsRequest:
    """A google-auth transport for GETs of certificate URLs, cached for their max-age."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[float, _Response]] = {}
        self._lock = threading.Lock()

    def __call__(self, url: str, method: str = "GET", **_: Any) -> _Response:
        with self._lock:
            cached = self._cache.get(url)
            if cached is not None and cached[0] > time.monotonic():
                return cached[1]
        try:
            with http.client() as client:
                answer = client.request(method, url)
        except httpx.HTTPError as e:
            raise google.auth.exceptions.TransportError(str(e)) from e
        response = _Response(answer.status_code, dict(answer.headers), answer.content)
        match = re.search(r"max-age=(\d+)", answer.headers.get("cache-control", ""))
        if answer.status_code == 200 and match:
            with self._lock:
                self._cache[url] = (time.monotonic() + int(match.group(1)), response)
        return response


def _certs_request() -> CachedCertsRequest:
    return wiring.part("pubsub_certs_request", CachedCertsRequest)


def verify_push(authorization: str | None) -> dict[str, Any]:
    """The verified claims of a push request's OIDC token; ERR_4212 if it is missing or
    not what our push subscription sends."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AppError("ERR_4212")
    s = settings()
    if not (s.pubsub_push_audience and s.pubsub_push_service_account):
        log.event("PUBSUB_PUSH_AUDIENCE / PUBSUB_PUSH_SERVICE_ACCOUNT not set", logging.ERROR)
        raise AppError("ERR_6003")
    try:
        claims = id_token.verify_token(
            token.strip(),
            _certs_request(),
            audience=s.pubsub_push_audience,
            certs_url=s.pubsub_certs_url,
            clock_skew_in_seconds=30,
        )
    except google.auth.exceptions.TransportError:
        raise AppError("ERR_5102") from None
    except (ValueError, google.auth.exceptions.GoogleAuthError):
        raise AppError("ERR_4212") from None
    trusted = (
        claims.get("iss") in ISSUERS
        and claims.get("email") == s.pubsub_push_service_account
        and claims.get("email_verified") is True
    )
    if not trusted:
        raise AppError("ERR_4212")
    return claims
