"""The one check of base64 payloads, against binascii's decoder."""

import base64
import binascii
import os
import random

import pytest

from shared.devices.payload import base64_size, decode_base64
from shared.errors import AppError


def decoded_size(value: str) -> int | None:
    """What binascii's strict decoder makes of `value` (None: refused or empty)."""
    try:
        return len(binascii.a2b_base64(value, strict_mode=True)) or None
    except (binascii.Error, ValueError):
        return None


def test_base64_size_agrees_with_the_strict_decoder_except_on_extra_padding() -> None:
    rng = random.Random(7)
    odd = "AZaz09+/=-_ \n.é"
    for _ in range(50_000):
        text = base64.b64encode(rng.randbytes(rng.randint(0, 12))).decode()
        if rng.random() < 0.6 and text:
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(odd) * rng.randint(1, 2) + text[at + 1 :]
        expected = decoded_size(text)
        if expected is not None and len(text) % 4:
            # binascii lets "=" through after a complete group ("QUJD="); RFC 4648 does not.
            assert text.endswith("="), text
            expected = None
        assert base64_size(text) == expected, text


@pytest.mark.parametrize("size", [1, 2, 3, 200, 262_144])
def test_base64_size_is_the_decoded_length(size: int) -> None:
    text = base64.b64encode(os.urandom(size)).decode()
    assert base64_size(text) == size
    assert decode_base64(text, "f") == base64.b64decode(text)


@pytest.mark.parametrize("text", ["", "QUJD=", "QQ===", "=QUJ", "QU=D", "QUJD\n", "QUJ€"])
def test_what_is_not_standard_base64(text: str) -> None:
    assert base64_size(text) is None
    with pytest.raises(AppError) as refused:
        decode_base64(text, "payload")
    assert (refused.value.code, refused.value.params) == ("ERR_4403", {"field": "payload"})
