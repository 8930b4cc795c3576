"""Device registry and relay callables: a user's devices, their capabilities and heartbeats,
and encrypted requests relayed between them."""

from shared.devices import registry, relay
from shared.devices.models import (
    CreateRelay,
    DeviceList,
    DeviceRef,
    DeviceView,
    Heartbeat,
    HeartbeatAck,
    ListDevices,
    PollRelay,
    RegisterDevice,
    RelayBatch,
    RelayRef,
    RelayView,
    Removed,
    RenameDevice,
    RespondRelay,
)
from shared.web.functions import CallContext, callable_function


@callable_function(RegisterDevice)
def device_register(request: RegisterDevice, ctx: CallContext) -> DeviceView:
    """Register a device (idempotent per deviceId) with its capabilities."""
    return registry.register_device(ctx.uid, request, ctx.signed_in_at)


@callable_function(RenameDevice)
def device_rename(request: RenameDevice, ctx: CallContext) -> DeviceView:
    return registry.rename_device(ctx.uid, request)


@callable_function(ListDevices)
def device_list(request: ListDevices, ctx: CallContext) -> DeviceList:
    """The caller's devices; `canRunInference: true` lists those that can run models."""
    return registry.list_devices(ctx.uid, request)


@callable_function(DeviceRef)
def device_remove(request: DeviceRef, ctx: CallContext) -> Removed:
    return registry.remove_device(ctx.uid, request)


@callable_function(Heartbeat)
def device_heartbeat(request: Heartbeat, ctx: CallContext) -> HeartbeatAck:
    """Mark a device online (for `device_online_seconds`), optionally with new capabilities."""
    return registry.heartbeat_device(ctx.uid, request, ctx.signed_in_at)


@callable_function(CreateRelay)
def relay_create(request: CreateRelay, ctx: CallContext) -> RelayView:
    """Send a sealed request to another online device of the caller."""
    return relay.create_relay(ctx.uid, request)


@callable_function(PollRelay)
def relay_poll(request: PollRelay, ctx: CallContext) -> RelayBatch:
    """Claim pending requests for this device; no two pollers get the same one."""
    return relay.poll_relay(ctx.uid, request)


@callable_function(RespondRelay)
def relay_respond(request: RespondRelay, ctx: CallContext) -> RelayView:
    """Answer a claimed request (its target device only)."""
    return relay.respond_relay(ctx.uid, request)


@callable_function(RelayRef)
def relay_status(request: RelayRef, ctx: CallContext) -> RelayView:
    """A request's status and sealed answer (its source device only)."""
    return relay.get_relay_status(ctx.uid, request)
