"""The dev server answers where the Firebase SDKs' emulator switches and Pub/Sub push call, and
its event paths take every body Cloud Functions takes (functions-framework's conversion)."""

import base64
import json

import httpx
import pytest
from cloudevents.conversion import to_binary, to_structured

from shared.dev.server import create_app
from shared.web.functions import pubsub_event, pubsub_message, scheduled_job
from tests.support.servers import serve_wsgi
from tests.support.tokens import PROJECT_ID

received: list[tuple[bytes, dict[str, str], str]] = []


@scheduled_job(every_minutes=1)
def tick(event) -> None:
    data, attributes = pubsub_message(event)
    received.append((data, attributes, event["type"]))


@pytest.fixture
def tick_url():
    received.clear()
    with serve_wsgi(create_app({"tick": tick})) as url:
        yield url


PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished"


def push_envelope(data: bytes, attributes: dict[str, str] | None = None) -> dict:
    """The body the Pub/Sub push (and its emulator) posts: no ce-* headers."""
    return {
        "message": {
            "data": base64.b64encode(data).decode(),
            "attributes": attributes or {},
            "messageId": "1234",
            "message_id": "1234",
            "publishTime": "2026-01-01T12:00:00.000Z",
        },
        "subscription": "projects/demo-test/subscriptions/tick-push",
    }


def test_a_callable_answers_at_the_emulator_path_of_any_region(api) -> None:
    for region in ("us-central1", "europe-west1"):
        response = api.http.post(
            f"/{PROJECT_ID}/{region}/health",
            json={"data": {}},
            headers={"Authorization": f"Bearer {api.token('alice')}"},
        )
        assert response.status_code == 200 and response.json()["result"]["uid"] == "alice"


def test_another_project_is_not_found(api) -> None:
    response = api.http.post("/other-project/us-central1/health", json={"data": {}})
    assert response.status_code == 404
    assert response.json()["error"]["status"] == "NOT_FOUND"
    assert api.http.post(f"/{PROJECT_ID}/us-central1/no_such_function").status_code == 404


def test_structured_and_binary_cloudevents(tick_url: str) -> None:
    for encode in (to_structured, to_binary):
        headers, body = encode(pubsub_event("scheduled-tick", b"ce", {"a": "1"}))
        assert httpx.post(f"{tick_url}/tick", headers=headers, content=body).status_code == 204
    assert received == [(b"ce", {"a": "1"}, PUBLISHED)] * 2


def test_the_raw_pubsub_push_envelope(tick_url: str) -> None:
    body = push_envelope(b'{"tick": 1}', {"origin": "scheduler"})
    for path in ("/tick", f"/{PROJECT_ID}/us-central1/tick"):
        assert httpx.post(f"{tick_url}{path}", json=body).status_code == 204
    assert received == [(b'{"tick": 1}', {"origin": "scheduler"}, PUBLISHED)] * 2


def test_a_legacy_background_event(tick_url: str) -> None:
    body = {
        "context": {
            "eventId": "42",
            "timestamp": "2026-01-01T12:00:00.000Z",
            "eventType": "google.pubsub.topic.publish",
            "resource": {"service": "pubsub.googleapis.com", "name": "projects/p/topics/t"},
        },
        "data": {"data": base64.b64encode(b"legacy").decode(), "attributes": {}},
    }
    assert httpx.post(f"{tick_url}/tick", json=body).status_code == 204
    assert received == [(b"legacy", {}, PUBLISHED)]


@pytest.mark.parametrize(
    "body",
    [b"", b"{not json", json.dumps({"message": {"data": "aGk="}}).encode(), b'{"a": 1}'],
    ids=["empty", "not-json", "push-without-message-id", "unknown-shape"],
)
def test_a_body_no_conversion_accepts_is_a_400(tick_url: str, body: bytes) -> None:
    response = httpx.post(
        f"{tick_url}/tick", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400 and received == []


def test_dev_routes_keep_their_paths(tick_url: str) -> None:
    assert httpx.post(f"{tick_url}/__dev/run/tick").json() == {"ran": "tick"}
    assert set(httpx.get(f"{tick_url}/").json()["functions"]) == {"tick"}
