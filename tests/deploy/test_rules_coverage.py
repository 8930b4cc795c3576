"""firestore.rules read statically: every collection the code uses has its own match, and no
rule lets a client write."""

import ast
import re

from tests.deploy.collections_in_code import (
    ROOT,
    Templates,
    _candidates,
    code_collections,
    covered,
    rules_collections,
    rules_matches,
)

RULES = (ROOT / "firestore.rules").read_text()


def test_every_collection_the_code_uses_has_a_rules_match():
    matches = rules_matches(RULES)
    missing = sorted(c for c in code_collections() if not covered(c, matches))
    assert not missing, f"add a `match /<collection>/{{id}}` to firestore.rules for {missing}"


def test_the_rules_name_only_collections_the_code_uses():
    stale = rules_collections(rules_matches(RULES)) - code_collections()
    assert not stale, f"firestore.rules matches collections no code uses: {sorted(stale)}"


def test_the_scan_sees_paths_written_outside_collections_py():
    source = """
from shared import collections
COLLECTION = "audit_trail"
def f(txn, uid, x):
    txn.get(f"{collections.user(uid)}/notes/{x}")
    txn.create(f"secret_things/{x}", {})
    txn.set("counters/global", {})
    reader.query(query("reports", [("uid", "==", uid)]))
    data.get("not/a_path_of_ours")  # a dict lookup with a slash is still scanned
    data.get("plainkey")
    headers.get("Content-Type")
    url = f"{base}/v1/things/{x}"
"""
    found = set(_candidates(ast.parse(source), Templates()))
    texts = {t.replace("\0", "*") for t in found}
    assert {
        "audit_trail",
        "users/*/notes/*",
        "secret_things/*",
        "counters/global",
        "reports",
    } <= texts
    assert not any("plainkey" in t or "Content-Type" in t or "v1" in t for t in texts)


def test_the_coverage_check_wants_a_literal_match_per_level():
    matches = rules_matches(
        """service cloud.firestore { match /databases/{database}/documents {
            match /{document=**} { allow read: if false; }
            match /users/{uid} { match /devices/{d} { allow read: if false; } }
            match /ledger/{id=**} { allow read: if false; }
        } }"""
    )
    assert covered("users", matches)
    assert covered("users/*/devices", matches)
    assert not covered("users/*/relay", matches)
    assert not covered("ledger", matches)  # a recursive wildcard is not a decision per level
    assert not covered("sessions", matches)


def test_no_rule_lets_a_client_write():
    allows = re.findall(r"allow\s+([a-z, ]+):\s*if\s+([^;]+);", re.sub(r"//[^\n]*", "", RULES))
    assert allows
    for operations, condition in allows:
        ops = {o.strip() for o in operations.split(",")}
        if ops & {"write", "create", "update", "delete"}:
            assert condition.strip() == "false", f"allow {operations}: if {condition}"


def test_everything_unmatched_is_denied():
    assert re.search(r"match /\{document=\*\*\}\s*\{\s*allow read, write: if false;\s*\}", RULES), (
        "keep the deny-all safety net"
    )
