"""Config validation names what is missing; logs are JSON and redact secrets; outbound
retries back off on 408/429/5xx only."""

import io
import json
import logging

import httpx
import pytest
from werkzeug.wrappers import Request, Response

from shared import config, http, log
from tests.support.servers import serve_wsgi


def test_a_missing_setting_is_named(monkeypatch):
    monkeypatch.delenv("FIREBASE_PROJECT_ID")
    config.reset()
    with pytest.raises(config.ConfigError, match="FIREBASE_PROJECT_ID"):
        config.platform()


def test_an_invalid_setting_is_named_without_its_value(monkeypatch):
    monkeypatch.setenv("STORE_BACKEND", "postgres-secret-value")
    config.reset()
    with pytest.raises(config.ConfigError) as raised:
        config.platform()
    assert "STORE_BACKEND" in str(raised.value)
    assert "postgres-secret-value" not in str(raised.value)


def test_log_lines_are_json_with_severity_and_redacted_secrets():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(log.JsonFormatter())
    logger = logging.getLogger("app")
    logger.addHandler(handler)
    try:
        log.function_name.set("health")
        log.event("paid", logging.WARNING, uid="u1", api_key="sk_live_1", webhook_secret="x")
    finally:
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue())
    assert line["severity"] == "WARNING" and line["message"] == "paid"
    assert line["function"] == "health" and line["uid"] == "u1"
    assert line["api_key"] == line["webhook_secret"] == "[redacted]"


class Flaky:
    """Answers the given statuses in turn, then 200."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.calls = 0

    @Request.application
    def __call__(self, request: Request) -> Response:
        self.calls += 1
        status = self.statuses.pop(0) if self.statuses else 200
        return Response("{}", status=status)


FAST = http.RetryPolicy(retries=3, initial=0.001, maximum=0.01, jitter=0.001)


@pytest.mark.parametrize("status", [408, 429, 500, 503])
def test_retryable_statuses_are_retried(status):
    flaky = Flaky(status, status)
    with serve_wsgi(flaky) as url, http.client(url) as client:
        response = http.send_with_retry(lambda: client.get("/"), FAST)
    assert (response.status_code, flaky.calls) == (200, 3)


def test_retries_stop_and_answer_the_last_response():
    flaky = Flaky(503, 503, 503, 503, 503)
    with serve_wsgi(flaky) as url, http.client(url) as client:
        response = http.send_with_retry(lambda: client.get("/"), FAST)
    assert (response.status_code, flaky.calls) == (503, 4)


def test_client_errors_are_not_retried():
    flaky = Flaky(400)
    with serve_wsgi(flaky) as url, http.client(url) as client:
        assert http.send_with_retry(lambda: client.get("/"), FAST).status_code == 400
    assert flaky.calls == 1


def test_transport_errors_are_retried_then_raised():
    with (
        http.client("http://127.0.0.1:9", timeout=0.5) as client,
        pytest.raises(httpx.TransportError),
    ):
        http.send_with_retry(lambda: client.get("/"), FAST)
