"""Sync throughput against the seed's own sync server (`../shared/peers/seed_sync_server.py`,
FastAPI + SQLite, run with uvicorn in a subprocess): 10,000 entries pushed in pages of 500 and
pulled in pages of 1,000 (the peer's fixed page; ours is configured to the same), one HTTP
client for both, in one run. Prints entries/s of each and ours / the peer's (goal: >= 1.0).

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
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

import httpx
import jwt

from bench.harness import Bench, scenario
from bench.sync import entitle

TOTAL, PUSH_PAGE, PULL_PAGE = 10_000, 500, 1_000
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
    token = entitle(bench, "seed-compare")
    servers = ExitStack()  # ours now, the peer below; both stopped at the end
    ours_url = servers.enter_context(_ours())
    ours_auth = {"Authorization": f"Bearer {token}"}
    for device in ("phone", "laptop"):
        data = {"data": {"deviceId": device, "name": device, "platform": "ios"}}
        client.post(f"{ours_url}/device_register", json=data, headers=ours_auth).raise_for_status()

    def ours_push() -> None:
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
            client.post(f"{ours_url}/sync_push", json=body, headers=ours_auth).raise_for_status()

    def ours_pull() -> None:
        cursor, seen = 0, 0
        while True:
            body = {"data": {"deviceId": "laptop", "cursor": cursor, "limit": PULL_PAGE}}
            response = client.post(f"{ours_url}/sync_pull", json=body, headers=ours_auth)
            page = response.raise_for_status().json()["result"]
            seen += len(page["entries"])
            cursor = page["nextCursor"]
            if not page["hasMore"]:
                break
        assert seen == TOTAL, seen

    with _peer() as peer_url:
        claims = {"sub": "seed-compare", "device_id": "phone"}
        peer_auth = {"Authorization": "Bearer " + jwt.encode(claims, PEER_SECRET, "HS256")}
        client.post(f"{peer_url}/test/grant", json={"user_id": "seed-compare"}).raise_for_status()

        def peer_push() -> None:
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
                response = client.post(f"{peer_url}/sync/push", json=body, headers=peer_auth)
                assert len(response.raise_for_status().json()["accepted"]) == PUSH_PAGE

        def peer_pull() -> None:
            last, seen = None, 0
            while True:
                body = {"device_id": "laptop", "last_sync_at": last}
                response = client.post(f"{peer_url}/sync/pull", json=body, headers=peer_auth)
                page = response.raise_for_status().json()
                seen += len(page["entries"])
                if not page["has_more"]:
                    break
                last = page["entries"][-1]["updated_at"]
            assert seen == TOTAL, seen

        ours_in = _timed(bench, "ours  sync_push", ours_push)
        peer_in = _timed(bench, "peer  /sync/push", peer_push)
        ours_out = _timed(bench, "ours  sync_pull", ours_pull)
        peer_out = _timed(bench, "peer  /sync/pull", peer_pull)
    servers.close()
    client.close()
    bench.note(f"push: ours / peer = {ours_in / peer_in:.2f}")
    bench.note(f"pull: ours / peer = {ours_out / peer_out:.2f}")
