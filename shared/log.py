"""Structured JSON log lines that Cloud Logging understands (`severity`, `message`).

The same lines wherever the code runs: the dev server calls `setup()` at start, and every
function entry calls `ensure_setup()` on its first request, so a function that plain
functions-framework (or Cloud Functions) loads logs them too. Setting up costs one handler,
nothing at import time.
"""

import json
import logging
import os
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

function_name: ContextVar[str | None] = ContextVar("function_name", default=None)
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

_SECRET_WORDS = ("secret", "token", "password", "authorization", "private_key", "api_key")


def _redact(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        k: "[redacted]" if any(w in k.lower() for w in _SECRET_WORDS) else v
        for k, v in fields.items()
    }


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "severity": record.levelname,
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
        }
        if fn := function_name.get():
            line["function"] = fn
        if rid := request_id.get():
            line["requestId"] = rid
        line.update(_redact(getattr(record, "fields", {})))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class _StdoutHandler(logging.StreamHandler):
    """Writes to whatever sys.stdout is at the time (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property  # type: ignore[override]
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, value) -> None:
        pass


_ready = False


def setup(level: str = "INFO") -> None:
    """Send every log record to stdout as one JSON line (idempotent)."""
    global _ready
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = _StdoutHandler()
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    root.setLevel(level)
    _ready = True


def ensure_setup() -> None:
    """`setup()` once per process, at LOG_LEVEL; read from the environment directly, so a
    misconfigured function still logs what is wrong."""
    if not _ready:
        level = os.environ.get("LOG_LEVEL", "INFO").upper()
        setup(level if level in logging.getLevelNamesMapping() else "INFO")
        # One line per outbound request or served request is noise: ours says what matters.
        for chatty in ("httpx", "werkzeug"):
            logging.getLogger(chatty).setLevel(logging.WARNING)


_logger = logging.getLogger("app")


def event(message: str, severity: int = logging.INFO, **fields: Any) -> None:
    """Log one structured event; keys that look like secrets are redacted."""
    _logger.log(severity, message, extra={"fields": fields})
