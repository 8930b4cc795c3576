"""Guest onboarding settings (documented in .env.example)."""

from pathlib import Path

from pydantic import Field, SecretStr

from shared import config
from shared.config import AppSettings
from shared.errors import AppError
from shared.http import RetryPolicy


class GuestSettings(AppSettings):
    # Credits a physical device grants, once ever, to the first guest account that claims it.
    guest_grant_credits: int = Field(default=10, ge=1)
    # false: trust only our own registry (no Apple check; dev, or platforms without it).
    devicecheck_enabled: bool = True
    # https://api.development.devicecheck.apple.com for development builds.
    devicecheck_base_url: str = "https://api.devicecheck.apple.com"
    devicecheck_key_id: str = ""
    devicecheck_team_id: str = ""
    # The .p8 key's PEM text, or a path to the file (the text wins if both are set).
    devicecheck_private_key: SecretStr = SecretStr("")
    devicecheck_private_key_path: str = ""
    devicecheck_timeout_seconds: float = Field(default=10.0, gt=0)
    devicecheck_retries: int = Field(default=2, ge=0, le=10)
    devicecheck_retry_initial_seconds: float = Field(default=0.5, ge=0)

    def private_key_pem(self) -> str:
        """The signing key; ERR_6003 if DeviceCheck is on but not configured."""
        pem = self.devicecheck_private_key.get_secret_value()
        if not pem and self.devicecheck_private_key_path:
            pem = Path(self.devicecheck_private_key_path).read_text()
        if not (pem and self.devicecheck_key_id and self.devicecheck_team_id):
            raise AppError("ERR_6003")
        return pem

    @property
    def retry_policy(self) -> RetryPolicy:
        initial = self.devicecheck_retry_initial_seconds
        return RetryPolicy(retries=self.devicecheck_retries, initial=initial, jitter=initial / 2)


def settings() -> GuestSettings:
    return config.load(GuestSettings)
