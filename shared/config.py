"""The one configuration loader: typed settings from environment variables, validated once.

Each area declares its own `Settings` subclass next to its code; `load(cls)` reads and caches it.
A missing or invalid variable fails with a message naming it (and never echoing its value).
"""

import json
import os
import types
from functools import cache
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError

S = TypeVar("S", bound="AppSettings")

GOOGLE_SECURETOKEN_CERTS = (
    "https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com"
)


class ConfigError(RuntimeError):
    """Raised at start when settings are missing or invalid."""


class AppSettings(BaseModel):
    """Base of every area's settings: environment variables, case-insensitive, immutable.

    Read here rather than with pydantic-settings, whose import alone costs every cold start
    ~90 ms. Same rules: a field reads the variable of its name, case-insensitively; a
    structured field (dict, list, tuple, set, model) reads JSON; keyword arguments win.
    """

    model_config = ConfigDict(
        extra="ignore", frozen=True, validate_default=True, arbitrary_types_allowed=True
    )

    def __init__(self, **values: Any) -> None:
        super().__init__(**{**_from_environment(type(self)), **values})


_STRUCTURED = (dict, list, tuple, set, frozenset)


def _structured(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return any(_structured(a) for a in get_args(annotation) if a is not type(None))
    if origin in _STRUCTURED or annotation in _STRUCTURED:
        return True
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _from_environment(cls: type[AppSettings]) -> dict[str, Any]:
    environ = {name.lower(): value for name, value in os.environ.items()}
    values: dict[str, Any] = {}
    for name, field in cls.model_fields.items():
        raw = environ.get(name)
        if raw is None:
            continue
        if _structured(field.annotation):
            try:
                values[name] = json.loads(raw)
            except ValueError:
                raise ConfigError(
                    f"{cls.__name__}: missing or invalid settings: {name.upper()} (json_invalid)"
                ) from None
        else:
            values[name] = raw
    return values


class PlatformSettings(AppSettings):
    """Settings every function needs (see .env.example)."""

    app_env: Literal["dev", "test", "prod"] = "prod"
    firebase_project_id: str
    store_backend: Literal["sqlite", "firestore"] = "sqlite"
    sqlite_path: str = ".data/store.sqlite3"
    # Refuse queries that Firestore would refuse for lack of a composite index.
    store_enforce_indexes: bool = True
    store_count_operations: bool = False
    auth_certs_url: str = GOOGLE_SECURETOKEN_CERTS
    auth_clock_skew_seconds: int = 30
    dev_auth_dir: str = ".data/dev_auth"
    max_body_bytes: int = 1_048_576
    idempotency_ttl_hours: int = 24
    http_timeout_seconds: float = 10.0
    log_level: str = "INFO"


@cache
def load(cls: type[S]) -> S:
    """Read, validate and cache the settings of `cls` from the environment."""
    try:
        return cls()
    except ValidationError as e:
        problems = ", ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper()} ({err['type']})" for err in e.errors()
        )
        raise ConfigError(f"{cls.__name__}: missing or invalid settings: {problems}") from None


def platform() -> PlatformSettings:
    return load(PlatformSettings)


def reset() -> None:
    """Forget cached settings (tests change the environment between cases)."""
    load.cache_clear()
