"""firebase.json points the Firebase CLI at our rules and indexes and at the emulator ports the
code expects (Firestore 8081, Auth 9099, Pub/Sub 8085, no UI)."""

import json

from shared.deploy import ROOT


def test_firebase_json():
    config = json.loads((ROOT / "firebase.json").read_text())
    firestore = config["firestore"]
    assert (ROOT / firestore["rules"]).is_file() and (ROOT / firestore["indexes"]).is_file()
    emulators = config["emulators"]
    ports = {name: emulators[name]["port"] for name in ("firestore", "auth", "pubsub")}
    assert ports == {"firestore": 8081, "auth": 9099, "pubsub": 8085}
    assert emulators["ui"]["enabled"] is False


def test_the_index_file_is_what_firebase_deploys():
    indexes = json.loads((ROOT / "firestore.indexes.json").read_text())
    assert set(indexes) <= {"indexes", "fieldOverrides"}
    for index in indexes["indexes"]:
        assert index["queryScope"] in ("COLLECTION", "COLLECTION_GROUP")
        assert all("fieldPath" in f for f in index["fields"])
