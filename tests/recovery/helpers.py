"""Short helpers for the recovery tests."""

from typing import Any

from shared import collections
from shared.purchases.recovery.job import STATE_PATH
from tests.support.api import Api
from tests.support.store import all_documents


def run_job(api: Api) -> None:
    """Fire recover_missed_events on the dev server, as the scheduler does."""
    response = api.http.post("/__dev/run/recover_missed_events")
    assert response.status_code == 200, response.text


def last_report(store) -> dict[str, Any]:
    return store.get(STATE_PATH)["lastReport"]


def documents_but_state(store) -> dict[str, str]:
    """Every document except the job's own state (its lastRunAt and report change per run)."""
    ops = f"{collections.OPS_STATE}/"
    return {p: d for p, d in all_documents(store).items() if not p.startswith(ops)}
