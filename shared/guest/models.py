"""Guest onboarding requests and answers."""

from typing import Annotated, Literal

from pydantic import Field

from shared.models import WireModel


class CheckDevice(WireModel):
    # identifierForVendor (or any id the app keeps per install); hashed before it is stored.
    device_id: Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]
    # DeviceCheck's DCDevice.generateToken(), base64.
    device_token: Annotated[str, Field(min_length=1, max_length=16_000)]


class DeviceCheckResult(WireModel):
    uid: str
    # granted: this call granted the credits; already_granted: this account got them before;
    # device_claimed: the device's grant went to another account (or another install).
    grant: Literal["granted", "already_granted", "device_claimed"]
    credits_granted: int
    balance: int


class UpgradeGuest(WireModel):
    # The guest's current Firebase ID token: proves the caller holds the guest account.
    guest_id_token: Annotated[str, Field(min_length=1, max_length=8192)]


class UpgradeResult(WireModel):
    uid: str
    merged_from: str
    credits_moved: int
    jobs_moved: int
    balance: int
