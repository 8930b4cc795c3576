"""Guest onboarding: the one-time grant per physical device, and upgrading a guest account."""

from shared.guest.models import CheckDevice, DeviceCheckResult, UpgradeGuest, UpgradeResult
from shared.guest.onboarding import check_device
from shared.guest.upgrade import upgrade_guest

__all__ = [
    "CheckDevice",
    "DeviceCheckResult",
    "UpgradeGuest",
    "UpgradeResult",
    "check_device",
    "upgrade_guest",
]
