"""Device registry and relay settings (see the Devices section of .env.example)."""

from shared import config
from shared.config import AppSettings


class DeviceSettings(AppSettings):
    devices_max_per_user: int = 10
    # A device is online when its last heartbeat is at most this old (computed at read time).
    device_online_seconds: int = 60
    relay_ttl_seconds: int = 120
    relay_max_ttl_seconds: int = 600
    relay_max_ciphertext_bytes: int = 65_536
    relay_max_poll: int = 20


def settings() -> DeviceSettings:
    return config.load(DeviceSettings)
