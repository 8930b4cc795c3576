"""firestore.rules evaluated by the official Firestore emulator (skipped, visibly, without one).

Start one with `gcloud emulators firestore start --host-port=127.0.0.1:8081` (or the Firebase
CLI: `firebase emulators:start --only firestore`) and set FIRESTORE_EMULATOR_HOST=127.0.0.1:8081.

The rules are loaded into a project of their own through the emulator's API, documents are
seeded as the owner (which bypasses rules, as the Admin SDK does), and clients call the REST API
with unsigned ID tokens, which the emulator accepts as the Firebase test SDK sends them.
Every collection the code uses is tried: only the few owner reads are allowed.
"""

import base64
import json
import os
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.deploy.collections_in_code import ROOT, code_collections

pytestmark = pytest.mark.firestore

ALICE, BOB = "alice", "bob"
# Collections whose documents alice may read: keyed by her uid, or naming her in `uid`.
OWN_BY_ID = {"users", "sync_state"}
OWN_BY_PARENT = {
    "users/*/devices",
    "users/*/entitlements",
    "users/*/entitlement_sources",
    "users/*/entitlement_events",
}
OWN_BY_FIELD = {"sessions", "generation_jobs"}


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unsigned_token(project: str, uid: str) -> str:
    now = int(time.time())
    claims = {
        "iss": f"https://securetoken.google.com/{project}",
        "aud": project,
        "iat": now,
        "exp": now + 3600,
        "auth_time": now,
        "sub": uid,
        "user_id": uid,
        "firebase": {"sign_in_provider": "custom", "identities": {}},
    }
    return f"{_b64({'alg': 'none', 'kid': 'fakekid', 'typ': 'JWT'})}.{_b64(claims)}."


class Emulator:
    def __init__(self, host: str) -> None:
        self.project = f"demo-rules-{uuid.uuid4().hex[:8]}"
        self.http = httpx.Client(base_url=f"http://{host}", timeout=10)
        self.root = f"/v1/projects/{self.project}/databases/(default)/documents"

    def load_rules(self) -> None:
        files = [{"name": "firestore.rules", "content": (ROOT / "firestore.rules").read_text()}]
        response = self.http.put(
            f"/emulator/v1/projects/{self.project}:securityRules", json={"rules": {"files": files}}
        )
        assert response.status_code == 200, response.text

    def headers(self, uid: str | None) -> dict[str, str]:
        if uid is None:
            return {}
        token = "owner" if uid == "owner" else unsigned_token(self.project, uid)
        return {"Authorization": f"Bearer {token}"}

    def seed(self, path: str, uid_field: str) -> None:
        fields = {"uid": {"stringValue": uid_field}, "n": {"integerValue": "1"}}
        response = self.http.patch(
            f"{self.root}/{path}", json={"fields": fields}, headers=self.headers("owner")
        )
        assert response.status_code == 200, response.text

    def get(self, path: str, uid: str | None) -> int:
        return self.http.get(f"{self.root}/{path}", headers=self.headers(uid)).status_code

    def query_own(self, collection: str, uid: str, owner: str) -> int:
        parent, _, name = f"{self.root}/{collection}".rpartition("/")
        where = {
            "fieldFilter": {
                "field": {"fieldPath": "uid"},
                "op": "EQUAL",
                "value": {"stringValue": owner},
            }
        }
        body = {"structuredQuery": {"from": [{"collectionId": name}], "where": where}}
        response = self.http.post(f"{parent}:runQuery", json=body, headers=self.headers(uid))
        return response.status_code

    def list_all(self, collection: str, uid: str) -> int:
        return self.http.get(f"{self.root}/{collection}", headers=self.headers(uid)).status_code

    def writes(self, path: str, uid: str) -> list[int]:
        """Status of a create, an update and a delete by `uid`."""
        collection, _, doc_id = path.rpartition("/")
        body = {"fields": {"uid": {"stringValue": uid}, "wallet": {"integerValue": "999"}}}
        headers = self.headers(uid)
        return [
            self.http.post(
                f"{self.root}/{collection}", params={"documentId": f"new-{doc_id}"},
                json=body, headers=headers,
            ).status_code,
            self.http.patch(f"{self.root}/{path}", json=body, headers=headers).status_code,
            self.http.delete(f"{self.root}/{path}", headers=headers).status_code,
        ]  # fmt: skip


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    host = os.environ.get("FIRESTORE_EMULATOR_HOST")
    if not host:
        pytest.skip(
            "FIRESTORE_EMULATOR_HOST is not set: no official Firestore emulator to run the rules"
        )
    emu = Emulator(host)
    emu.load_rules()
    yield emu
    emu.http.close()


def doc_of(collection: str, owner: str) -> str:
    """A document of `collection` under `owner` (ids of parents are the owner's uid)."""
    parts = collection.split("/")
    path = "/".join(owner if p == "*" else p for p in parts)
    return f"{path}/{owner if collection in OWN_BY_ID else f'doc-{owner}'}"


@pytest.fixture(scope="module")
def seeded(emulator: Emulator) -> list[str]:
    collections = sorted(code_collections())
    for collection in collections:
        for owner in (ALICE, BOB):
            emulator.seed(doc_of(collection, owner), owner)
    return collections


def readable_by_owner(collection: str) -> bool:
    return collection in OWN_BY_ID | OWN_BY_PARENT | OWN_BY_FIELD


def test_owners_read_only_their_own_documents(emulator: Emulator, seeded: list[str]):
    wrong = []
    for collection in seeded:
        path = doc_of(collection, ALICE)
        expected = 200 if readable_by_owner(collection) else 403
        for uid, want in ((ALICE, expected), (BOB, 403), (None, 403)):
            if (got := emulator.get(path, uid)) != want:
                wrong.append((collection, uid, got, want))
    assert not wrong, f"(collection, reader, got, expected): {wrong}"


def test_no_client_writes_anything(emulator: Emulator, seeded: list[str]):
    wrong = [
        (collection, statuses)
        for collection in seeded
        if (statuses := emulator.writes(doc_of(collection, ALICE), ALICE)) != [403, 403, 403]
    ]
    assert not wrong, f"writes not refused: {wrong}"


def test_owned_documents_are_listed_only_by_a_query_on_the_callers_uid(
    emulator: Emulator, seeded: list[str]
):
    for collection in sorted(OWN_BY_FIELD & set(seeded)):
        assert emulator.query_own(collection, ALICE, ALICE) == 200, collection
        assert emulator.query_own(collection, BOB, ALICE) == 403, collection
        assert emulator.list_all(collection, ALICE) == 403, collection  # unfiltered


def test_a_user_cannot_list_other_profiles(emulator: Emulator, seeded: list[str]):
    assert emulator.list_all("users", ALICE) == 403
    assert emulator.list_all(f"users/{BOB}/devices", ALICE) == 403
    assert emulator.list_all(f"users/{ALICE}/devices", ALICE) == 200
