"""The one error type: a stable code, a callable status and localized text.

Codes live in `codes_<area>.py` modules beside this file (found automatically), so each area
adds its own without touching the others. Ranges: ERR_40xx platform and shared client errors,
ERR_41xx ledger and sessions, ERR_42xx app-store purchases, ERR_43xx Stripe, ERR_44xx sync,
devices and relay, ERR_45xx guest, jobs and admin, ERR_5xxx upstream providers, ERR_6xxx system.
"""

import importlib
import pkgutil
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

LANGUAGES = ("en", "tr", "es")


class Status(StrEnum):
    """Firebase callable statuses."""

    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    FAILED_PRECONDITION = "FAILED_PRECONDITION"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    ABORTED = "ABORTED"
    RESOURCE_EXHAUSTED = "RESOURCE_EXHAUSTED"
    CANCELLED = "CANCELLED"
    INTERNAL = "INTERNAL"
    UNIMPLEMENTED = "UNIMPLEMENTED"
    UNAVAILABLE = "UNAVAILABLE"
    DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"
    UNKNOWN = "UNKNOWN"


# As firebase-functions-python maps them.
HTTP_STATUS: dict[Status, int] = {
    Status.INVALID_ARGUMENT: 400,
    Status.FAILED_PRECONDITION: 400,
    Status.OUT_OF_RANGE: 400,
    Status.UNAUTHENTICATED: 401,
    Status.PERMISSION_DENIED: 403,
    Status.NOT_FOUND: 404,
    Status.ALREADY_EXISTS: 409,
    Status.ABORTED: 409,
    Status.RESOURCE_EXHAUSTED: 429,
    Status.CANCELLED: 499,
    Status.INTERNAL: 500,
    Status.UNKNOWN: 500,
    Status.UNIMPLEMENTED: 501,
    Status.UNAVAILABLE: 503,
    Status.DEADLINE_EXCEEDED: 504,
}


@dataclass(frozen=True)
class Code:
    """One error code: its status and its message in every language ({placeholders} allowed)."""

    status: Status
    en: str
    tr: str
    es: str


@cache
def catalog() -> dict[str, Code]:
    """Every code of every `codes_*` module in this package."""
    codes: dict[str, Code] = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("codes_"):
            found = importlib.import_module(f"{__name__}.{module.name}").CODES
            clash = codes.keys() & found.keys()
            assert not clash, f"error codes defined twice: {sorted(clash)}"
            codes.update(found)
    return codes


class AppError(Exception):
    """A failure the caller should see: `AppError("ERR_4001", required=5, available=2)`."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in catalog():
            raise KeyError(f"unknown error code {code}")
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def status(self) -> Status:
        return catalog()[self.code].status

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.status]

    def message(self, language: str = "en") -> str:
        template = getattr(catalog()[self.code], language if language in LANGUAGES else "en")
        try:
            return template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return template

    def details(self) -> dict[str, Any]:
        return {"code": self.code, **self.params}

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries: Retry-After for a limit that says when to retry."""
        seconds = self.params.get("seconds")
        if self.status == Status.RESOURCE_EXHAUSTED and isinstance(seconds, int):
            return {"Retry-After": str(seconds)}
        return {}

    def __str__(self) -> str:
        return f"{self.code}: {self.message()}"
