"""The one-time guest grant: each physical device grants credits once, ever.

Two records say a device has claimed its grant, and either one stops a second grant:
- our registry, `physical_devices/{hash of the device id}`, created in the same transaction as
  the grant entry (`grant_device_<hash>`), so two accounts on one install cannot both get it;
- Apple's DeviceCheck bit0, which survives reinstalls and new device ids. It is queried
  before the transaction (never inside) and set after the grant commits; if setting it
  fails, the registry keeps `appleBitSet: false` and the device's next call sets it.
A window remains: two installs with different device ids, checking at the same moment before
either sets the bit, could both be granted. DeviceCheck offers no compare-and-set to close it.
"""

import hashlib
import logging
from typing import Any

from shared import collections, ledger, log, wiring
from shared.errors import AppError
from shared.guest import devicecheck
from shared.guest.devicecheck import TwoBits
from shared.guest.models import CheckDevice, DeviceCheckResult
from shared.guest.settings import settings
from shared.ledger import EntryType, NewEntry
from shared.store import Transaction
from shared.web import ratelimit
from shared.web.auth import AuthToken


def device_hash(device_id: str) -> str:
    return hashlib.sha256(f"device\x00{device_id}".encode()).hexdigest()[:32]


def registry_path(hash_: str) -> str:
    return f"{collections.PHYSICAL_DEVICES}/{hash_}"


def grant_entry_id(hash_: str) -> str:
    return f"grant_device_{hash_}"


def check_device(auth: AuthToken, ip: str | None, request: CheckDevice) -> DeviceCheckResult:
    """Grant the device's credits to this guest if the device never granted them."""
    if not auth.is_anonymous:
        raise AppError("ERR_4502")
    s, uid, now = settings(), auth.uid, wiring.now()
    hash_ = device_hash(request.device_id)
    path = registry_path(hash_)
    apple_claimed = False
    if s.devicecheck_enabled and wiring.store().get(path) is None:
        apple_claimed = devicecheck.client().query_two_bits(request.device_token).bit0

    def body(txn: Transaction) -> tuple[DeviceCheckResult, bool]:
        limits = ratelimit.reserve(txn, "device_check", now, uid=uid, ip=ip)
        registry = txn.get(path)
        user = txn.get(collections.user(uid)) or {}
        balance = ledger.wallet_of(user, now).available  # a lapsed lock counts as settled
        limits.write(txn)
        if registry is not None:
            mine = registry.get("claimedBy") == uid
            grant = "already_granted" if mine else "device_claimed"
            credits = registry.get("credits", 0) if mine else 0
            set_bit = mine and not registry.get("appleBitSet") and s.devicecheck_enabled
            return DeviceCheckResult(
                uid=uid, grant=grant, credits_granted=credits, balance=balance
            ), set_bit
        record: dict[str, Any] = {"createdAt": now, "firstUid": uid, "appleBitSet": apple_claimed}
        if apple_claimed:  # another install of this device took the grant
            txn.create(path, record | {"claimedBy": None, "credits": 0})
            return DeviceCheckResult(
                uid=uid, grant="device_claimed", credits_granted=0, balance=balance
            ), False
        entry = NewEntry(
            id=grant_entry_id(hash_),
            type=EntryType.CREDITS_GRANT,
            amount=s.guest_grant_credits,
            refs={"device": hash_},
            reason="guest_device_grant",
        )
        # fresh: the grant entry is only ever posted with the registry record, which is absent.
        posting = ledger.post_entries(
            txn, uid, [entry], now, user=user, user_fields={"guest": True}, fresh=True
        )
        txn.create(path, record | {"claimedBy": uid, "credits": s.guest_grant_credits})
        return DeviceCheckResult(
            uid=uid,
            grant="granted",
            credits_granted=s.guest_grant_credits,
            balance=posting.wallet.available,
        ), s.devicecheck_enabled

    result, set_bit = wiring.store().transaction(body)
    if set_bit:
        _set_apple_bit(path, request.device_token)
    return result


def _set_apple_bit(path: str, device_token: str) -> None:
    try:
        devicecheck.client().update_two_bits(device_token, TwoBits(bit0=True))
    except AppError as e:  # the grant stands; the device's next check retries the bit
        log.event("DeviceCheck bit not set", logging.WARNING, code=e.code)
        return
    wiring.store().update(path, {"appleBitSet": True})
