"""Publishing a backfill's next slice: Pub/Sub in production, in this process locally.

`STRIPE_BACKFILL_PUBLISHER=pubsub` publishes with google-cloud-pubsub to the topic the event
function listens on. `local` (dev and tests) calls that event function directly, as Pub/Sub
would: messages published while one is being delivered wait in a queue (so slices run one
after another, never nested), and a message whose function raises is kept in `failed`, the
way Pub/Sub keeps an unacknowledged message, until `redeliver_failed()`.
"""

import json
import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from shared import config, log, wiring
from shared.purchases.stripe.settings import settings

BACKFILL_TOPIC = "stripe-backfill"

Function = Callable[..., Any]


class Publisher(Protocol):
    def publish(self, topic: str, data: dict[str, Any]) -> None: ...


class PubSubPublisher:
    def __init__(self, project: str) -> None:
        from google.cloud import pubsub_v1  # imported here: gRPC is slow to load

        self._client = pubsub_v1.PublisherClient()
        self._project = project

    def publish(self, topic: str, data: dict[str, Any]) -> None:
        path = self._client.topic_path(self._project, topic)
        self._client.publish(path, json.dumps(data).encode()).result(timeout=30)


class LocalPublisher:
    def __init__(self, functions: dict[str, Function] | None = None) -> None:
        self._functions = functions
        self._queue: deque[tuple[str, dict[str, Any]]] = deque()
        self._lock = threading.Lock()
        self._delivering = threading.local()
        self.failed: list[tuple[str, dict[str, Any]]] = []
        self.delivered = 0

    def _subscribers(self, topic: str) -> list[Function]:
        if self._functions is None:
            from shared.dev.server import discover  # the functions of main.py

            self._functions = discover()
        return [
            fn
            for fn in self._functions.values()
            if fn.__deploy__.kind == "event" and fn.__deploy__.topic == topic
        ]

    def publish(self, topic: str, data: dict[str, Any]) -> None:
        with self._lock:
            self._queue.append((topic, data))
        if not getattr(self._delivering, "active", False):
            self._drain()

    def redeliver_failed(self) -> None:
        with self._lock:
            self._queue.extend(self.failed)
            self.failed.clear()
        self._drain()

    def _drain(self) -> None:
        from shared.web.functions import pubsub_event

        self._delivering.active = True
        try:
            while True:
                with self._lock:
                    if not self._queue:
                        return
                    topic, data = self._queue.popleft()
                try:
                    for fn in self._subscribers(topic):
                        fn(pubsub_event(topic, json.dumps(data).encode()))
                    self.delivered += 1
                except Exception as e:
                    log.event("local delivery failed", logging.WARNING, topic=topic, error=repr(e))
                    self.failed.append((topic, data))
        finally:
            self._delivering.active = False


def _build() -> Publisher:
    if settings().stripe_backfill_publisher == "pubsub":
        return PubSubPublisher(config.platform().firebase_project_id)
    return LocalPublisher()


def publisher() -> Publisher:
    return wiring.part("stripe_publisher", _build)
