"""Opaque encrypted payloads: the server checks they are base64 and how big they are, never
what they say."""

import binascii
import hashlib

from shared.errors import AppError


def decode_base64(value: str, field: str) -> bytes:
    """The bytes of standard base64 `value` (padding required); ERR_4403 naming `field`."""
    try:
        # Strict mode checks the alphabet and padding in C (b64decode's validate=True runs a
        # regex first): a push decodes 500 of these.
        decoded = binascii.a2b_base64(value, strict_mode=True)
    except (binascii.Error, ValueError):
        raise AppError("ERR_4403", field=field) from None
    if not decoded:
        raise AppError("ERR_4403", field=field)
    return decoded


def check_size(value: str, field: str, low: int, high: int) -> bytes:
    """Decoded `value`, refused with ERR_4426 unless it is `low` to `high` bytes long."""
    decoded = decode_base64(value, field)
    if not low <= len(decoded) <= high:
        raise AppError("ERR_4426", field=field, min=low, max=high, size=len(decoded))
    return decoded


def digest(data: bytes, purpose: str) -> str:
    """A hex SHA-256 of `data`, separated by purpose so one hash never stands for another."""
    return hashlib.sha256(purpose.encode() + b"\x00" + data).hexdigest()
