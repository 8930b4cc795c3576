"""Firestore's side of a deploy: the database itself, TTL policies, and the index policy.

TTL: a record the code treats as gone once its `expiresAt` has passed is deleted by Firestore
(within a day or so of that time, at no write cost), so those collections never grow without
bound. The cleanup job still deletes rate limits and idempotency records sooner.

Index policy (`fieldOverrides` of firestore.indexes.json): Firestore indexes every field of
every document both ways by default. A field whose value only grows (a timestamp, a sequence
number) hot-spots those indexes at high write rates, so each such field keeps only the
single-field indexes some query needs (one ordered alone by it, or an equality on it), none
otherwise. tests/deploy/test_firestore_policies.py checks both against the code.
"""

import json
import re
from pathlib import Path

from shared.deploy.settings import ROOT

INDEX_FILE = ROOT / "firestore.indexes.json"
TTL_FIELD = "expiresAt"
# Collection group -> the Timestamp field whose time, once past, makes the record meaningless.
TTL_POLICIES: dict[str, str] = {
    "idempotency": TTL_FIELD,  # idempotency keys (sessions, jobs, admin, webhooks)
    "rate_limits": TTL_FIELD,  # fixed-window counters
    "relay": TTL_FIELD,  # relayed requests between a user's devices
    # consumed limited-use App Check tokens: a day past the token's own expiry, when a replay
    # is refused as expired anyway
    "app_check_consumed": TTL_FIELD,
}
# Collections whose code reads an expiry but whose records must outlive it, and why.
KEPT_PAST_EXPIRY: dict[str, str] = {
    "users/*/relay_nonces": "a relay nonce is never reused by a user, so its record is kept",
    "users/*/devices": "a device record holds no expiry; relay.py only checks it is online",
    "generation_jobs": "job history; a job expires by its status, not by deletion",
}
# A field whose value only grows: a timestamp (`…At`) or a sequence number.
EVER_INCREASING = re.compile(r"^(seq|[a-z][A-Za-z0-9]*At)$")


def field_overrides(path: Path = INDEX_FILE) -> list[dict]:
    return json.loads(path.read_text()).get("fieldOverrides", [])


def exempted(path: Path = INDEX_FILE) -> dict[tuple[str, str], list[dict]]:
    """(collection group, field) -> the single-field indexes it keeps (empty: none)."""
    return {
        (o["collectionGroup"], o["fieldPath"]): o.get("indexes", []) for o in field_overrides(path)
    }
