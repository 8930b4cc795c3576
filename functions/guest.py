"""Guest onboarding: the device grant and upgrading a guest into a signed-in account."""

from shared import guest
from shared.guest import CheckDevice, DeviceCheckResult, UpgradeGuest, UpgradeResult
from shared.web.functions import CallContext, callable_function
from shared.web.ratelimit import client_ip


@callable_function(CheckDevice, app_check="enforced", consume_app_check=True)
def device_check(request: CheckDevice, ctx: CallContext) -> DeviceCheckResult:
    """A guest's one-time credit grant for its physical device (Apple DeviceCheck)."""
    assert ctx.auth is not None  # auth="required"
    return guest.check_device(ctx.auth, client_ip(ctx.headers, ctx.ip), request)


@callable_function(UpgradeGuest, app_check="enforced")
def guest_upgrade(request: UpgradeGuest, ctx: CallContext) -> UpgradeResult:
    """Merge the guest account (its ID token in the request) into the signed-in caller's."""
    assert ctx.auth is not None
    return guest.upgrade_guest(ctx.auth, client_ip(ctx.headers, ctx.ip), request)
