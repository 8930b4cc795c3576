"""The SQLite store copies its WAL into the database file off the request path."""

import os
import time
from pathlib import Path

from shared.store import sqlite
from shared.store.sqlite import CHECKPOINT_DELAY, SqliteStore


def test_commits_are_checkpointed_soon_after_by_the_store_itself(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    store = SqliteStore(str(path))
    before = path.stat().st_size
    batch = store.batch()
    for i in range(200):
        batch.set(f"notes/n{i}", {"text": os.urandom(600).hex()})
    batch.commit()  # 240 KB: far below the WAL size at which SQLite would copy it in a commit
    deadline = time.monotonic() + CHECKPOINT_DELAY + 10
    while path.stat().st_size == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert path.stat().st_size > before + 200 * 600
    started = time.monotonic()
    store.set("notes/last", {"text": "x"})
    store.close()  # does not wait out the delay of the checkpoint that commit asked for
    assert time.monotonic() - started < CHECKPOINT_DELAY
    reopened = SqliteStore(str(path))
    assert reopened.get("notes/n199") is not None and reopened.get("notes/last") == {"text": "x"}
    reopened.close()


def test_a_close_that_lands_as_the_checkpointer_wakes_ends_it(tmp_path: Path, monkeypatch) -> None:
    # The race a CI run hung on: close() between the delay's end and the loop's clearing of
    # its wake-up, so that the loop would wait for a wake-up that never comes.
    monkeypatch.setattr(sqlite, "CHECKPOINT_DELAY", 0)
    checkpointer = sqlite._Checkpointer(str(tmp_path / "store.sqlite3"))
    clear = checkpointer._due.clear

    def closed_just_before_clearing() -> None:
        checkpointer._closed.set()  # what close() does, in its order
        checkpointer._due.set()
        clear()

    checkpointer._due.clear = closed_just_before_clearing  # type: ignore[method-assign]
    checkpointer.committed()
    thread = checkpointer._thread
    assert thread is not None
    thread.join(timeout=5)
    assert not thread.is_alive()
