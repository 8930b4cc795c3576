"""Messages published to the official Pub/Sub emulator reach the functions through its push
subscriptions (the raw push envelope, as in production), are applied once and acknowledged."""

import time
from collections.abc import Callable, Iterator

import pytest

from shared import sessions
from shared.dev.server import discover
from shared.sessions import StartSession
from tests.devsuite.conftest import PushedServer, pushed_server
from tests.ledger.helpers import entries, fund
from tests.purchases import conftest as purchases
from tests.purchases.apple_fakes import after
from tests.purchases.conftest import Stores
from tests.purchases.helpers import entitlement, subscribe_on_play
from tests.purchases.play_fakes import developer_notification
from tests.support.ids import uid as new_uid

FUNCTIONS = ("google_play_notifications", "expire_stale_sessions")

# The Google Play stand-ins and the settings pointing at them (autouse), as tests/purchases has.
stores, purchase_settings = purchases.stores, purchases.purchase_settings


@pytest.fixture
def pushed(monkeypatch, pubsub_emulator: str) -> Iterator[PushedServer]:
    everything = discover()
    yield from pushed_server(monkeypatch, pubsub_emulator, {n: everything[n] for n in FUNCTIONS})


def eventually(check: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not delivered in time"
        time.sleep(0.1)


def settles_once(pushed: PushedServer, path: str) -> None:
    """Delivered once: a redelivery (the push not acknowledged) would come within seconds."""
    eventually(lambda: pushed.deliveries[path] >= 1)
    time.sleep(3)
    assert pushed.deliveries[path] == 1


def test_a_play_notification_published_to_the_topic_is_applied_once(
    pushed: PushedServer, api, store, clock, stores: Stores
) -> None:
    uid, token = new_uid(), "pubsub-renew-token"
    body = subscribe_on_play(api, stores, clock(), uid, token, "GPA.7777-0000-0000-00001")
    clock.advance(days=30)
    renewed = after(clock(), days=30)
    body["lineItems"][0]["expiryTime"] = renewed.strftime("%Y-%m-%dT%H:%M:%SZ")
    body["lineItems"][0]["latestSuccessfulOrderId"] = "GPA.7777-0000-0000-00001..0"
    play_calls = len(stores.play.calls)
    renewal = developer_notification(
        subscriptionNotification={
            "version": "1.0",
            "notificationType": 2,  # SUBSCRIPTION_RENEWED
            "purchaseToken": token,
            "subscriptionId": "sync.monthly",
        }
    )

    pushed.publish("play-notifications", renewal)

    eventually(lambda: entitlement(store, uid).expires_at == renewed)
    settles_once(pushed, "/google_play_notifications")
    assert len(stores.play.calls) == play_calls + 1  # one look-up at Play, no retry


def test_a_scheduler_tick_published_to_the_job_topic_runs_the_job_once(
    pushed: PushedServer, store, clock
) -> None:
    fund("sleeper", 10)
    request = StartSession(pledge=5, duration_minutes=60, idempotency_key="s")
    sid = sessions.start_session("sleeper", request).session_id
    clock.advance(minutes=11)  # no heartbeat for longer than the timeout

    pushed.publish("scheduled-expire-stale-sessions", b"{}")  # what Cloud Scheduler sends

    eventually(lambda: store.get(sessions.session_path(sid))["status"] == "FAILED")
    settles_once(pushed, "/expire_stale_sessions")
    assert sorted(e["type"] for e in entries(store, "sleeper")) == [
        "ash_grant",
        "credits_burn",
        "credits_grant",
        "credits_lock",
    ]
