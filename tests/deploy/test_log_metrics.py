"""The log-based metrics of ops/metrics/ count lines the code really writes: every message a
filter names is logged by a `log.event(...)` call, with every field a metric extracts."""

import ast
import re
from pathlib import Path

import pytest

from shared import deploy

ROOT = deploy.ROOT
# Fields every JSON line carries (shared/log.py), besides those given to log.event.
BASE_FIELDS = {"message", "severity", "time", "logger", "function", "requestId"}
ANY = "**"


def logged_events() -> dict[str, set[str]]:
    """message -> fields, for every `log.event("message", ..., field=...)` in shared/ and
    functions/ (`**fields` counts as any field)."""
    events: dict[str, set[str]] = {}
    for folder in ("shared", "functions"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "event"
                    and getattr(node.func.value, "id", None) == "log"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    fields = {k.arg or ANY for k in node.keywords}
                    events.setdefault(node.args[0].value, set()).update(fields)
    return events


METRICS = deploy.metric_files()


def test_there_are_metrics_for_calls_errors_latency_webhooks_and_drift():
    names = {p.stem for p in METRICS}
    assert {
        "function_calls",
        "function_errors",
        "function_latency",
        "webhook_failures",
        "reconcile_drift",
    } <= names


@pytest.mark.parametrize("path", METRICS, ids=lambda p: p.stem)
def test_a_metric_counts_lines_the_code_writes(path: Path):
    text = path.read_text()
    messages = re.findall(r'jsonPayload\.message="([^"]+)"', text)
    assert messages, "filter on jsonPayload.message"
    events = logged_events()
    for message in messages:
        assert message in events, f"no log.event({message!r}) in the code"
    for field in re.findall(r"EXTRACT\(jsonPayload\.(\w+)", text):
        for message in messages:
            fields = events[message] | BASE_FIELDS
            assert field in fields or ANY in fields, f"{message!r} has no field {field!r}"


@pytest.mark.parametrize("path", METRICS, ids=lambda p: p.stem)
def test_a_metric_file_is_a_log_metric(path: Path):
    text = path.read_text()
    assert re.fullmatch(r"[a-z][a-z0-9_]*", path.stem)
    for key in ("description:", "filter:", "metricDescriptor:", "metricKind:", "valueType:"):
        assert re.search(rf"^\s*{key}", text, re.MULTILINE), key
    assert "\t" not in text
    labels = re.findall(r"^\s+- key: (\w+)", text, re.MULTILINE)
    extracted = re.findall(r"^  (\w+): (?:REGEXP_)?EXTRACT\(", text, re.MULTILINE)
    assert labels == extracted, "one extractor per label, in order"
    if "DISTRIBUTION" in text:
        assert "valueExtractor:" in text and "bucketOptions:" in text
