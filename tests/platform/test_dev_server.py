"""The dev server as a newcomer runs it, and how it dispatches each kind of function."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from cloudevents.conversion import to_structured

from shared.dev.server import LocalScheduler, create_app, discover
from shared.web.functions import pubsub_event, pubsub_message, scheduled_job
from tests.support.servers import free_port, serve_wsgi

ROOT = Path(__file__).resolve().parents[2]


def test_serve_and_token_as_the_readme_says(tmp_path):
    """`./dev serve` and `./dev token` run these modules in dev mode; health answers."""
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "dev",
        "FIREBASE_PROJECT_ID": "demo-local",
        "SQLITE_PATH": str(tmp_path / "store.sqlite3"),
        "DEV_AUTH_DIR": str(tmp_path / "dev_auth"),
        "PORT": str(port),
        "DEV_SCHEDULER": "off",
    }
    token = subprocess.run(
        [sys.executable, "-m", "shared.dev.token", "alice"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    server = subprocess.Popen(
        [sys.executable, "-m", "shared.dev.server"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.time() + 30
        while True:
            try:
                response = httpx.post(
                    f"http://127.0.0.1:{port}/health",
                    json={"data": {}},
                    headers={"Authorization": f"Bearer {token}"},
                )
                break
            except httpx.TransportError:
                assert time.time() < deadline, "the dev server did not start"
                time.sleep(0.1)
        assert response.json()["result"]["uid"] == "alice"
        listing = httpx.get(f"http://127.0.0.1:{port}/").json()["functions"]
        assert set(listing) == set(discover())
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_dev_key_is_never_trusted_outside_dev_mode(api, tmp_path, monkeypatch):
    from shared.dev.keys import ensure_dev_key, sign_id_token

    kid, key_pem, _ = ensure_dev_key(tmp_path / "dev_auth")
    monkeypatch.setenv("DEV_AUTH_DIR", str(tmp_path / "dev_auth"))
    token = sign_id_token(key_pem, kid, "demo-test", "mallory")
    assert api.error("health", {}, token=token)[:2] == (401, "ERR_4012")


def test_every_exported_function_declares_how_it_is_deployed():
    functions = discover()
    assert "health" in functions
    for name, fn in functions.items():
        assert fn.__deploy__.name == name
        assert fn.__deploy__.kind in ("callable", "http", "event", "scheduled")


ran: list[bytes] = []


@scheduled_job(every_minutes=1)
def tick(event) -> None:
    ran.append(pubsub_message(event)[0])


def test_events_are_posted_as_cloudevents_and_jobs_run_on_demand():
    ran.clear()
    with serve_wsgi(create_app({"tick": tick})) as url:
        headers, body = to_structured(pubsub_event("scheduled-tick", b"hello"))
        assert httpx.post(f"{url}/tick", content=body, headers=headers).status_code == 204
        assert httpx.post(f"{url}/__dev/run/tick").json() == {"ran": "tick"}
        assert httpx.post(f"{url}/__dev/run/nope").status_code == 404
        assert httpx.post(f"{url}/nope").status_code == 404
    assert ran == [b"hello", b"{}"]


def test_the_local_scheduler_fires_jobs_at_their_interval():
    ran.clear()
    scheduler = LocalScheduler({"tick": tick}, speed=60)  # one minute becomes one second
    scheduler.start()
    time.sleep(2.5)
    scheduler.stopped.set()
    scheduler.join(timeout=5)
    assert len(ran) >= 1


def test_the_dev_server_refuses_to_start_when_rate_limits_name_no_function(monkeypatch):
    from shared import config
    from shared.config import ConfigError
    from shared.dev import server

    monkeypatch.setenv("RATE_LIMITS", '{"sync_pusj": {"uid": 3, "windowSeconds": 60}}')
    config.reset()
    with pytest.raises(ConfigError, match="RATE_LIMITS names no function: sync_pusj"):
        server.main()  # before it serves anything
