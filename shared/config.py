"""The one configuration loader: typed settings from environment variables, validated once.

Each area declares its own `Settings` subclass next to its code; `load(cls)` reads and caches it.
A missing or invalid variable fails with a message naming it (and never echoing its value).
"""

from functools import cache
from typing import Literal, TypeVar

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

S = TypeVar("S", bound="AppSettings")

GOOGLE_SECURETOKEN_CERTS = (
    "https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com"
)


class ConfigError(RuntimeError):
    """Raised at start when settings are missing or invalid."""


class AppSettings(BaseSettings):
    """Base of every area's settings: environment variables, case-insensitive, immutable."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True, case_sensitive=False)


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
