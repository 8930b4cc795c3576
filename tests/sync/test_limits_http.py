"""Rate limits on every callable named in RATE_LIMITS, by add-on tier, over HTTP: a 429 says
when to retry both in its details and in Retry-After; an unknown name is refused."""

import pytest

from shared.config import ConfigError
from shared.web import ratelimit
from tests.support.store import all_documents
from tests.sync.helpers import configure, grant_sync


def register(api, uid: str) -> None:
    api.result("device_register", {"deviceId": "phone", "name": "p", "platform": "ios"}, uid=uid)


def calls_until_refused(api, name: str, data: dict, uid: str, most: int = 20):
    """(calls answered 200 before the first 429, the 429 response)."""
    for answered in range(most):
        response = api.call(name, data, uid=uid)
        if response.status_code != 200:
            return answered, response
    raise AssertionError(f"{name} was never limited")


def test_sync_calls_are_limited_and_the_429_says_when_to_retry(api, clock, monkeypatch):
    configure(
        monkeypatch,
        rate_limits='{"sync_pull": {"uid": 3, "windowSeconds": 60}, "sync_push": {"uid": 2}}',
    )
    grant_sync("ann")
    register(api, "ann")
    clock.advance(seconds=15)  # 45 seconds left in the window
    pull = {"deviceId": "phone", "cursor": 0}
    answered, refused = calls_until_refused(api, "sync_pull", pull, "ann")
    assert (answered, refused.status_code) == (3, 429)
    error = refused.json()["error"]
    assert (error["status"], error["details"]) == (
        "RESOURCE_EXHAUSTED",
        {"code": "ERR_4004", "seconds": 45},
    )
    assert refused.headers["Retry-After"] == "45"
    assert api.call("sync_pull", pull, uid="bob").status_code != 429  # per user
    push = {"deviceId": "phone", "entries": []}
    assert calls_until_refused(api, "sync_push", push, "ann")[0] == 2  # its own counter
    clock.advance(seconds=45)
    assert api.call("sync_pull", pull, uid="ann").status_code == 200  # the next window


def test_tiers_by_add_on(api, clock, monkeypatch):
    configure(
        monkeypatch,
        rate_limits='{"device_list": {"uid": 2, "windowSeconds": 300,'
        ' "tiers": {"ai": {"uid": 3}, "sync": {"uid": 5}}}}',
    )
    grant_sync("paying")
    assert calls_until_refused(api, "device_list", {}, "free")[0] == 2
    assert calls_until_refused(api, "device_list", {}, "paying")[0] == 5


def test_a_callable_without_a_limit_counts_nothing(api, clock, store):
    register(api, "ann")
    for _ in range(5):
        api.result("device_list", {}, uid="ann")
    assert not [p for p in all_documents(store) if p.startswith("rate_limits/")]


def test_an_unknown_name_is_refused_with_a_clear_message(api, monkeypatch):
    configure(monkeypatch, rate_limits='{"sync_pusj": {"uid": 1}}')
    with pytest.raises(ConfigError, match="RATE_LIMITS names no function: sync_pusj"):
        ratelimit.settings()
    assert (
        api.error("device_list", {}, uid="ann")[0] == 500
    )  # every callable refuses to run until the setting is fixed
