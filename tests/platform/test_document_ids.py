"""Every id a client or an admin sends that becomes part of a document path is checked once
(`shared.models.document_id`) by Firestore's rules for document ids plus our length limits:
refused with 400 ERR_4030 naming the field, before anything is read or written."""

import random
import re

import pytest
from pydantic import TypeAdapter, ValidationError

from shared.devices.models import DEVICE_ID_PATTERN
from shared.models import DOCUMENT_ID_ERROR, document_id, document_id_problem, id_error_problem
from tests.support.store import all_documents

ADMIN = {"admin": True}
BAD_IDS = {
    "dot": ".",
    "dot-dot": "..",
    "slash": "x/y",
    "traversal": "../../users/victim",
    "sub-document": "a/events/b",
    "reserved": "__name__",
    "too-long": "a" * 1501,
}
ENTRY = {"ciphertext": "AAAA", "clock": {"d1": 1}, "updatedAt": "2026-01-01T00:00:00Z"}
SEALED = {"ciphertext": "AAAA", "nonce": "AAAA", "mac": "AAAA"}
# (function, data with the id as "{id}", the field named in the error, admin?)
CALLS = [
    ("stripe_backfill_get", {"backfillId": "{id}"}, "backfillId", True),
    ("stripe_backfill_cancel", {"backfillId": "{id}"}, "backfillId", True),
    ("session_heartbeat", {"sessionId": "{id}"}, "sessionId", False),
    (
        "session_resolve",
        {"sessionId": "{id}", "outcome": "SUCCESS", "idempotencyKey": "k"},
        "sessionId",
        False,
    ),
    ("device_register", {"deviceId": "{id}", "name": "n", "platform": "ios"}, "deviceId", False),
    ("device_remove", {"deviceId": "{id}"}, "deviceId", False),
    ("device_heartbeat", {"deviceId": "{id}"}, "deviceId", False),
    ("relay_poll", {"deviceId": "{id}"}, "deviceId", False),
    ("relay_status", {"deviceId": "d1", "relayId": "{id}"}, "relayId", False),
    ("relay_respond", {"deviceId": "d1", "relayId": "{id}", **SEALED}, "relayId", False),
    ("sync_pull", {"deviceId": "{id}"}, "deviceId", False),
    ("sync_push", {"deviceId": "d1", "entries": [{"id": "{id}", **ENTRY}]}, "entries.0.id", False),
    (
        "sync_push",
        {
            "deviceId": "d1",
            "deletedIds": [{"id": "{id}", **{k: v for k, v in ENTRY.items() if k != "ciphertext"}}],
        },
        "deletedIds.0.id",
        False,
    ),
    ("job_status", {"jobId": "{id}"}, "jobId", False),
    ("job_delete", {"jobId": "{id}"}, "jobId", False),
    ("generate", {"modelId": "{id}", "prompt": "a fox", "idempotencyKey": "k"}, "modelId", False),
]


def _with(data, bad: str):
    if isinstance(data, dict):
        return {k: _with(v, bad) for k, v in data.items()}
    if isinstance(data, list):
        return [_with(v, bad) for v in data]
    return bad if data == "{id}" else data


@pytest.mark.parametrize("bad", list(BAD_IDS.values()), ids=list(BAD_IDS))
@pytest.mark.parametrize(
    ("name", "data", "field", "admin"), CALLS, ids=[c[0] + ":" + c[2] for c in CALLS]
)
def test_an_id_that_cannot_be_a_document_id_is_refused(api, store, name, data, field, admin, bad):
    before = all_documents(store)
    status, code, error = api.error(
        name, _with(data, bad), uid="u1", claims=ADMIN if admin else None
    )
    assert (status, code) == (400, "ERR_4030"), error
    assert error["details"]["field"] == field
    assert all_documents(store) == before


def test_the_rules_are_firestores_own():
    assert document_id_problem("cus_ABC-123.x") is None
    assert document_id_problem("a.b") is None and document_id_problem("_x_") is None
    assert document_id_problem("__x") is None and document_id_problem("x__") is None
    for bad in ["", ".", "..", "a/b", "__x__", "____", "é" * 751]:
        assert document_id_problem(bad) is not None, bad
    assert document_id_problem("é" * 200) is None  # 400 bytes, 200 characters


def test_a_backfill_id_from_the_admin_is_looked_up_as_is(api, store):
    status, code, _ = api.error(
        "stripe_backfill_get", {"backfillId": "bf_unknown"}, uid="u1", claims=ADMIN
    )
    assert (status, code) != (400, "ERR_4030")


@pytest.mark.parametrize(
    ("name", "code"), [("job_history", "ERR_4510"), ("wallet_get", "ERR_4108")]
)
@pytest.mark.parametrize("bad", ["..", "__x__", "a/b"])
def test_a_page_cursor_naming_no_document_id_is_an_invalid_cursor(api, store, name, code, bad):
    import base64
    import json

    raw = json.dumps({"t": "2026-01-01T00:00:00+00:00", "id": bad}).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    before = all_documents(store)
    status, got, _ = api.error(name, {"cursor": cursor}, uid="u1")
    assert (status, got) == (400, code)
    assert all_documents(store) == before


@pytest.mark.parametrize(
    ("max_chars", "pattern"),
    [(128, r"[A-Za-z0-9_-]+"), (100, r"[A-Za-z0-9._-]+"), (64, DEVICE_ID_PATTERN)],
)
def test_ids_checked_in_rust_agree_with_the_rules(max_chars, pattern):
    # document_id checks ids of a repeated character class with a regex pydantic-core runs;
    # it must accept and refuse exactly what the rules (and the pattern) do, with the reason.
    checked = TypeAdapter(document_id(max_chars, pattern))
    rng = random.Random(3)
    alphabet = "_-aZ09./é "
    samples = ["", "_", "__", "___", "____", "__a__", "_a_", "a" * max_chars]
    samples += ["a" * (max_chars + 1), "__" + "a" * (max_chars - 2)]
    samples += ["".join(rng.choices(alphabet, k=rng.randint(1, 8))) for _ in range(20_000)]
    for value in samples:
        expected = document_id_problem(value, max_chars)
        if expected is None and not re.fullmatch(pattern, value):
            expected = "it has characters that are not allowed"
        try:
            checked.validate_python(value)
            problem = None
        except ValidationError as e:
            [error] = e.errors()
            assert error["type"] == DOCUMENT_ID_ERROR, (value, error)
            problem = id_error_problem(error)
        assert problem == expected, value
