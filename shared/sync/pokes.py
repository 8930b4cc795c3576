"""Pokes: after a push commits, the user's other devices get one FCM data message carrying the
new `lastSeq`, so they pull at once instead of polling.

Coalescing lives on the sync state, which every push already reads and writes in its
transaction (`claim` costs no store operation): the first push after a quiet window sends
(`pokeSentAt`); pushes within `sync_poke_coalesce_seconds` of it send nothing and mark the state
(`pokeFlushAt`), and `flush_pokes` (the scheduled job `flush_sync_pokes`) later sends the
burst's final `lastSeq`. Sending happens after the commit, never inside a transaction; it is
best effort (a device still pulls on its own). A token FCM calls UNREGISTERED is removed from
its device unless the device registered a new one meanwhile.
"""

import logging
from datetime import datetime, timedelta

from shared import config, fcm, log, wiring
from shared.sync.settings import settings
from shared.sync.state import SyncState, read_state, state_path, states_due

FLUSH_USERS_PER_RUN = 500


def enabled() -> bool:
    choice = settings().sync_pokes
    if choice == "auto":
        return config.platform().app_env == "prod"
    return choice == "fcm"


def claim(state: SyncState, now: datetime) -> bool:
    """Whether this push sends pokes (inside the push transaction; changes `state`)."""
    if not enabled():
        return False
    window = timedelta(seconds=settings().sync_poke_coalesce_seconds)
    if state.poke_sent_at is not None and now - state.poke_sent_at < window:
        state.poke_flush_at = state.poke_flush_at or state.poke_sent_at + window
        return False
    state.poke_sent_at, state.poke_flush_at = now, None
    return True


def send_pokes(uid: str, last_seq: int, skip: set[str]) -> int:
    """One data message to each of `uid`'s devices with a token, except `skip`; the number
    sent. Never raises: the push it follows has committed."""
    data = {"type": "sync", "lastSeq": str(last_seq)}
    try:
        return fcm.send_to_devices(uid, lambda token: fcm.data_message(token, data), skip)
    except Exception as e:
        log.event("sync pokes failed", logging.WARNING, uid=uid, error=repr(e))
        return 0


def flush_pokes() -> int:
    """Send the pokes that coalescing held back once their window is over; users flushed."""
    store, now = wiring.store(), wiring.now()
    due = states_due("pokeFlushAt", now, FLUSH_USERS_PER_RUN)
    for doc in due:
        state = store.transaction(lambda txn, uid=doc.id: _take_flush(txn, uid, now))
        if state is not None:
            # The device that wrote last already knows lastSeq.
            skip = {d for d, p in state.devices.items() if p.last_push_seq == state.last_seq}
            send_pokes(doc.id, state.last_seq, skip)
    return len(due)


def _take_flush(txn, uid: str, now: datetime) -> SyncState | None:
    state = read_state(txn, uid)
    if state.poke_flush_at is None or state.poke_flush_at > now:
        return None  # a push sent meanwhile, or another run took it
    state.poke_sent_at, state.poke_flush_at = now, None
    txn.set(state_path(uid), state.model_dump(by_alias=True))
    return state
