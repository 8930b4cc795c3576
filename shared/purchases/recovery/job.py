"""recover_missed_events: replay each source's events since the last run, resumably.

`ops_state/recover_missed_events` keeps, per source, the start of the next window (`since`)
and, while a window is in progress, its end (`until`) and the page cursor. The state is saved
after every page, so a run stopped by its page budget, a crash or a store outage continues
from the next page; a finished window moves `since` to its end minus the overlap. Everything
replayed goes through the webhooks' own idempotent handlers, so replaying twice is harmless.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field

from shared import collections, log, wiring
from shared.purchases.apple import consumption
from shared.purchases.recovery import apple_history, stripe_history
from shared.purchases.recovery.play_recheck import RecheckReport, recheck_play_purchases
from shared.purchases.recovery.settings import settings
from shared.purchases.settings import settings as purchase_settings
from shared.purchases.stripe import client

JOB = "recover_missed_events"
STATE_PATH = f"{collections.OPS_STATE}/{JOB}"
APPLE_HISTORY_DAYS = timedelta(days=179)  # Apple keeps 180 days of notification history
MAX_LISTED = 100  # refused outcomes kept in the report


class Window(BaseModel):
    since: datetime | None = None
    until: datetime | None = None  # set while a window is in progress
    cursor: str | None = None


class SourceReport(BaseModel):
    configured: bool = True
    pages: int = 0
    seen: int = 0
    applied: int = 0  # anything but a duplicate: applied, recorded, stale, credited...
    duplicates: int = 0
    refused: list[str] = Field(default_factory=list)  # outcomes that did not apply
    finished: bool = False
    error: str | None = None  # the failure that stopped this source (it resumes next run)
    consumption_answers_resent: int = 0  # Apple only: failed consumption answers sent again


class RecoveryReport(BaseModel):
    apple: SourceReport
    stripe: SourceReport
    stripe_test: SourceReport  # test mode's events, listed with the test key
    play: RecheckReport | None = None  # None: Play is not configured


# A page fetcher: (since, until, cursor, limit) -> (items, next cursor), and an item replayer.
Fetch = Callable[[datetime, datetime, str | None, int], tuple[list[Any], str | None]]
Replay = Callable[[Any], str]


def _apple_page(
    since: datetime, until: datetime, cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    since = max(since, until - APPLE_HISTORY_DAYS)  # Apple refuses older start dates
    page = apple_history.history_api().notification_history(since, until, cursor)
    return page.signed_payloads, page.next_token


def _stripe_page(
    since: datetime, until: datetime, cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    page = stripe_history.list_events(since, until, cursor, limit)
    return page.events, page.next_cursor


def _stripe_test_page(
    since: datetime, until: datetime, cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    with client.mode(False):
        return _stripe_page(since, until, cursor, limit)


def _save(source: str, window: Window, now: datetime) -> None:
    fields = {source: window.model_dump(), "updatedAt": now}
    wiring.store().set(STATE_PATH, fields, merge=True)


def _count(report: SourceReport, outcome: str) -> None:
    report.seen += 1
    if outcome == "duplicate":
        report.duplicates += 1
    elif outcome.startswith(("refused", "unknown user")):
        if len(report.refused) < MAX_LISTED:
            report.refused.append(outcome)
    else:
        report.applied += 1


def replay_source(source: str, fetch: Fetch, replay: Replay, now: datetime) -> SourceReport:
    """Replay one source's current window, page by page, saving the cursor after each."""
    s, report = settings(), SourceReport()
    window = Window.model_validate((wiring.store().get(STATE_PATH) or {}).get(source) or {})
    if window.until is None:
        since = window.since or now - timedelta(hours=s.recovery_lookback_hours)
        window = Window(since=since, until=now)
    assert window.since is not None and window.until is not None
    for _ in range(s.recovery_max_pages):
        items, cursor = fetch(window.since, window.until, window.cursor, s.recovery_page_size)
        for item in items:
            _count(report, replay(item))
        report.pages += 1
        if cursor is None:
            overlap = timedelta(minutes=s.recovery_overlap_minutes)
            window, report.finished = Window(since=window.until - overlap), True
            _save(source, window, now)
            break
        window.cursor = cursor
        _save(source, window, now)
    return report


def _isolated(source: str, fetch: Fetch, replay: Replay, now: datetime) -> SourceReport:
    """One source's replay; its failure is reported without stopping the other sources."""
    try:
        return replay_source(source, fetch, replay, now)
    except Exception as e:
        log.event("missed-event replay failed", logging.ERROR, source=source, error=repr(e))
        return SourceReport(error=getattr(e, "code", None) or type(e).__name__)


def recover_missed_events() -> RecoveryReport:
    """Replay Apple's history and Stripe's events since the last run; re-check Play.

    A source that fails keeps its saved place and the others still run; the job then fails
    too, so Pub/Sub delivers it again (replaying is idempotent)."""
    now = wiring.now()
    apple = SourceReport(configured=False)
    if apple_history.apple_configured():
        apple = _isolated("apple", _apple_page, apple_history.replay_notification, now)
    stripe = stripe_test = SourceReport(configured=False)
    if stripe_history.stripe_configured():
        stripe = _isolated("stripe", _stripe_page, stripe_history.replay_event, now)
        if stripe_history.test_mode_configured():
            replay = stripe_history.replay_event
            stripe_test = _isolated("stripe_test", _stripe_test_page, replay, now)
    play = None
    if purchase_settings().play_service_account_json:
        try:
            play = recheck_play_purchases(now, settings().recovery_play_horizon_hours)
        except Exception as e:
            log.event("Play re-check failed", logging.ERROR, error=repr(e))
            play = RecheckReport(error=getattr(e, "code", None) or type(e).__name__)
    if apple.configured and not apple.error:
        apple.consumption_answers_resent = consumption.retry_failed_answers()
    report = RecoveryReport(apple=apple, stripe=stripe, stripe_test=stripe_test, play=play)
    wiring.store().set(
        STATE_PATH, {"lastRunAt": now, "lastReport": report.model_dump()}, merge=True
    )
    log.event("missed events recovered", **report.model_dump())
    failed = [r.error for r in (apple, stripe, stripe_test, play) if r and r.error]
    if failed:
        raise RuntimeError(f"missed-event replay failed: {failed}")
    return report
