"""Wire models of the device registry and the relay."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from shared.models import WireModel, document_id

DEVICE_ID_PATTERN = r"[A-Za-z0-9_-]{1,64}"
DeviceId = document_id(max_chars=64, pattern=DEVICE_ID_PATTERN)
RelayId = document_id(max_chars=32, pattern=r"[a-f0-9]{32}")
Base64 = Annotated[str, Field(min_length=1)]
ModelName = Annotated[str, Field(min_length=1, max_length=100)]


class Capabilities(WireModel):
    """What a device can do for the user's other devices."""

    can_run_inference: bool = False
    models: list[ModelName] = Field(default_factory=list, max_length=50)


class RegisterDevice(WireModel):
    device_id: DeviceId
    name: str = Field(min_length=1, max_length=100)
    platform: str = Field(min_length=1, max_length=32)  # ios, android, macos, ... (open set)
    capabilities: Capabilities = Field(default_factory=Capabilities)
    # The device's FCM registration token (APNs tokens go through FCM too); null removes it.
    fcm_token: str | None = Field(None, min_length=1, max_length=4096)


class RenameDevice(WireModel):
    device_id: DeviceId
    name: str = Field(min_length=1, max_length=100)


class DeviceRef(WireModel):
    device_id: DeviceId


class Heartbeat(WireModel):
    device_id: DeviceId
    capabilities: Capabilities | None = None


class ListDevices(WireModel):
    can_run_inference: bool | None = None
    online_only: bool = False


class DeviceView(WireModel):
    device_id: str
    name: str
    platform: str
    capabilities: Capabilities
    registered_at: datetime
    last_seen_at: datetime | None = None
    signed_in_at: datetime | None = None  # when this device's current sign-in happened
    online: bool
    last_pull_at: datetime | None = None
    last_pull_cursor: int | None = None
    push_enabled: bool = False  # an FCM token is registered (the token itself is never shown)


class DeviceList(WireModel):
    devices: list[DeviceView]


class Removed(WireModel):
    device_id: str
    removed: bool


class HeartbeatAck(WireModel):
    device_id: str
    last_seen_at: datetime
    online: bool


class Sealed(WireModel):
    """An encrypted message: AEAD ciphertext, its nonce and tag, each base64."""

    ciphertext: Base64
    nonce: Base64
    mac: Base64


class CreateRelay(Sealed):
    source_device_id: DeviceId
    target_device_id: DeviceId
    ttl_seconds: int | None = Field(None, ge=1)


class PollRelay(WireModel):
    device_id: DeviceId
    limit: int | None = Field(None, ge=1)


class RespondRelay(Sealed):
    device_id: DeviceId
    relay_id: RelayId


class RelayRef(WireModel):
    device_id: DeviceId
    relay_id: RelayId


RelayStatus = Literal["pending", "processing", "done", "expired"]


class RelayView(WireModel):
    relay_id: str
    source_device_id: str
    target_device_id: str
    status: RelayStatus
    created_at: datetime
    expires_at: datetime
    response: Sealed | None = None


class RelayRequest(Sealed):
    """A request as the target device receives it."""

    relay_id: str
    source_device_id: str
    created_at: datetime
    expires_at: datetime


class RelayBatch(WireModel):
    requests: list[RelayRequest]
