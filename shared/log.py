"""Structured JSON log lines that Cloud Logging understands (`severity`, `message`)."""

import json
import logging
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


def setup(level: str = "INFO") -> None:
    """Send every log record to stdout as one JSON line (idempotent)."""
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    root.setLevel(level)


_logger = logging.getLogger("app")


def event(message: str, severity: int = logging.INFO, **fields: Any) -> None:
    """Log one structured event; keys that look like secrets are redacted."""
    _logger.log(severity, message, extra={"fields": fields})
