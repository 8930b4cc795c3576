"""A call answered from an idempotency record says so: `Idempotent-Replayed: true`, as Stripe
does; the first call, and the next request on the same server, do not."""

from shared.ledger import SystemAccount
from tests.ledger.helpers import entries, fund

ADMIN = {"admin": True}


def test_an_idempotent_replay_is_marked_and_the_first_call_is_not(api, store):
    fund("u1", 10)
    data = {"uid": "u1", "amount": 5, "reason": "goodwill", "idempotencyKey": "k"}
    first = api.call("admin_adjust_credits", data, uid="sam", claims=ADMIN)
    again = api.call("admin_adjust_credits", data, uid="sam", claims=ADMIN)
    after = api.call("wallet_get", {}, uid="u1")
    assert (first.status_code, again.status_code) == (200, 200)
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert "Idempotent-Replayed" not in after.headers
    adjustments = [e for e in entries(store, "u1") if e["type"] == "admin_adjustment"]
    assert [e["counterpart"] for e in adjustments] == [SystemAccount.ADMIN]
