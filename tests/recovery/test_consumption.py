"""CONSUMPTION_REQUEST over HTTP: recorded with the notification, answered to the App Store
Server API after the commit as the policy says, the outcome recorded, never sent twice."""

import uuid as uuid_module

import pytest

from shared import config
from shared.purchases.events import notification_path
from tests.purchases.apple_fakes import notification
from tests.purchases.helpers import pack_transaction, post_apple, token_of
from tests.recovery.helpers import last_report, run_job
from tests.support import ids


def _bought_pack(api, stores, clock) -> tuple[str, dict]:
    uid = ids.uid()
    tid = str(uuid_module.uuid4().int)[:12]
    tx = pack_transaction(tid, clock())
    stores.apple_api.add(tx)
    signed = stores.ca.sign(tx)
    api.result("verify_purchase", {"platform": "app_store", "signedTransaction": signed}, uid=uid)
    return uid, tx


def _request(stores, clock, tx: dict, uuid: str) -> str:
    return notification(
        stores.ca,
        "CONSUMPTION_REQUEST",
        signed_date=clock(),
        transaction=tx,
        notification_uuid=uuid,
        extra_data={"consumptionRequestReason": "UNINTENDED_PURCHASE"},
    )


def _policy(monkeypatch, policy: str, consented: bool) -> None:
    monkeypatch.setenv("APPLE_CONSUMPTION_POLICY", policy)
    monkeypatch.setenv("APPLE_CONSUMPTION_CUSTOMER_CONSENTED", str(consented).lower())
    config.reset()


def test_a_consented_request_is_answered_once_after_the_commit(
    api, store, clock, stores, monkeypatch
) -> None:
    _policy(monkeypatch, "always", True)
    uid, tx = _bought_pack(api, stores, clock)
    uuid = ids.key()
    payload = _request(stores, clock, tx, uuid)

    assert post_apple(api, payload).json() == {"outcome": "recorded"}
    assert post_apple(api, payload).json() == {"outcome": "duplicate"}

    sent = stores.apple_api.consumption[tx["transactionId"]]
    assert len(sent) == 1
    assert sent[0]["customerConsented"] is True and sent[0]["consumptionStatus"] == 1
    assert sent[0]["appAccountToken"] == token_of(uid)
    record = store.get(notification_path(f"appstore_{uuid}"))
    assert record["details"]["consumptionAnswer"] == "pending"
    assert record["consumptionAnswer"]["status"] == "sent"
    assert record["consumptionAnswer"]["httpStatus"] == 202


@pytest.mark.parametrize(
    ("policy", "consented", "noted", "answered"),
    [
        ("never", True, "policy never", None),
        ("always", False, "pending", "skipped: no customer consent"),
    ],
)
def test_the_policy_decides_whether_anything_is_sent(
    api, store, clock, stores, monkeypatch, policy, consented, noted, answered
) -> None:
    _policy(monkeypatch, policy, consented)
    _, tx = _bought_pack(api, stores, clock)
    uuid = ids.key()

    assert post_apple(api, _request(stores, clock, tx, uuid)).status_code == 200

    assert stores.apple_api.consumption == {}
    record = store.get(notification_path(f"appstore_{uuid}"))
    assert record["details"]["consumptionAnswer"] == noted
    assert (record.get("consumptionAnswer") or {}).get("status") == answered


def test_an_apple_outage_is_recorded_and_the_answer_sent_by_the_replay_job(
    api, store, clock, stores, monkeypatch
) -> None:
    _policy(monkeypatch, "always", True)
    _, tx = _bought_pack(api, stores, clock)
    uuid = ids.key()
    stores.apple_api.fail_next = 100

    response = post_apple(api, _request(stores, clock, tx, uuid))

    stores.apple_api.fail_next = 0
    assert response.status_code == 200 and response.json() == {"outcome": "recorded"}
    record = store.get(notification_path(f"appstore_{uuid}"))
    assert record["consumptionAnswer"]["status"] == "failed"

    run_job(api)  # the replay job sends failed answers again

    assert len(stores.apple_api.consumption[tx["transactionId"]]) == 1
    record = store.get(notification_path(f"appstore_{uuid}"))
    assert record["consumptionAnswer"]["status"] == "sent"
    assert last_report(store)["apple"]["consumption_answers_resent"] == 1
    run_job(api)
    assert len(stores.apple_api.consumption[tx["transactionId"]]) == 1
