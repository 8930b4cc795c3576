"""Random ids so tests never collide."""

import uuid


def uid(prefix: str = "user") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def key() -> str:
    return uuid.uuid4().hex
