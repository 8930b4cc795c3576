"""The official Pub/Sub emulator for the session, and push subscriptions from it to a dev
server that counts what it is delivered."""

import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from shared.dev import emulators
from shared.dev.server import Function, create_app
from tests.support.servers import free_port, serve_wsgi


@pytest.fixture(scope="session")
def pubsub_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """host:port of the Pub/Sub emulator (skips, saying why, where gcloud's is missing)."""
    if (reason := emulators.gcloud_emulator_missing("pubsub-emulator")) is not None:
        pytest.skip(reason)
    logs = tmp_path_factory.mktemp("pubsub")
    with emulators.pubsub_emulator(free_port(), "demo-test", logs) as emulator:
        emulators.wait_ready(emulator)
        yield emulator.host


@dataclass
class PushedServer:
    """A dev server the emulator pushes to: `deliveries[path]` counts the requests it got."""

    project: str
    url: str
    deliveries: Counter[str] = field(default_factory=Counter)

    def publish(self, topic: str, data: bytes) -> str:
        from google.cloud import pubsub_v1

        client = pubsub_v1.PublisherClient()
        return client.publish(client.topic_path(self.project, topic), data).result(timeout=30)


def pushed_server(
    monkeypatch: pytest.MonkeyPatch, pubsub_host: str, functions: dict[str, Function]
) -> Iterator[PushedServer]:
    """Serve `functions` and subscribe them to their topics as `./dev emulators` does, in a
    project of their own on the emulator."""
    monkeypatch.setenv("PUBSUB_EMULATOR_HOST", pubsub_host)
    app = create_app(functions)
    deliveries: Counter[str] = Counter()

    def counting(environ, start_response):
        deliveries[environ["PATH_INFO"]] += 1
        return app(environ, start_response)

    with serve_wsgi(counting) as url:
        server = PushedServer(f"demo-{uuid.uuid4().hex[:12]}", url, deliveries)
        pushes = emulators.create_push_subscriptions(functions, server.project, url)
        yield server
        from google.cloud import pubsub_v1

        subscriber = pubsub_v1.SubscriberClient()
        for push in pushes:  # so the emulator stops pushing to this closed port
            subscriber.delete_subscription(subscription=push.subscription)
