"""Sync throughput against the seed's own sync server (`../shared/peers/seed_sync_server.py`,
FastAPI + SQLite, run with uvicorn in a subprocess): 10,000 entries pushed in pages of 500 and
pulled in pages of 1,000 (the peer's fixed page; ours is configured to the same), one HTTP
client for both, in one run. Prints entries/s of each and ours / the peer's (goal: >= 1.0),
best of SEED_ROUNDS rounds (3) each: a new user on both sides per round, the side that goes
first alternating, so the noise of a shared machine weighs on both alike.

Each server runs in a process of its own, so neither shares the client's interpreter (and its
GIL): the peer under uvicorn, ours as the dev server (`python -m shared.dev.server`) on the
bench's SQLite file. The peer pages by whole-second `updated_at`, so every entry gets its own
second. Set PEER_DIR to the folder holding seed_sync_server.py when it is not at
../shared/peers.
"""

import base64
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import jwt

from bench.harness import Bench, scenario
from bench.sync import entitle

TOTAL, PUSH_PAGE, PULL_PAGE = 10_000, 500, 1_000
ROUNDS = int(os.environ.get("SEED_ROUNDS", "3"))
PEER_SECRET = "a-secret-for-the-benchmark-only-0123456789"
BASE_SECOND = 1_767_225_600  # 2026-01-01


def _peer_dir() -> Path:
    default = Path(__file__).resolve().parents[2] / "shared" / "peers"
    return Path(os.environ.get("PEER_DIR", default))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _process(command: list[str], env: dict[str, str], ready_path: str) -> Iterator[str]:
    """A server process on a free port (PORT and the command's own flag); its base URL once
    `ready_path` answers."""
    port = _free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    process = subprocess.Popen(command, env={**os.environ, **env, "PORT": str(port)})
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(url + ready_path, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def _peer() -> Iterator[str]:
    """The seed's server on a free port, with its own data folder; its base URL."""
    with tempfile.TemporaryDirectory(prefix="peer-") as data:
        command = [sys.executable, "-m", "uvicorn", "seed_sync_server:app"]
        command += ["--app-dir", str(_peer_dir()), "--port", "{port}", "--log-level", "warning"]
        with _process(command, {"PEER_DATA": data, "JWT_SECRET": PEER_SECRET}, "/docs") as url:
            yield url


def _ours() -> AbstractContextManager[str]:
    """Our dev server in its own process, on the bench's settings and SQLite file."""
    return _process([sys.executable, "-m", "shared.dev.server"], {"DEV_SCHEDULER": "off"}, "/")


def _ciphertexts() -> list[str]:
    return [base64.b64encode(os.urandom(200)).decode() for _ in range(TOTAL)]


def _timed(bench: Bench, label: str, run: Callable[[], None]) -> float:
    started = time.perf_counter()
    run()
    rate = TOTAL / (time.perf_counter() - started)
    bench.note(f"{label}: {rate:,.0f} entries/s")
    return rate


@scenario("sync_vs_seed")
def sync_vs_seed(bench: Bench) -> None:
    if not (_peer_dir() / "seed_sync_server.py").exists():
        bench.note(f"skipped: no seed_sync_server.py in {_peer_dir()} (set PEER_DIR)")
        return
    bench.configure(sync_max_pull_limit=str(PULL_PAGE))
    texts = _ciphertexts()
    client = httpx.Client(timeout=120)  # the one client both servers are called with
    best: dict[str, float] = {}
    with _ours() as ours_url, _peer() as peer_url:
        for round_ in range(ROUNDS):
            # A new user on both sides each round; who goes first alternates, so a machine
            # that slows down or speeds up mid-run weighs on both alike.
            uid = f"seed-compare-{round_}"
            ours = _our_sync(bench, client, ours_url, uid, texts)
            peer = _peer_sync(client, peer_url, uid, texts)
            sides = [("ours", ours), ("peer", peer)]
            for direction in ("push", "pull"):
                for side, runs in sides if round_ % 2 == 0 else sides[::-1]:
                    label = f"round {round_ + 1} {side} {direction}"
                    rate = _timed(bench, label, runs[direction])
                    best[f"{side} {direction}"] = max(best.get(f"{side} {direction}", 0), rate)
    client.close()
    for direction in ("push", "pull"):
        ratio = best[f"ours {direction}"] / best[f"peer {direction}"]
        bench.note(f"{direction}: ours / peer = {ratio:.2f} (best of {ROUNDS} rounds each)")


def _our_sync(
    bench: Bench, client: httpx.Client, url: str, uid: str, texts: list[str]
) -> dict[str, Callable[[], None]]:
    """Push and pull of TOTAL entries through our sync_push and sync_pull, as `uid`."""
    auth = {"Authorization": f"Bearer {entitle(bench, uid)}"}
    for device in ("phone", "laptop"):
        data = {"data": {"deviceId": device, "name": device, "platform": "ios"}}
        client.post(f"{url}/device_register", json=data, headers=auth).raise_for_status()

    def push() -> None:
        for start in range(0, TOTAL, PUSH_PAGE):
            entries = [
                {
                    "id": f"e{i}",
                    "ciphertext": texts[i],
                    "clock": {"phone": 1},
                    "updatedAt": "2026-01-01T12:00:00Z",
                }
                for i in range(start, start + PUSH_PAGE)
            ]
            body = {"data": {"deviceId": "phone", "entries": entries}}
            client.post(f"{url}/sync_push", json=body, headers=auth).raise_for_status()

    def pull() -> None:
        cursor, seen = 0, 0
        while True:
            body = {"data": {"deviceId": "laptop", "cursor": cursor, "limit": PULL_PAGE}}
            response = client.post(f"{url}/sync_pull", json=body, headers=auth)
            page = response.raise_for_status().json()["result"]
            seen += len(page["entries"])
            cursor = page["nextCursor"]
            if not page["hasMore"]:
                break
        assert seen == TOTAL, seen

    return {"push": push, "pull": pull}


def _peer_sync(
    client: httpx.Client, url: str, uid: str, texts: list[str]
) -> dict[str, Callable[[], None]]:
    """The same push and pull through the peer's /sync/push and /sync/pull, as `uid`."""
    claims = {"sub": uid, "device_id": "phone"}
    auth = {"Authorization": "Bearer " + jwt.encode(claims, PEER_SECRET, "HS256")}
    client.post(f"{url}/test/grant", json={"user_id": uid}).raise_for_status()

    def push() -> None:
        for start in range(0, TOTAL, PUSH_PAGE):
            entries = [
                {
                    "id": f"e{i}",
                    "device_id": "phone",
                    "encrypted_data": texts[i],
                    "vector_clock": {"phone": 1},
                    "created_at": BASE_SECOND + i,
                    "updated_at": BASE_SECOND + i,
                }
                for i in range(start, start + PUSH_PAGE)
            ]
            body = {"device_id": "phone", "entries": entries}
            response = client.post(f"{url}/sync/push", json=body, headers=auth)
            assert len(response.raise_for_status().json()["accepted"]) == PUSH_PAGE

    def pull() -> None:
        last, seen = None, 0
        while True:
            body = {"device_id": "laptop", "last_sync_at": last}
            response = client.post(f"{url}/sync/pull", json=body, headers=auth)
            page = response.raise_for_status().json()
            seen += len(page["entries"])
            if not page["has_more"]:
                break
            last = page["entries"][-1]["updated_at"]
        assert seen == TOTAL, seen

    return {"push": push, "pull": pull}
