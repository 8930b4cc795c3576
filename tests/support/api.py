"""Call functions over real HTTP as an app would (Firebase callable protocol)."""

from typing import Any

import httpx

from tests.support.tokens import TokenSigner


class CallableError(AssertionError):
    """A callable answered an error where the test expected a result."""


class Api:
    """`api.call("session_start", {...}, uid="u1")` -> httpx.Response; `api.result(...)` -> data."""

    def __init__(self, base_url: str, signer: TokenSigner) -> None:
        self.base_url = base_url
        self.signer = signer
        self.http = httpx.Client(base_url=base_url, timeout=30)

    def token(self, uid: str, claims: dict[str, Any] | None = None) -> str:
        return self.signer.token(uid, claims)

    def call(
        self,
        name: str,
        data: Any = None,
        *,
        uid: str | None = None,
        claims: dict[str, Any] | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if token is None and uid is not None:
            token = self.token(uid, claims)
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        return self.http.post(
            f"/{name}", json={"data": data if data is not None else {}}, headers=all_headers
        )

    def result(self, name: str, data: Any = None, **kwargs: Any) -> Any:
        response = self.call(name, data, **kwargs)
        body = response.json()
        if response.status_code != 200 or "result" not in body:
            raise CallableError(f"{name} answered {response.status_code}: {body}")
        return body["result"]

    def error(self, name: str, data: Any = None, **kwargs: Any) -> tuple[int, str, dict]:
        """(http status, error code, error body) of a call expected to fail."""
        response = self.call(name, data, **kwargs)
        body = response.json()
        if "error" not in body:
            raise AssertionError(f"{name} answered {response.status_code}: {body}")
        return response.status_code, body["error"]["details"]["code"], body["error"]
