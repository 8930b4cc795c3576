"""The stale-session expiry job: ACTIVE sessions whose heartbeat stopped are settled.

A session has expired once its last heartbeat is older than the grace (heartbeats stop
counting at the session's end, so a session past its end expires the same way). It is
settled as FAILURE `no_heartbeat`, or, when its heartbeats covered the whole time box and
the app never resolved it, as `SESSION_COMPLETED_OUTCOME` with reason `time_completed`.
Each session settles in its own transaction that re-reads it, so a second run, or a client
resolving at the same moment, finds it settled and nothing happens twice.
"""

import logging
from datetime import datetime

from pydantic import BaseModel

from shared import collections, log, sessions, wiring
from shared.sessions import SessionStatus
from shared.store import Doc, query


class ExpiryReport(BaseModel):
    batches: int = 0
    found: int = 0
    failed: int = 0
    completed: int = 0
    skipped: int = 0  # settled or revived by someone else since the query
    errors: int = 0


def _stale_sessions(cutoff: datetime, limit: int, after: Doc | None) -> list[Doc]:
    return wiring.store().query(
        query(
            collections.SESSIONS,
            [("status", "==", SessionStatus.ACTIVE.value), ("lastHeartbeatAt", "<", cutoff)],
            [("lastHeartbeatAt", "asc")],
            limit=limit,
            start_after=after,
        )
    )


def _settle(session_id: str, now: datetime, report: ExpiryReport) -> None:
    try:
        view = sessions.expire_session(session_id, now)
    except Exception as e:  # one broken session must not stop the others
        report.errors += 1
        log.event("session expiry failed", logging.ERROR, sessionId=session_id, error=repr(e))
        return
    if view is None:
        report.skipped += 1
    elif view.status == SessionStatus.FAILED:
        report.failed += 1
    else:
        report.completed += 1


def expire_stale_sessions(
    now: datetime | None = None, batch_size: int | None = None, max_batches: int | None = None
) -> ExpiryReport:
    """Settle every expired ACTIVE session, `batch_size` per query, up to `max_batches`."""
    s = sessions.settings()
    now = now or wiring.now()
    limit = batch_size or s.session_expiry_batch_size
    report, after = ExpiryReport(), None
    for _ in range(max_batches or s.session_expiry_max_batches):
        batch = _stale_sessions(now - s.grace, limit, after)
        report.batches += 1
        report.found += len(batch)
        for doc in batch:
            _settle(doc.id, now, report)
        if len(batch) < limit:
            break
        after = batch[-1]
    log.event("stale sessions expired", **report.model_dump())
    return report
