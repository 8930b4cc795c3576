"""Fault injection for the kill-and-restart tests, read only in dev and test.

`point(name)` marks a place where a process may die: when `FAULT_POINT` names it, the process
exits at once without cleanup (`os._exit`, what a SIGKILL leaves behind) or, with
`FAULT_ACTION=block`, hangs there until the test kills it. `FAULT_AFTER=n` fires at the n-th
time the point is reached. In prod the setting is ignored.
"""

import os
import threading
import time
from collections import Counter
from typing import Literal

from pydantic import Field

from shared import config
from shared.config import AppSettings

_hits: Counter[str] = Counter()
_lock = threading.Lock()


class FaultSettings(AppSettings):
    fault_point: str = ""
    fault_action: Literal["exit", "block"] = "exit"
    fault_after: int = Field(default=1, ge=1)


def point(name: str) -> None:
    """Die (or hang) here if the fault-injection setting names this point."""
    s = config.load(FaultSettings)
    if s.fault_point != name or config.platform().app_env == "prod":
        return
    with _lock:
        _hits[name] += 1
        if _hits[name] < s.fault_after:
            return
    if s.fault_action == "block":
        while True:
            time.sleep(60)
    os._exit(137)
