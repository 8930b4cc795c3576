"""contract/ is what `./dev contract` generates from the code, and says what the code does."""

import json
from typing import Any

import httpx
import pytest

from shared.contract import OUT, render
from shared.contract.build import build
from shared.dev.server import discover
from tests.support.node import requires_node


@pytest.fixture(scope="module")
def contract() -> dict[str, Any]:
    return build()


@requires_node
def test_committed_contract_is_what_dev_contract_generates() -> None:
    files = render()
    committed = {str(p.relative_to(OUT)) for p in OUT.rglob("*") if p.is_file()}
    assert committed == set(files), "contract/ has other files: run ./dev contract"
    stale = [name for name, text in files.items() if (OUT / name).read_text() != text]
    assert not stale, f"out of date: {stale}; run ./dev contract and commit contract/"


def test_every_function_of_main_is_in_the_contract(contract: dict[str, Any]) -> None:
    groups = {"callable": "callables", "http": "webhooks", "event": "events"}
    for name, fn in discover().items():
        kind = fn.__deploy__.kind
        assert name in contract[groups.get(kind, "scheduledJobs")], name
    listed = [n for g in ("callables", "webhooks", "events", "scheduledJobs") for n in contract[g]]
    assert sorted(listed) == sorted(discover())


def test_a_callable_names_its_models_modes_limits_and_codes(contract: dict[str, Any]) -> None:
    start = contract["callables"]["session_start"]
    assert start["request"] == {"$ref": "#/$defs/StartSession"}
    assert start["response"] == {"$ref": "#/$defs/SessionView"}
    request = contract["$defs"]["StartSession"]
    assert {"pledge", "durationMinutes", "idempotencyKey"} <= set(request["properties"])
    assert request["additionalProperties"] is False  # unknown fields are refused
    # A response is dumped whole, so every field is there (defaults included).
    view = contract["$defs"]["SessionView"]
    assert set(view["required"]) == set(view["properties"])
    assert start["auth"] == "required"
    assert contract["callables"]["admin_ban_user"]["auth"] == "admin"
    assert "appCheck" in start
    # The session's own codes and the callable protocol's, found in the code.
    assert {"ERR_4101", "ERR_4001", "ERR_4010", "ERR_4011", "ERR_4000", "ERR_6001"} <= set(
        start["errors"]
    )
    assert "ERR_4401" not in start["errors"]  # a sync code: not reachable from sessions
    generate = contract["callables"]["generate"]
    assert generate["rateLimits"]["generate"]["uid"] >= 1
    assert "ERR_4004" in generate["errors"]


def test_webhooks_jobs_and_readable_documents(contract: dict[str, Any]) -> None:
    stripe = contract["webhooks"]["stripe_webhook"]
    assert {"$ref": "#/$defs/StripeEvent"} in stripe["parses"]
    assert "ERR_4302" in stripe["errors"]  # a bad signature
    assert contract["scheduledJobs"]["expire_stale_sessions"]["everyMinutes"] >= 1
    readable = {d["path"]: d for d in contract["firestore"]["documents"]}
    assert readable["users/{uid}"]["operations"] == ["get"]
    assert readable["users/{uid}/entitlements/{addOn}"]["condition"] == "isUser(uid)"
    assert "ledger/{entryId}" not in readable  # functions only
    assert readable["sessions/{sessionId}"]["condition"] == "ownsDoc()"
    owns = contract["firestore"]["functions"]["ownsDoc()"]
    assert "resource.data.uid == request.auth.uid" in owns


def test_the_dev_server_serves_the_contract(server_url: str) -> None:
    served = httpx.get(f"{server_url}/__dev/contract", timeout=60)
    assert served.status_code == 200
    committed = json.loads((OUT / "contract.json").read_text())
    assert served.json() == committed


def test_the_contract_does_not_depend_on_this_machines_settings(
    contract: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RATE_LIMITS", '{"generate": {"uid": 1, "ip": 1, "windowSeconds": 60}}')
    assert build()["callables"]["generate"] == contract["callables"]["generate"]
