"""TTL policies cover every collection whose records expire, and the index field overrides
cover every ever-increasing field, keeping exactly the single-field indexes queries need."""

import json

import pytest

from shared import deploy
from shared.deploy.firestore import (
    EVER_INCREASING,
    KEPT_PAST_EXPIRY,
    TTL_FIELD,
    TTL_POLICIES,
    exempted,
    field_overrides,
)
from shared.store import MissingIndex, query
from shared.store.indexes import check
from tests.deploy.collections_in_code import code_collections
from tests.deploy.fields_in_code import ANY, ever_increasing_fields, group, single_field_needs


@pytest.fixture(scope="module")
def fields() -> dict[tuple[str, str], set[str]]:
    return ever_increasing_fields()


@pytest.fixture(scope="module")
def needs():
    # Queries whose filters the source does not spell out are left to the store: it refuses
    # one that needs an exempted index whenever a test runs it (shared/store/indexes.py).
    found, _unknown = single_field_needs()
    return found


def test_every_expiring_collection_has_a_ttl_policy_or_a_reason(fields):
    expiring = {g for g, f in fields if f == TTL_FIELD}
    assert {"idempotency", "rate_limits"} <= expiring
    decided = set(TTL_POLICIES) | {group(c) for c in KEPT_PAST_EXPIRY}
    assert not expiring - decided, (
        f"records with {TTL_FIELD} and no TTL policy: {sorted(expiring - decided)} "
        "(add them to TTL_POLICIES, or to KEPT_PAST_EXPIRY with the reason)"
    )


def test_every_ttl_policy_names_a_collection_and_field_the_code_writes(fields):
    groups = {group(c) for c in code_collections()}
    for collection_group, field in TTL_POLICIES.items():
        assert collection_group in groups
        assert (collection_group, field) in fields, (collection_group, field)
    assert not set(TTL_POLICIES) & {group(c) for c in KEPT_PAST_EXPIRY}


def test_a_full_deploy_enables_every_ttl_policy():
    steps = deploy.plan(deploy.Options(project="p"))
    ttls = {
        (deploy_flags(s.command)["collection-group"], s.command[5])
        for s in steps
        if s.command[1:5] == ("firestore", "fields", "ttls", "update")
    }
    assert ttls == set(TTL_POLICIES.items())


def deploy_flags(command: tuple[str, ...]) -> dict[str, str]:
    return dict(a.removeprefix("--").partition("=")[::2] for a in command if a[:2] == "--")


def test_every_ever_increasing_field_keeps_only_the_indexes_queries_need(fields, needs):
    overrides = exempted()
    missing, wrong = [], []
    for collection_group, field in sorted(fields):
        needed = {n.order for n in needs if n.field == field and n.group in (collection_group, ANY)}
        kept = overrides.get((collection_group, field))
        if kept is None:
            missing.append((collection_group, field))
            continue
        orders = {i.get("order") for i in kept}
        scopes = {i.get("queryScope") for i in kept}
        if orders != needed or scopes - {"COLLECTION"}:
            wrong.append((collection_group, field, sorted(needed), kept))
    expected = [
        {"collectionGroup": g, "fieldPath": f, "indexes": [
            {"order": o, "queryScope": "COLLECTION"}
            for o in sorted(n.order for n in needs if n.field == f and n.group in (g, ANY))
        ]}
        for g, f in missing
    ]  # fmt: skip
    assert not missing, (
        "ever-increasing fields still indexed by default; add to fieldOverrides in "
        f"firestore.indexes.json: {json.dumps(expected)}"
    )
    assert not wrong, f"overrides keeping other indexes than queries need: {wrong}"


def test_no_query_orders_alone_by_a_field_the_overrides_exempt(needs):
    # Every override, ever-increasing field or not, keeps the indexes the queries need.
    for (collection_group, field), kept in exempted().items():
        for need in needs:
            if need.field == field and need.group in (collection_group, ANY):
                assert need.order in {i.get("order") for i in kept}, (collection_group, need)


def test_overrides_are_well_formed_and_unique():
    seen = set()
    for entry in field_overrides():
        key = (entry["collectionGroup"], entry["fieldPath"])
        assert key not in seen, key
        seen.add(key)
        for index in entry["indexes"]:
            assert set(index) <= {"order", "arrayConfig", "queryScope"}
    assert len(seen) <= 200, "Firestore allows 200 single-field index exemptions"


def test_the_ever_increasing_pattern():
    assert all(EVER_INCREASING.match(n) for n in ("createdAt", "seq", "lastHeartbeatAt"))
    assert not any(EVER_INCREASING.match(n) for n in ("status", "uid", "sequence", "At"))


def test_the_store_refuses_a_query_on_an_exempted_single_field_index():
    # ledger.createdAt keeps ASCENDING (reconcile walks it) and drops DESCENDING.
    check(query("ledger", [("createdAt", "<=", 1)], [("createdAt", "asc")]))
    with pytest.raises(MissingIndex, match="fieldOverrides"):
        check(query("ledger", order_by=[("createdAt", "desc")]))
    with pytest.raises(MissingIndex, match="fieldOverrides"):
        check(query("users/u1/relay_nonces", [("createdAt", "==", 1)]))
