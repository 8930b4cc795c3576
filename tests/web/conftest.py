"""The web tests use DeviceCheck's stand-in for the consumed App Check token of device_check."""

from tests.guest.conftest import apple, apple_server  # noqa: F401
